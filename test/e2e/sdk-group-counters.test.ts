/**
 * Group counters through Tencent's real SDK (getGroupCounters, setGroupCounters,
 * increaseGroupCounter, decreaseGroupCounter and the GROUP_COUNTER_UPDATED event) and over REST
 * (get/update/delete_group_counter): concurrent increments lose none.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { type Parley } from './ws-harness';
import { sdkGroupFixture } from '../support/sdk-group';

const G = 'group_open_http_svc';
type Counters = Record<string, number>;

describe('group counters (e2e, SDK and REST)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let clients: SdkClient[] = [];
  let groupID = '';
  let alice: SdkClient;
  let bob: SdkClient;

  const restCounters = async () => {
    const a = await parley.rest<{ GroupCounter: { Key: string; Value: number }[] }>(`${G}/get_group_counter`, { GroupId: groupID });
    return Object.fromEntries(a.GroupCounter.map((i) => [i.Key, i.Value]));
  };
  const sdkCounters = async (c: SdkClient) => ((await c.chat.getGroupCounters({ groupID, keyList: [] })) as { data: { counters: Counters } }).data.counters;
  const code = (p: Promise<unknown>) => p.then(() => 0, (err: { code?: number }) => err.code ?? -1);

  const group = sdkGroupFixture({ sdkAppId: 1400000095, users: ['calice', 'cbob', 'ccarol'], members: ['cbob'], type: 'Public', name: 'counters', login: ['calice', 'cbob'] });
  before(() => {
    ({ parley, groupID, clients } = group);
    [alice, bob] = clients;
  });

  it('answers no counters for a new group', async () => {
    expect(await sdkCounters(bob)).to.deep.equal({});
  });

  it('sets and increases from the SDK, and pushes each change to the other members', async () => {
    const seen = bob.events.waitFor(bob.TencentCloudChat.EVENT.GROUP_COUNTER_UPDATED, { where: (d) => (d as { key: string; value: number }).value === 10 });
    const set = (await alice.chat.setGroupCounters({ groupID, counters: { likes: 8 } })) as { data: { counters: Counters } };
    expect(set.data.counters).to.deep.equal({ likes: 8 });
    const inc = (await alice.chat.increaseGroupCounter({ groupID, key: 'likes', value: 2 })) as { data: { counters: Counters } };
    expect(inc.data.counters).to.deep.equal({ likes: 10 });
    expect(await seen).to.deep.equal({ groupID, key: 'likes', value: 10 });
  });

  it('loses no increment when members increase at the same time', async () => {
    await Promise.all([
      ...Array.from({ length: 5 }, () => alice.chat.increaseGroupCounter({ groupID, key: 'likes', value: 1 })),
      ...Array.from({ length: 5 }, () => bob.chat.decreaseGroupCounter({ groupID, key: 'likes', value: 2 })),
      ...Array.from({ length: 5 }, (_, i) => parley.rest(`${G}/update_group_counter`, { GroupId: groupID, Mode: 'Increase', GroupCounter: [{ Key: 'likes', Value: 3 + i }] })),
    ]);
    expect(await restCounters()).to.deep.equal({ likes: 10 + 5 - 10 + 25 });
  });

  it('deletes counters over REST and refuses bad input with 10004, changing nothing', async () => {
    await parley.rest(`${G}/update_group_counter`, { GroupId: groupID, Mode: 'Set', GroupCounter: [{ Key: 'gifts', Value: 1 }] });
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/delete_group_counter`, { GroupId: groupID, GroupCounterKeys: ['gifts'] })).ErrorCode).to.equal(0);
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: 1 }));
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/update_group_counter`, { GroupId: groupID, Mode: 'Set', GroupCounter: tooMany })).ErrorCode).to.equal(10004);
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/update_group_counter`, { GroupId: groupID, Mode: 'Increase', GroupCounter: [{ Key: 'likes', Value: '9223372036854775807' }] })).ErrorCode).to.equal(10004);
    expect(await restCounters()).to.deep.equal({ likes: 30 });
    const carol = await sdkLogin(parley, 'ccarol', clients);
    expect(await code(carol.chat.increaseGroupCounter({ groupID, key: 'likes', value: 1 }))).to.equal(10007);
  });
});
