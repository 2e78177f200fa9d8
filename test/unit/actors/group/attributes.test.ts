/**
 * Group attributes: members read and write a small key-value map with Tencent's limits, each
 * change takes the next sequence, RaceConflict refuses a change to a key someone else changed
 * first (10056), and every change is pushed to the members without being stored as a message.
 */
import { expect } from 'chai';
import { ATTRIBUTE_LIMITS, groupKind, type AttributesView, type GroupCommand, type GroupState, type GroupType, type Outgoing } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, user } from './support';

function group(type: GroupType = 'Work'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a')], imported: false, now: NOW });
}

type Items = { key: string; value?: string; seq?: number }[];
const change = (by: string, action: 'set' | 'modify' | 'delete' | 'clear', items: Items = [], extra: Partial<GroupCommand & { op: 'attributes' }> = {}): GroupCommand => ({
  op: 'attributes',
  by: by === 'admin' ? APP : user(by),
  action,
  items,
  raceConflict: false,
  now: NOW,
  ...extra,
});
const view = (s: GroupState, by = 'a', inRoom?: boolean) => groupKind.decide(s, { op: 'viewAttributes', viewer: by === 'admin' ? APP : user(by), inRoom }).reply.result as AttributesView;
const values = (s: GroupState) => Object.fromEntries(view(s).items.map((i) => [i.key, i.value]));

describe('group actor: attributes', () => {
  it('sets, modifies, deletes and clears attributes, one sequence per change', () => {
    let s = apply(group(), change('a', 'set', [{ key: 'seat1', value: 'alice' }, { key: 'seat2', value: 'bob' }]));
    expect(values(s)).to.deep.equal({ seat1: 'alice', seat2: 'bob' });
    s = apply(s, change('o', 'modify', [{ key: 'seat2', value: 'carol' }, { key: 'seat3', value: 'dan' }]));
    expect(values(s)).to.deep.equal({ seat1: 'alice', seat2: 'carol', seat3: 'dan' });
    s = apply(s, change('admin', 'delete', [{ key: 'seat1' }]));
    expect(values(s)).to.deep.equal({ seat2: 'carol', seat3: 'dan' });
    expect(view(s).seq).to.equal(3);
    s = apply(s, change('a', 'set', [{ key: 'x', value: '1' }]));
    expect(values(s)).to.deep.equal({ x: '1' });
    s = apply(s, change('a', 'clear'));
    expect(view(s)).to.deep.equal({ seq: 5, items: [] });
  });

  it('answers each written key with the change sequence', () => {
    const s = apply(group(), change('a', 'set', [{ key: 'k', value: 'v' }]));
    const reply = groupKind.decide(s, change('a', 'modify', [{ key: 'k', value: 'w' }])).reply.result as AttributesView;
    expect(reply).to.deep.equal({ seq: 2, items: [{ key: 'k', value: 'w', seq: 2 }] });
  });

  it('pushes each change to every member as an unstored tip with the change', () => {
    const out = groupKind.decide(group(), change('a', 'modify', [{ key: 'k', value: 'v' }])).reply.out ?? [];
    const tip = out.find((o): o is Extract<Outgoing, { kind: 'tip' }> => o.kind === 'tip');
    expect(tip?.stored).to.equal(false);
    expect(tip?.recipients.sort()).to.deep.equal(['a', 'o']);
    expect(tip?.tip.attributes).to.deep.equal({ op: 2, seq: 1, items: [{ key: 'k', value: 'v', seq: 1 }] });
  });

  it('stores nothing and pushes nothing when a delete or clear changes nothing', () => {
    for (const c of [change('a', 'delete', [{ key: 'nope' }]), change('a', 'clear')]) {
      const d = groupKind.decide(group(), c);
      expect(d.events).to.have.length(0);
      expect(d.reply.out ?? []).to.have.length(0);
    }
  });

  it('refuses a key someone else changed first when the SDK asks for RaceConflict (10056)', () => {
    const s = apply(apply(group(), change('a', 'set', [{ key: 'k', value: 'v' }])), change('o', 'modify', [{ key: 'k', value: 'w' }]));
    expect(refusal(s, change('a', 'modify', [{ key: 'k', value: 'x', seq: 1 }], { raceConflict: true }))).to.equal(10056);
    expect(refusal(s, change('a', 'delete', [{ key: 'k', seq: 1 }], { raceConflict: true }))).to.equal(10056);
    expect(refusal(s, change('a', 'modify', [{ key: 'new', value: 'x', seq: 2 }], { raceConflict: true }))).to.equal(10056);
    expect(refusal(s, change('a', 'modify', [{ key: 'k', value: 'x', seq: 2 }], { raceConflict: true }))).to.equal(undefined);
    expect(refusal(s, change('a', 'modify', [{ key: 'k', value: 'x', seq: 1 }]))).to.equal(undefined);
  });

  it("holds Tencent's limits: 16 keys, 32-byte keys, 4 KB values, 16 KB in all (10004)", () => {
    const keys = (n: number, value = 'v') => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value }));
    expect(refusal(group(), change('a', 'set', keys(16)))).to.equal(undefined);
    expect(refusal(group(), change('a', 'set', keys(17)))).to.equal(10004);
    expect(refusal(apply(group(), change('a', 'set', keys(16))), change('a', 'modify', [{ key: 'one-more', value: 'v' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k'.repeat(ATTRIBUTE_LIMITS.keyBytes + 1), value: '' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: '', value: 'v' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k', value: 'é'.repeat(2049) }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', keys(4, 'v'.repeat(4096))))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', keys(3, 'v'.repeat(4096))))).to.equal(undefined);
    expect(refusal(group(), change('a', 'set', [{ key: 'k', value: '1' }, { key: 'k', value: '2' }]))).to.equal(10004);
  });

  it('leaves the attributes unchanged after a refused change', () => {
    const s = apply(group(), change('a', 'set', [{ key: 'k', value: 'v' }]));
    expect(refusal(s, change('a', 'modify', [{ key: 'k', value: 'w' }, { key: 'x'.repeat(40), value: '' }]))).to.equal(10004);
    expect(values(s)).to.deep.equal({ k: 'v' });
  });

  it('lets only members, the app administrator and viewers in a live room read or change them (10007)', () => {
    expect(refusal(group(), change('stranger', 'modify', [{ key: 'k', value: 'v' }]))).to.equal(10007);
    expect(refusal(group(), { op: 'viewAttributes', viewer: user('stranger') })).to.equal(10007);
    expect(refusal(group(), { op: 'viewAttributes', viewer: APP })).to.equal(undefined);
    const room = group('AVChatRoom');
    expect(refusal(room, change('viewer', 'modify', [{ key: 'k', value: 'v' }]))).to.equal(10007);
    expect(refusal(room, change('viewer', 'modify', [{ key: 'k', value: 'v' }], { inRoom: true }))).to.equal(undefined);
    expect(view(room, 'viewer', true).items).to.deep.equal([]);
  });

  it('works in every group type and answers 10010 for a group that does not exist', () => {
    for (const type of ['Work', 'Public', 'Meeting', 'AVChatRoom', 'Community'] as GroupType[]) {
      expect(refusal(group(type), change('o', 'modify', [{ key: 'k', value: 'v' }])), type).to.equal(undefined);
    }
    expect(refusal(groupKind.initialState('1400000000:none'), change('admin', 'modify', [{ key: 'k', value: 'v' }]))).to.equal(10010);
  });

  it('starts a group created again under a disbanded id without attributes', () => {
    let s = apply(group(), change('a', 'set', [{ key: 'k', value: 'v' }]));
    s = apply(s, { op: 'destroy', by: APP, now: NOW });
    const g = { type: 'Work' as const, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
    s = apply(s, { op: 'create', by: APP, group: g, members: [member('o', 'Owner')], imported: false, now: NOW });
    expect(view(s, 'o')).to.deep.equal({ seq: 0, items: [] });
  });
});
