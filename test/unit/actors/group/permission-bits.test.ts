/**
 * The permission bits of a Community with permission groups on, one row per bit per operation:
 * an ordinary member holding every bit but the row's is refused (10007); holding only the
 * row's bit, by everyone's DefaultPermission, by a permission group, or (for topic rows) by the
 * topic's own bit, they may. The owner and the app administrator always may.
 */
import { expect } from 'chai';
import { GROUP_BITS, groupKind, TOPIC_BITS, type GroupCommand, type GroupState, type HistoryWindow } from '../../../../actors/group';
import { APP, apply, NOW, refusal, user } from './support';
import { community, newTopic, permissionsOn, sendIn, TOPIC, withTopic } from './community-support';

const ALL = (1n << 64n) - 1n;
const or = (a: string, b: string) => (BigInt(a) | BigInt(b)).toString();
const only = (bit: number) => (1n << BigInt(bit)).toString();
const allBut = (bit: number) => (ALL ^ (1n << BigInt(bit))).toString();
const PG = '@PMG#_crew';
/** The permission group a row's command changes (PG carries the member's own masks). */
const OTHER = '@PMG#_other';

type GroupBit = keyof typeof GROUP_BITS;
type TopicBit = keyof typeof TOPIC_BITS;

/** A state where m (ordinary) acts: a message of t in the community and in the topic to recall. */
function base(): GroupState {
  let s = withTopic(community());
  s = apply(s, sendIn('t', 1));
  s = apply(s, sendIn('t', 2, TOPIC));
  s = apply(s, { op: 'createPermissionGroup', by: APP, group: { id: PG, name: 'crew', permission: '0', customString: '' }, generated: false, now: NOW });
  return apply(s, { op: 'createPermissionGroup', by: APP, group: { id: OTHER, name: 'other', permission: '0', customString: '' }, generated: false, now: NOW });
}

const m = user('m');
/**
 * `also`: bits the operation needs besides the row's (an @all message is a message: it needs the
 * send right too). `refused`: the code a refusal answers (a recall answers per message, 10032).
 */
const ROWS: { what: string; group: GroupBit; topic?: TopicBit; also?: GroupBit; refused?: number; command: GroupCommand }[] = [
  { what: 'change the group profile', group: 'ManageGroupInfo', command: { op: 'modify', by: m, patch: { name: 'X' }, now: NOW } },
  { what: 'remove a member', group: 'ManageGroupMember', command: { op: 'remove', by: m, users: ['t'], silence: false, now: NOW } },
  { what: 'create a permission group', group: 'ManagePermissionGroupInfo', command: { op: 'createPermissionGroup', by: m, group: { id: '@PMG#_new', name: 'n', permission: '1', customString: '' }, generated: false, now: NOW } },
  { what: 'add a permission group member', group: 'ManagePermissionGroupMember', command: { op: 'permissionGroupMembers', by: m, id: OTHER, users: ['t'], add: true, now: NOW } },
  { what: 'create a topic', group: 'ManageTopic', command: { op: 'createTopic', by: m, topic: newTopic(`${TOPIC}2`), generated: false, now: NOW } },
  { what: 'mute in the community', group: 'GroupMuteMember', command: { op: 'mute', by: m, users: ['t'], seconds: 60, now: NOW } },
  { what: 'send in the community', group: 'SendGroupMessage', command: sendIn('m', 11) },
  { what: 'mention everyone in the community', group: 'GroupAtAll', also: 'SendGroupMessage', command: sendIn('m', 12, undefined, { atAll: true }) },
  { what: 'recall another member’s message in the community', group: 'RevokeOtherMemberGroupMessage', refused: 10032, command: { op: 'recall', by: m, seqs: [1], limitSeconds: 120, now: NOW } },
  { what: 'change a topic', group: 'ManageTopic', topic: 'ManageTopicInfo', command: { op: 'modifyTopic', by: m, topicId: TOPIC, patch: { name: 'Y' }, now: NOW } },
  { what: 'set topic permissions', group: 'ManagePermissionGroupInfo', topic: 'ManagePermissionTopicInfo', command: { op: 'topicPermissions', by: m, id: OTHER, topics: { [TOPIC]: '1' }, mode: 'add', now: NOW } },
  { what: 'mute in a topic', group: 'GroupMuteMember', topic: 'TopicMuteMember', command: { op: 'mute', by: m, users: ['t'], seconds: 60, now: NOW, topicId: TOPIC } },
  { what: 'send in a topic', group: 'SendGroupMessage', topic: 'SendTopicMessage', command: sendIn('m', 13, TOPIC) },
  { what: 'mention everyone in a topic', group: 'GroupAtAll', topic: 'TopicAtAll', also: 'SendGroupMessage', command: sendIn('m', 14, TOPIC, { atAll: true }) },
  { what: 'recall another member’s message in a topic', group: 'RevokeOtherMemberGroupMessage', topic: 'RevokeOtherMemberTopicMessage', refused: 10032, command: { op: 'recall', by: m, seqs: [1], limitSeconds: 120, now: NOW, topicId: TOPIC } },
];

/** Refusal code, or for per-item answers (recall, topic permissions, members) the first item's code. */
function outcome(s: GroupState, c: GroupCommand): number | undefined {
  const code = refusal(s, c);
  if (code !== undefined) return code;
  const result = groupKind.decide(s, c).reply.result;
  if (Array.isArray(result) && typeof result[0]?.code === 'number') return result[0].code || undefined;
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const codes = Object.values(result as Record<string, unknown>).filter((v) => typeof v === 'number') as number[];
    if (c.op === 'topicPermissions' && codes[0]) return codes[0];
  }
  return undefined;
}

/** m in the permission group with `mask`, and (for topic rows) the group's `topicMask` in the topic. */
function granted(everyone: string, mask: string, topicMask?: string): GroupState {
  let s = permissionsOn(base(), everyone);
  s = apply(s, { op: 'modifyPermissionGroup', by: APP, id: PG, patch: { permission: mask }, now: NOW });
  s = apply(s, { op: 'permissionGroupMembers', by: APP, id: PG, users: ['m'], add: true, now: NOW });
  if (topicMask) s = apply(s, { op: 'topicPermissions', by: APP, id: PG, topics: { [TOPIC]: topicMask }, mode: 'add', now: NOW });
  return s;
}

describe('group actor: permission bits of a Community', () => {
  for (const row of ROWS) {
    const bit = GROUP_BITS[row.group];
    // The bits the operation needs besides the row's, granted to everyone in every case.
    const also = row.also ? only(GROUP_BITS[row.also]) : '0';
    describe(`${row.what} (${row.group}${row.topic ? ` or ${row.topic}` : ''})`, () => {
      it('is refused with every other community bit', () => {
        const topicAllBut = row.topic ? allBut(TOPIC_BITS[row.topic]) : undefined;
        expect(outcome(granted(allBut(bit), allBut(bit), topicAllBut), row.command)).to.equal(row.refused ?? 10007);
      });
      it('is allowed by the bit in everyone’s DefaultPermission', () => {
        expect(outcome(granted(or(only(bit), also), '0'), row.command)).to.equal(undefined);
      });
      it('is allowed by the bit in a permission group of the member', () => {
        expect(outcome(granted(also, only(bit)), row.command)).to.equal(undefined);
      });
      if (row.topic) {
        const topicBit = TOPIC_BITS[row.topic];
        it(`is allowed by ${row.topic} in that topic alone`, () => {
          expect(outcome(granted(also, '0', only(topicBit)), row.command)).to.equal(undefined);
        });
      }
      it('is allowed to the owner and the app administrator without any bit', () => {
        const s = granted('0', '0');
        const as = (by: typeof m) => (row.command.op === 'send' ? { ...row.command, by, message: { ...row.command.message, from: by.id } } : { ...row.command, by }) as GroupCommand;
        expect(outcome(s, as(user('o')))).to.equal(undefined);
        expect(outcome(s, as(APP))).to.equal(undefined);
      });
    });
  }

  it('shows topic history from before joining only with GetGroupHistoryMessage or GetTopicHistoryMessage', () => {
    const since = (s: GroupState) => (groupKind.decide(s, { op: 'locate', viewer: m, seq: 99, topicId: TOPIC }).reply.result as HistoryWindow).since;
    expect(since(granted('0', only(GROUP_BITS.GetGroupHistoryMessage)))).to.equal(undefined);
    expect(since(granted('0', '0', only(TOPIC_BITS.GetTopicHistoryMessage)))).to.equal(undefined);
    expect(since(granted(allBut(GROUP_BITS.GetGroupHistoryMessage), allBut(GROUP_BITS.GetGroupHistoryMessage), allBut(TOPIC_BITS.GetTopicHistoryMessage)))).to.equal(1);
  });

  it('treats an admin as an ordinary member while permission groups are on', () => {
    const s = permissionsOn(base(), '0');
    expect(outcome(s, { op: 'mute', by: user('a'), users: ['t'], seconds: 60, now: NOW })).to.equal(10007);
    expect(outcome(base(), { op: 'mute', by: user('a'), users: ['t'], seconds: 60, now: NOW })).to.equal(undefined);
  });

  it('refuses masks out of the unsigned 64-bit range, leaving the group unchanged', () => {
    const s = base();
    for (const bad of ['18446744073709551616', '-1', '1.5', 'x']) {
      expect(refusal(s, { op: 'modifyPermissionGroup', by: APP, id: PG, patch: { permission: bad }, now: NOW }), bad).to.equal(10004);
    }
    expect(refusal(s, { op: 'modifyPermissionGroup', by: APP, id: PG, patch: { permission: ALL.toString() }, now: NOW })).to.equal(undefined);
  });

  it('takes permission group ids by the seed’s rules', () => {
    const s = base();
    const make = (id: string, generated = false) => refusal(s, { op: 'createPermissionGroup', by: APP, group: { id, name: 'n', permission: '0', customString: '' }, generated, now: NOW });
    expect(make('@PMG#_mods')).to.equal(undefined);
    expect(make('mods')).to.equal(10015);
    expect(make('@PMG#_@PMG#mods')).to.equal(10015);
    expect(make('@PMG#_@PMG#ABCDEFGHIJ', true)).to.equal(undefined);
    expect(make(PG)).to.equal(10021);
  });
});
