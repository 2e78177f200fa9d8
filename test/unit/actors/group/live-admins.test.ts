/**
 * Admins of a live room named by the app's backend (modify_admin, get_admin_list): given a room
 * with owner `o` and a stored member `s` named at creation, when the administrator names or takes
 * back admins, then the events, the rights an admin holds there (the seed's table with Tencent's
 * live-room admin page) and the refusals, each refusal storing nothing.
 */
import { expect } from 'chai';
import { groupKind, LIVE_ADMINS_CHANGED, MEMBER_CHANGED, type GroupCommand, type GroupState, type GroupType, type GroupView } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

function room(type: GroupType = 'AVChatRoom'): GroupState {
  const g = { type, owner: 'o', name: 'Live', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('s')], imported: false, now: NOW });
}

const admins = (users: string[], add = true, by = APP): GroupCommand => ({ op: 'modifyLiveAdmins', by, users, add, now: NOW });
const list = (s: GroupState): string[] => groupKind.decide(s, { op: 'viewLiveAdmins', by: APP }).reply.result as string[];
const send = (from: string, inRoom: boolean): GroupCommand => ({ op: 'send', by: user(from), message: textMessage(from, 1), onlineOnly: false, now: NOW, live: { seq: 1, inRoom } });
const mute = (by: string, users: string[]): GroupCommand => ({ op: 'mute', by: user(by), users, seconds: 60, now: NOW });
const view = (s: GroupState, id: string, admin = false) => groupKind.decide(s, { op: 'view', viewer: { id, admin } }).reply.result as GroupView;

describe('group actor: live-room admins (modify_admin)', () => {
  it('names admins who are in no member list, once each, and lists them in order', () => {
    const d = groupKind.decide(room(), admins(['a1', 'a2', 'a1']));
    expect(d.events).to.deep.equal([{ type: LIVE_ADMINS_CHANGED, data: { users: ['a1', 'a2'], added: true, by: 'administrator', at: NOW } }]);
    const s = apply(room(), admins(['a1', 'a2']));
    expect(s.members.has('a1')).to.equal(false);
    expect(list(s)).to.deep.equal(['a1', 'a2']);
    expect(groupKind.decide(s, admins(['a2'])).events).to.deep.equal([]);
  });

  it('keeps an admin through quitting and entering the room again, until the role is taken back', () => {
    let s = apply(room(), admins(['a1']));
    s = apply(s, { op: 'quit', user: 'a1', now: NOW });
    s = apply(s, { op: 'apply', user: 'a1', message: '', now: NOW });
    expect(list(s)).to.deep.equal(['a1']);
    s = apply(s, admins(['a1', 'never'], false));
    expect(list(s)).to.deep.equal([]);
    expect(s.liveAdmins).to.equal(undefined);
  });

  it('takes the role back from a stored admin as well, making them an ordinary stored member', () => {
    let s = apply(room(), { op: 'modifyMember', by: APP, user: 's', patch: { role: 'Admin' }, now: NOW });
    expect(list(s)).to.deep.equal(['s']);
    const d = groupKind.decide(s, admins(['s'], false));
    expect(d.events.map((e) => e.type)).to.deep.equal([MEMBER_CHANGED]);
    s = apply(s, admins(['s'], false));
    expect(s.members.get('s')?.role).to.equal('Member');
  });

  it('holds at most 5 admins, counting stored ones, and refuses a sixth without naming anyone', () => {
    let s = apply(room(), { op: 'modifyMember', by: APP, user: 's', patch: { role: 'Admin' }, now: NOW });
    s = apply(s, admins(['a1', 'a2', 'a3']));
    expect(refusal(s, admins(['a4', 'a5']))).to.equal(10004);
    expect(refusal(s, admins(['a4', 'a1']))).to.equal(undefined);
    expect(list(s)).to.deep.equal(['s', 'a1', 'a2', 'a3']);
  });

  it('refuses users, the owner, other group types and a group that does not exist', () => {
    expect(refusal(room(), admins(['a1'], true, user('o')))).to.equal(10007);
    expect(refusal(room(), { op: 'viewLiveAdmins', by: user('o') })).to.equal(10007);
    expect(refusal(room(), admins(['o']))).to.equal(10004);
    for (const type of ['Work', 'Public', 'Meeting', 'Community'] as const) {
      expect(refusal(room(type), admins(['a1'])), type).to.equal(10007);
      expect(refusal(room(type), { op: 'viewLiveAdmins', by: APP }), type).to.equal(10007);
    }
    expect(refusal(groupKind.initialState('1400000000:none'), admins(['a1']))).to.equal(10010);
  });

  it('shows a named admin as Admin to themself and to the administrator, with the stored members', () => {
    const s = apply(room(), admins(['a1']));
    expect(view(s, 'a1').self?.role).to.equal('Admin');
    expect(view(s, 'v1').self).to.equal(undefined);
    expect(view(s, '', true).members.map(([u, m]) => `${u}:${m.role}`)).to.deep.equal(['o:Owner', 's:Member', 'a1:Admin']);
    expect(view(s, 'a1').members).to.deep.equal([]);
  });

  it('stores the admins as events, so a replay of them rebuilds the same list', () => {
    const s0 = room();
    const events = [admins(['a1', 'a2']), admins(['a1'], false), admins(['a3'])].reduce(
      (acc, c) => {
        const d = groupKind.decide(acc.s, c);
        return { s: d.events.reduce(groupKind.evolve, acc.s), events: [...acc.events, ...d.events] };
      },
      { s: s0, events: [] as ReturnType<typeof groupKind.decide>['events'] },
    ).events;
    const replayed = events.reduce(groupKind.evolve, room());
    expect(list(replayed)).to.deep.equal(['a2', 'a3']);
    expect(groupKind.snapshot?.decode(groupKind.snapshot.encode(replayed)).liveAdmins).to.deep.equal(replayed.liveAdmins);
  });
});

/** What the seed's tables give an admin of a live room, row by row, for an admin named by modify_admin. */
describe('group actor: the rights of a live-room admin', () => {
  const named = () => apply(apply(room(), admins(['a1', 'a2'])), { op: 'modify', by: APP, patch: { muteAll: true }, now: NOW });

  it('mutes ordinary viewers, stored or not, but not another admin or the owner', () => {
    expect(refusal(named(), mute('a1', ['v1', 's']))).to.equal(undefined);
    expect(refusal(named(), mute('a1', ['a2']))).to.equal(10007);
    expect(refusal(named(), mute('a1', ['o']))).to.equal(10007);
    expect(refusal(named(), mute('v1', ['v2']))).to.equal(10007);
    expect(refusal(named(), mute('o', ['a1']))).to.equal(undefined);
  });

  it('speaks while the whole room is muted, in the room or not; an ordinary viewer does not', () => {
    expect(refusal(named(), send('a1', false))).to.equal(undefined);
    expect(refusal(named(), send('v1', true))).to.equal(10017);
    expect(refusal(named(), send('v1', false))).to.equal(10007);
  });

  it('removes nobody, recalls nothing and changes neither the profile nor the admins, as the seed gives a live room', () => {
    expect(refusal(named(), { op: 'recall', by: user('a1'), seqs: [1], limitSeconds: 120, now: NOW })).to.equal(10033);
    expect(refusal(named(), { op: 'remove', by: user('a1'), users: ['s'], silence: false, now: NOW })).to.equal(10007);
    expect(refusal(named(), { op: 'modify', by: user('a1'), patch: { name: 'x' }, now: NOW })).to.equal(10007);
    expect(refusal(named(), { op: 'modifyMember', by: user('a1'), user: 's', patch: { role: 'Admin' }, now: NOW })).to.equal(10007);
    expect(refusal(named(), { op: 'destroy', by: user('a1'), now: NOW })).to.equal(10007);
  });

  it('enters a room that needs approval without asking, and hears of others’ applications', () => {
    let s = apply(apply(room(), admins(['a1'])), { op: 'modify', by: APP, patch: { applyJoin: 'NeedPermission' }, now: NOW });
    expect(groupKind.decide(s, { op: 'apply', user: 'a1', message: '', now: NOW }).reply.result).to.deep.include({ status: 'JoinedSuccess' });
    const d = groupKind.decide(s, { op: 'apply', user: 'v1', message: 'hi', now: NOW });
    const notice = (d.reply.out ?? []).find((o) => o.kind === 'system');
    expect(notice?.recipients).to.deep.equal(['o', 'a1']);
    s = d.events.reduce(groupKind.evolve, s);
    expect(refusal(s, { op: 'handleApplication', by: user('a1'), applicant: 'v1', approve: true, now: NOW })).to.equal(undefined);
  });
});
