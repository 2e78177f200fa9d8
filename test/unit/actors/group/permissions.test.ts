/**
 * The seed's comparison tables of group types, row by row: given a group of each type with an
 * owner `o`, an admin `a` (an ordinary member where the type has no admins), a member `m` and an
 * outsider `x`, when each role tries the row's operation, then it is allowed or refused.
 */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import {
  GROUP_TYPES,
  groupKind,
  MESSAGE_SENT,
  POLICIES,
  TIP_STORED,
  type GroupCommand,
  type GroupReply,
  type GroupState,
  type GroupType,
  type Who,
  type HistoryWindow,
  type GroupView,
} from '../../../../actors/group';
import type { Decision } from '../../../../runtime/kind';
import type { GroupEvent } from '../../../../actors/group';
import { apply, member, NOW, textMessage, user } from './support';

const ADMIN: Who = { id: 'administrator', admin: true };
type Who4 = 'o' | 'a' | 'm' | 'x' | 'app';
const who = (w: Who4): Who => (w === 'app' ? ADMIN : user(w));

function run(state: GroupState, command: GroupCommand): Decision<GroupEvent, GroupReply> {
  return groupKind.decide(state, command);
}

/** A group of `type` with o (owner), a (admin where possible), m (member), one message sent by m. */
function group(type: GroupType): GroupState {
  let s = groupKind.initialState('1400000000:g1');
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  s = apply(s, { op: 'create', by: user('o'), group: g, members: [member('o', 'Owner'), member('a', 'Admin'), member('m')], imported: false, now: NOW });
  return s;
}

function attempt(type: GroupType, command: (w: Who) => GroupCommand, w: Who4, setup?: (s: GroupState) => GroupState): boolean {
  const s = (setup ?? ((x) => x))(group(type));
  try {
    run(s, command(who(w)));
    return true;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return false;
  }
}

/** Which of o, a, m, x, app may do it, per type; the expected rows are the seed's. */
function row(name: string, command: (w: Who) => GroupCommand, expected: Record<GroupType, Who4[]>, setup?: (s: GroupState) => GroupState) {
  describe(name, () => {
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type].join(', ') || 'nobody'}`, () => {
        const allowed = (['o', 'a', 'm', 'x', 'app'] as Who4[]).filter((w) => attempt(type, command, w, setup));
        expect(allowed).to.deep.equal(expected[type]);
      });
    }
  });
}

describe('group actor: the seed’s per-type tables', () => {
  row('modify the basic profile (name, introduction, notification, face)', (by) => ({ op: 'modify', by, patch: { name: 'New' }, now: NOW }), {
    Work: ['o', 'a', 'm', 'app'],
    Public: ['o', 'a', 'app'],
    Meeting: ['o', 'app'],
    AVChatRoom: ['o', 'app'],
    Community: ['o', 'a', 'app'],
  });
  row('disband', (by) => ({ op: 'destroy', by, now: NOW }), {
    Work: ['app'],
    Public: ['o', 'app'],
    Meeting: ['o', 'app'],
    AVChatRoom: ['o', 'app'],
    Community: ['o', 'app'],
  });
  row('invite a non-member', (by) => ({ op: 'invite', by, users: ['y'], silence: false, now: NOW }), {
    Work: ['o', 'a', 'm', 'app'],
    Public: ['app'],
    Meeting: ['app'],
    AVChatRoom: [],
    Community: ['o', 'a', 'm', 'app'],
  });
  row('set an admin', (by) => ({ op: 'modifyMember', by, user: 'm', patch: { role: 'Admin' }, now: NOW }), {
    Work: [],
    Public: ['o', 'app'],
    Meeting: ['o', 'app'],
    AVChatRoom: ['o', 'app'],
    Community: ['o', 'app'],
  });
  row('remove an ordinary member', (by) => ({ op: 'remove', by, users: ['m'], silence: false, now: NOW }), {
    Work: ['o', 'app'],
    Public: ['o', 'a', 'app'],
    Meeting: ['o', 'a', 'app'],
    AVChatRoom: [],
    Community: ['o', 'a', 'app'],
  });
  row('remove an admin (an admin removes only ordinary members)', (by) => ({ op: 'remove', by, users: ['a'], silence: false, now: NOW }), {
    Work: ['o', 'app'],
    Public: ['o', 'app'],
    Meeting: ['o', 'app'],
    AVChatRoom: [],
    Community: ['o', 'app'],
  });
  // AVChatRoom: the seed's member table names the owner only; Tencent's live-room admin page (modify_admin) adds admins.
  row('mute an ordinary member', (by) => ({ op: 'mute', by, users: ['m'], seconds: 60, now: NOW }), {
    Work: [],
    Public: ['o', 'a', 'app'],
    Meeting: ['o', 'a', 'app'],
    AVChatRoom: ['o', 'a', 'app'],
    Community: ['o', 'a', 'app'],
  });
  row('mute an admin', (by) => ({ op: 'mute', by, users: ['a'], seconds: 60, now: NOW }), {
    Work: [],
    Public: ['o', 'app'],
    Meeting: ['o', 'app'],
    AVChatRoom: ['o', 'app'],
    Community: ['o', 'app'],
  });
  row('approve an application', (by) => ({ op: 'handleApplication', by, applicant: 'x2', approve: true, now: NOW }), {
    Work: [],
    Public: ['o', 'a', 'app'],
    Meeting: ['o', 'a', 'app'],
    AVChatRoom: ['o', 'a', 'app'],
    Community: ['o', 'a', 'app'],
  }, (s) => (s.profile?.applyJoin === 'DisableApply' ? s : apply(apply(s, { op: 'modify', by: ADMIN, patch: { applyJoin: 'NeedPermission' }, now: NOW }), { op: 'apply', user: 'x2', message: 'hi', now: NOW })));

  describe('apply to join', () => {
    const expected: Record<GroupType, string> = { Work: 'refused', Public: 'WaitAdminApproval', Meeting: 'JoinedSuccess', AVChatRoom: 'JoinedSuccess', Community: 'JoinedSuccess' };
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type]}`, () => {
        let outcome = 'refused';
        try {
          outcome = (run(group(type), { op: 'apply', user: 'x', message: '', now: NOW }).reply.result as { status: string }).status;
        } catch (err) {
          expect(err).to.be.instanceOf(DomainError).with.property('code', 10007);
        }
        expect(outcome).to.equal(expected[type]);
      });
    }
  });

  describe('the owner quits', () => {
    const expected: Record<GroupType, boolean> = { Work: true, Public: false, Meeting: false, AVChatRoom: false, Community: false };
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type] ? 'allowed, and the group has no owner after' : 'refused with 10009'}`, () => {
        const s = group(type);
        if (!expected[type]) {
          expect(() => run(s, { op: 'quit', user: 'o', now: NOW })).to.throw(DomainError).with.property('code', 10009);
          return;
        }
        const after = apply(s, { op: 'quit', user: 'o', now: NOW });
        expect(after.profile?.owner).to.equal('');
      });
    }
  });

  describe('history storage', () => {
    const expected: Record<GroupType, boolean> = { Work: true, Public: true, Meeting: true, AVChatRoom: false, Community: true };
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type] ? 'stored with a sequence' : 'never stored'}`, () => {
        const d = run(group(type), { op: 'send', by: user('m'), message: textMessage('m', 1), onlineOnly: false, now: NOW });
        expect(d.events.some((e) => e.type === MESSAGE_SENT)).to.equal(expected[type]);
        expect((d.reply.result as { seq: number }).seq).to.equal(expected[type] ? 1 : 0);
      });
    }
  });

  describe('history before joining', () => {
    const expected: Record<GroupType, number> = { Work: 2, Public: 2, Meeting: 2, AVChatRoom: 1, Community: 1 };
    for (const type of GROUP_TYPES) {
      it(`${type}: a member who joined after message 1 sees from ${expected[type]}`, () => {
        let s = apply(group(type), { op: 'send', by: user('m'), message: textMessage('m', 1), onlineOnly: false, now: NOW });
        s = type === 'AVChatRoom' ? apply(s, { op: 'apply', user: 'late', message: '', now: NOW }) : apply(s, { op: 'invite', by: ADMIN, users: ['late'], silence: true, now: NOW });
        const w = run(s, { op: 'locate', viewer: user('late'), seq: 100 }).reply.result as HistoryWindow;
        expect(w.floor).to.equal(expected[type]);
      });
    }
  });

  describe('tips of member changes (an invitation or join)', () => {
    const expected: Record<GroupType, string> = { Work: 'stored', Public: 'stored', Meeting: 'off', AVChatRoom: 'pushed', Community: 'stored' };
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type]}`, () => {
        const s = group(type);
        const d = type === 'AVChatRoom' || type === 'Meeting' ? run(s, { op: 'apply', user: 'y', message: '', now: NOW }) : run(s, { op: 'invite', by: ADMIN, users: ['y'], silence: false, now: NOW });
        const out = (d.reply.out ?? []).filter((o) => o.kind === 'tip');
        const mode = out.length === 0 ? 'off' : d.events.some((e) => e.type === TIP_STORED) ? 'stored' : 'pushed';
        expect(mode).to.equal(expected[type]);
      });
    }
  });

  describe('tips of profile changes (name) and of mute-all', () => {
    const expected: Record<GroupType, string> = { Work: 'stored', Public: 'stored', Meeting: 'stored', AVChatRoom: 'pushed', Community: 'stored' };
    for (const type of GROUP_TYPES) {
      it(`${type}: name ${expected[type]}, mute-all off`, () => {
        const s = group(type);
        const name = run(s, { op: 'modify', by: ADMIN, patch: { name: 'N' }, now: NOW });
        const mode = (name.reply.out ?? []).length === 0 ? 'off' : name.events.some((e) => e.type === TIP_STORED) ? 'stored' : 'pushed';
        expect(mode).to.equal(expected[type]);
        expect(run(s, { op: 'modify', by: ADMIN, patch: { muteAll: true }, now: NOW }).reply.out).to.deep.equal([]);
      });
    }
  });

  describe('tips of member profile changes (mute, admin)', () => {
    const expected: Record<GroupType, string> = { Work: 'stored', Public: 'stored', Meeting: 'off', AVChatRoom: 'off', Community: 'stored' };
    for (const type of GROUP_TYPES) {
      it(`${type}: ${expected[type]}`, () => {
        const s = group(type);
        const command: GroupCommand = type === 'Work' ? { op: 'modifyMember', by: ADMIN, user: 'm', patch: { role: 'Admin' }, now: NOW } : { op: 'mute', by: ADMIN, users: ['m'], seconds: 60, now: NOW };
        if (type === 'Work') {
          // Work has neither mutes nor admins: nothing to notify, the row holds by construction.
          expect(() => run(s, command)).to.throw(DomainError);
          return;
        }
        const d = run(s, command);
        const mode = (d.reply.out ?? []).length === 0 ? 'off' : d.events.some((e) => e.type === TIP_STORED) ? 'stored' : 'pushed';
        expect(mode).to.equal(expected[type]);
      });
    }
  });

  describe('activation by a first message', () => {
    for (const type of GROUP_TYPES) {
      const needs = type === 'Work';
      it(`${type}: ${needs ? 'inactive until the first message' : 'active at once'}`, () => {
        const s = group(type);
        expect((run(s, { op: 'view' }).reply.result as GroupView).active).to.equal(!needs);
        if (type === 'AVChatRoom') return;
        const sent = apply(s, { op: 'send', by: user('o'), message: textMessage('o', 1), onlineOnly: false, now: NOW });
        expect((run(sent, { op: 'view' }).reply.result as GroupView).active).to.equal(true);
      });
    }
  });

  describe('unread counts, default message option, import', () => {
    const expected: Record<GroupType, [boolean, string, boolean]> = {
      Work: [true, 'AcceptAndNotify', true],
      Public: [true, 'AcceptAndNotify', true],
      Meeting: [false, 'AcceptNotNotify', true],
      AVChatRoom: [false, 'AcceptNotNotify', false],
      Community: [true, 'AcceptAndNotify', true],
    };
    for (const type of GROUP_TYPES) {
      const [unread, flag, importable] = expected[type];
      it(`${type}: unread ${unread ? 'counted' : 'not counted'}, ${flag}, import ${importable ? 'allowed' : 'refused'}`, () => {
        const s = group(type);
        expect(s.members.get('m')?.msgFlag).to.equal(flag);
        expect(attempt(type, () => ({ op: 'importMembers', members: [member('i')], now: NOW }), 'app')).to.equal(importable);
        const view = run(s, { op: 'view' }).reply.result as GroupView;
        expect(view.profile.type).to.equal(type);
        // The unread rule lives in the policy table the services read.
        expect(POLICIES[type].unreadCounts).to.equal(unread);
      });
    }
  });
});
