/**
 * Custom group and member fields: given the app's rules (least read and write role per key),
 * when a role writes or reads a key, then it is allowed, refused with Tencent's code (10004 for
 * a key the app has not configured or a value too long, 10007 below the write level), or
 * filtered out — and a refused command leaves the group unchanged.
 */
import { expect } from 'chai';
import { groupKind, readableGroupFields, readableMemberFields, type FieldRules, type GroupCommand, type GroupState, type GroupType, type Who } from '../../../../actors/group';
import { APP, apply, NOW, refusal, user } from './support';

const RULES: FieldRules = {
  group: [
    { key: 'Level', read: 'Anyone', write: 'AppAdmin' },
    { key: 'Topic', read: 'Member', write: 'Member' },
    { key: 'Budget', read: 'Admin', write: 'Owner' },
  ],
  member: [
    { key: 'Rank', read: 'Member', write: 'Admin', selfWrite: false },
    { key: 'Secret', read: 'Owner', write: 'Owner', selfRead: false, selfWrite: false },
    { key: 'Mood', read: 'Member', write: 'Owner' },
    { key: 'WorkOnly', read: 'Member', write: 'Owner', types: ['Work'] },
  ],
};

const member = (id: string, role: 'Owner' | 'Admin' | 'Member' = 'Member', custom: Record<string, string> = {}) => ({ user: id, role, joinTime: 1, nameCard: '', custom: JSON.stringify(custom) });

function group(type: GroupType = 'Public', custom: Record<string, string> = {}): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom, createTime: 0 };
  return apply(groupKind.initialState('1400000000:g1'), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a', 'Admin'), member('m', 'Member', { Rank: '1' })], imported: false, now: NOW, fields: RULES });
}

const setGroup = (by: Who, custom: Record<string, string>): GroupCommand => ({ op: 'modify', by, patch: { custom }, now: NOW, fields: RULES });
const setMember = (by: Who, target: string, custom: Record<string, string>): GroupCommand => ({ op: 'modifyMember', by, user: target, patch: { custom }, now: NOW, fields: RULES });

describe('group custom fields', () => {
  describe('writing group fields', () => {
    const cases: [string, Who, Record<string, string>, number | undefined][] = [
      ['the app administrator writes an administrator-only key', APP, { Level: '9' }, undefined],
      ['the owner may not write an administrator-only key', user('o'), { Level: '9' }, 10007],
      ['an ordinary member writes a members key', user('m'), { Topic: 'cats' }, undefined],
      ['an outsider may not write a members key', user('x'), { Topic: 'cats' }, 10007],
      ['an admin may not write an owner key', user('a'), { Budget: '100' }, 10007],
      ['the owner writes an owner key', user('o'), { Budget: '100' }, undefined],
      ['a key the app has not configured is refused', APP, { Unknown: 'x' }, 10004],
      ['a value over 512 bytes is refused', APP, { Level: 'x'.repeat(513) }, 10004],
    ];
    for (const [name, by, custom, code] of cases) {
      it(name, () => {
        const s = group();
        expect(refusal(s, setGroup(by, custom))).to.equal(code);
        if (code === undefined) expect(apply(s, setGroup(by, custom)).profile?.custom).to.include(custom);
      });
    }

    it('accepts a value of exactly 512 bytes and removes a key given an empty value', () => {
      let s = apply(group(), setGroup(APP, { Level: 'x'.repeat(512) }));
      expect(s.profile?.custom.Level).to.have.length(512);
      s = apply(s, setGroup(APP, { Level: '' }));
      expect(s.profile?.custom).to.not.have.property('Level');
    });

    it('refuses the whole change when one key of it is refused, storing nothing', () => {
      const s = group();
      expect(refusal(s, setGroup(user('o'), { Budget: '1', Level: '2' }))).to.equal(10007);
      expect(groupKind.decide(s, setGroup(user('o'), { Budget: '1' })).events).to.have.length.above(0);
    });

    it('names in the change tip only the fields every member may read', () => {
      const d = groupKind.decide(group(), { op: 'modify', by: user('o'), patch: { name: 'New', custom: { Topic: 't', Budget: 'b' } }, now: NOW, fields: RULES });
      const tip = d.reply.out?.find((o) => o.kind === 'tip');
      expect(tip && tip.kind === 'tip' && tip.tip.profile).to.deep.equal({ name: 'New', custom: { Topic: 't' } });
    });

    it('refuses unconfigured keys when the app configures none', () => {
      const s = group();
      expect(refusal(s, { op: 'modify', by: APP, patch: { custom: { Level: '1' } }, now: NOW })).to.equal(10004);
    });
  });

  describe('creating with fields', () => {
    const create = (by: Who, custom: Record<string, string>, members = [member('o', 'Owner')]): GroupCommand => ({
      op: 'create',
      by,
      group: { type: 'Public', owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess', custom, createTime: 0 },
      members,
      imported: false,
      now: NOW,
      fields: RULES,
    });
    const fresh = () => groupKind.initialState('1400000000:g2');

    it('lets the administrator set any configured key at creation', () => {
      expect(refusal(fresh(), create(APP, { Level: '1' }, [member('o', 'Owner'), member('m', 'Member', { Rank: '2' })]))).to.equal(undefined);
    });
    it('lets a creating user set only what an owner may write', () => {
      expect(refusal(fresh(), create(user('o'), { Budget: '5' }))).to.equal(undefined);
      expect(refusal(fresh(), create(user('o'), { Level: '5' }))).to.equal(10007);
    });
    it('refuses unknown group and member keys at creation', () => {
      expect(refusal(fresh(), create(APP, { Nope: '1' }))).to.equal(10004);
      expect(refusal(fresh(), create(APP, {}, [member('o', 'Owner'), member('m', 'Member', { Nope: '1' })]))).to.equal(10004);
    });
  });

  describe('writing member fields', () => {
    const cases: [string, Who, string, Record<string, string>, number | undefined][] = [
      ['an admin writes an ordinary member’s admin-level key', user('a'), 'm', { Rank: '2' }, undefined],
      ['a member may not write their own key when self-writing is off', user('m'), 'm', { Rank: '5' }, 10007],
      ['a member writes their own key when self-writing is on', user('m'), 'm', { Mood: 'happy' }, undefined],
      ['a member may not write another member’s key', user('m'), 'o', { Mood: 'sad' }, 10007],
      ['an admin may not write an owner-level key', user('a'), 'm', { Secret: 's' }, 10007],
      ['the owner writes an owner-level key', user('o'), 'm', { Secret: 's' }, undefined],
      ['a key configured for other group types is unknown here', APP, 'm', { WorkOnly: '1' }, 10004],
      ['a value over 64 bytes is refused', APP, 'm', { Mood: 'x'.repeat(65) }, 10004],
    ];
    for (const [name, by, target, custom, code] of cases) {
      it(name, () => {
        const s = group();
        expect(refusal(s, setMember(by, target, custom))).to.equal(code);
        if (code === undefined) expect(apply(s, setMember(by, target, custom)).members.get(target)?.custom).to.include(custom);
      });
    }

    it('knows a key configured for Work groups in a Work group', () => {
      expect(refusal(group('Work'), setMember(APP, 'm', { WorkOnly: '1' }))).to.equal(undefined);
    });

    it('refuses import_group_member entries with unknown keys', () => {
      const s = group();
      expect(refusal(s, { op: 'importMembers', members: [member('n', 'Member', { Nope: '1' })], now: NOW, fields: RULES })).to.equal(10004);
      expect(refusal(s, { op: 'importMembers', members: [member('n', 'Member', { Rank: '1' })], now: NOW, fields: RULES })).to.equal(undefined);
    });
  });

  describe('reading', () => {
    const custom = { Level: '1', Topic: 't', Budget: 'b' };
    it('shows each group key from its read level up', () => {
      expect(readableGroupFields(RULES, 'NotMember', custom)).to.deep.equal({ Level: '1' });
      expect(readableGroupFields(RULES, 'Member', custom)).to.deep.equal({ Level: '1', Topic: 't' });
      expect(readableGroupFields(RULES, 'Admin', custom)).to.deep.equal(custom);
      expect(readableGroupFields(RULES, 'AppAdmin', custom)).to.deep.equal(custom);
    });
    it('narrows to the keys a request names', () => {
      expect(readableGroupFields(RULES, 'AppAdmin', custom, ['Topic'])).to.deep.equal({ Topic: 't' });
    });
    it('hides stored values of keys the app no longer configures', () => {
      expect(readableGroupFields({ group: [], member: [] }, 'AppAdmin', custom)).to.deep.equal({});
    });
    it('shows member keys by level, and a member’s own by the self rule', () => {
      const mine = { Rank: '1', Secret: 's', Mood: 'm' };
      expect(readableMemberFields(RULES, 'Public', 'Member', false, mine)).to.deep.equal({ Rank: '1', Mood: 'm' });
      expect(readableMemberFields(RULES, 'Public', 'Member', true, mine)).to.deep.equal({ Rank: '1', Mood: 'm' });
      expect(readableMemberFields(RULES, 'Public', 'Owner', false, mine)).to.deep.equal(mine);
      expect(readableMemberFields(RULES, 'Public', 'NotMember', false, mine)).to.deep.equal({});
    });
  });
});
