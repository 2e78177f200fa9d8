/**
 * Group counters: set, increase, decrease and delete with exact signed 64-bit arithmetic,
 * Tencent's limits, every type but Community, and a push of each change.
 */
import { expect } from 'chai';
import { groupKind, type CountersView, type GroupCommand, type GroupState, type GroupType, type Outgoing } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, user } from './support';

function group(type: GroupType = 'Public'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a')], imported: false, now: NOW });
}
const change = (by: string, mode: 'set' | 'increase' | 'decrease' | 'delete', items: { key: string; value?: string }[], inRoom?: boolean): GroupCommand => ({ op: 'counters', by: by === 'admin' ? APP : user(by), mode, items, inRoom, now: NOW });
const values = (s: GroupState, keys: string[] = []) => Object.fromEntries((groupKind.decide(s, { op: 'viewCounters', viewer: user('a'), keys }).reply.result as CountersView).items.map((i) => [i.key, i.value]));

describe('group actor: counters', () => {
  it('sets, increases, decreases and deletes counters; a missing key starts at 0', () => {
    let s = apply(group(), change('a', 'set', [{ key: 'likes', value: '8' }]));
    s = apply(s, change('o', 'increase', [{ key: 'likes', value: '2' }, { key: 'gifts', value: '5' }]));
    s = apply(s, change('admin', 'decrease', [{ key: 'gifts', value: '7' }]));
    expect(values(s)).to.deep.equal({ likes: '10', gifts: '-2' });
    expect(values(s, ['gifts', 'nope'])).to.deep.equal({ gifts: '-2' });
    s = apply(s, change('a', 'delete', [{ key: 'likes' }]));
    expect(values(s)).to.deep.equal({ gifts: '-2' });
  });

  it('counts exactly up to the signed 64-bit limits and refuses to pass them (10004)', () => {
    const s = apply(group(), change('a', 'set', [{ key: 'k', value: '9223372036854775806' }]));
    expect(values(apply(s, change('a', 'increase', [{ key: 'k', value: '1' }])))).to.deep.equal({ k: '9223372036854775807' });
    expect(refusal(s, change('a', 'increase', [{ key: 'k', value: '2' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k', value: '-9223372036854775809' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k', value: '1.5' }]))).to.equal(10004);
  });

  it("holds Tencent's limits: 20 keys, keys of 1 to 128 bytes, no key twice (10004)", () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: '1' }));
    expect(refusal(group(), change('a', 'set', keys(20)))).to.equal(undefined);
    expect(refusal(group(), change('a', 'set', keys(21)))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k'.repeat(129), value: '1' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: '', value: '1' }]))).to.equal(10004);
    expect(refusal(group(), change('a', 'set', [{ key: 'k', value: '1' }, { key: 'k', value: '2' }]))).to.equal(10004);
  });

  it('pushes each change to the members with the resulting values', () => {
    const s = apply(group(), change('a', 'set', [{ key: 'likes', value: '8' }]));
    const tip = (groupKind.decide(s, change('o', 'increase', [{ key: 'likes', value: '1' }])).reply.out ?? []).find((o): o is Extract<Outgoing, { kind: 'tip' }> => o.kind === 'tip');
    expect(tip?.stored).to.equal(false);
    expect(tip?.recipients.sort()).to.deep.equal(['a', 'o']);
    expect(tip?.tip.counters).to.deep.equal({ type: 0, seq: 2, items: [{ key: 'likes', value: '9' }] });
  });

  it('lets members, the administrator and viewers in a live room use them, not outsiders (10007) nor a Community', () => {
    expect(refusal(group(), change('stranger', 'increase', [{ key: 'k', value: '1' }]))).to.equal(10007);
    expect(refusal(group('AVChatRoom'), change('viewer', 'increase', [{ key: 'k', value: '1' }], true))).to.equal(undefined);
    expect(refusal(group('Community'), change('admin', 'set', [{ key: 'k', value: '1' }]))).to.equal(10007);
    for (const type of ['Work', 'Public', 'Meeting', 'AVChatRoom'] as GroupType[]) expect(refusal(group(type), change('o', 'set', [{ key: 'k', value: '1' }])), type).to.equal(undefined);
  });
});
