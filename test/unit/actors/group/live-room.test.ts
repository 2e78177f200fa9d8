/**
 * AVChatRoom as a live room: joining and quitting store nothing and ask the service to move the
 * user's devices in or out of the room; a sender who is not stored must be in the room; the
 * message carries the live sequence the owner node gave it.
 */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import { groupKind, type GroupCommand, type GroupState, type Outgoing } from '../../../../actors/group';
import { NOW, textMessage, user } from './support';

function room(applyJoin?: 'FreeAccess' | 'NeedPermission' | 'DisableApply'): GroupState {
  const s = groupKind.initialState('1400000000:live');
  const group = { type: 'AVChatRoom' as const, owner: 'o', name: 'Live', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'DisableInvite' as const, applyJoin, custom: {}, createTime: 0 };
  const created = groupKind.decide(s, { op: 'create', by: user('o'), group, members: [{ user: 'o', role: 'Owner', joinTime: 1, nameCard: '', custom: '{}' }], imported: false, now: NOW });
  return created.events.reduce(groupKind.evolve, s);
}

const run = (s: GroupState, c: GroupCommand) => groupKind.decide(s, c);
const kinds = (out: Outgoing[] | undefined) => (out ?? []).map((o) => (o.kind === 'room' ? `room ${o.op} ${o.user}` : o.kind));

const text = textMessage('viewer', 7);
const send = (live?: { seq: number; inRoom: boolean }): GroupCommand => ({ op: 'send', by: user('viewer'), message: text, onlineOnly: false, now: NOW, live });

describe('group actor: AVChatRoom as a live room', () => {
  it('joins at once without storing anything, entering the room and pushing a join tip', () => {
    const d = run(room(), { op: 'apply', user: 'viewer', message: '', now: NOW });
    expect(d.events).to.deep.equal([]);
    expect(d.feeds).to.equal(undefined);
    expect(d.reply.result).to.deep.equal({ status: 'JoinedSuccess', huge: 1 });
    expect(kinds(d.reply.out)).to.deep.equal(['room enter viewer', 'tip']);
  });

  it('lets the owner join the room it already owns', () => {
    expect(kinds(run(room('NeedPermission'), { op: 'apply', user: 'o', message: '', now: NOW }).reply.out)).to.deep.equal(['room enter o', 'tip']);
  });

  it('refuses to join a room that takes no applications', () => {
    expect(() => run(room('DisableApply'), { op: 'apply', user: 'viewer', message: '', now: NOW })).to.throw(DomainError).with.property('code', 10007);
  });

  it('enters the room on approval where applications need it, still storing no member', () => {
    let s = room('NeedPermission');
    s = run(s, { op: 'apply', user: 'viewer', message: 'let me in', now: NOW }).events.reduce(groupKind.evolve, s);
    const d = run(s, { op: 'handleApplication', by: user('o'), applicant: 'viewer', approve: true, now: NOW });
    expect(d.events.map((e) => e.type)).to.not.include('MembersJoined');
    expect(kinds(d.reply.out)).to.deep.equal(['system', 'room enter viewer', 'tip']);
  });

  it('quits without storing anything, leaving the room with a quit tip', () => {
    const d = run(room(), { op: 'quit', user: 'viewer', now: NOW });
    expect(d.events).to.deep.equal([]);
    expect(kinds(d.reply.out)).to.deep.equal(['room leave viewer', 'tip']);
  });

  it('mutes a viewer it never stored, who then cannot send from the room', () => {
    let s = room();
    s = run(s, { op: 'mute', by: user('o'), users: ['viewer'], seconds: 600, now: NOW }).events.reduce(groupKind.evolve, s);
    expect(() => run(s, send({ seq: 9, inRoom: true }))).to.throw(DomainError).with.property('code', 10017);
  });

  it('refuses a sender with no device in the room, and numbers a message with its live sequence', () => {
    expect(() => run(room(), send())).to.throw(DomainError).with.property('code', 10007);
    expect(() => run(room(), send({ seq: 5, inRoom: false }))).to.throw(DomainError).with.property('code', 10007);
    const d = run(room(), send({ seq: 1_700_000_000_123, inRoom: true }));
    expect(d.events).to.deep.equal([]);
    expect(d.reply.result).to.include({ seq: 1_700_000_000_123, duplicate: false });
    const out = d.reply.out?.[0];
    expect(out?.kind === 'message' && out.message.seq).to.equal(1_700_000_000_123);
  });
});
