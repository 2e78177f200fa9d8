/**
 * Group attributes through Tencent's real SDK (getGroupAttributes, initGroupAttributes,
 * setGroupAttributes, deleteGroupAttributes and the GROUP_ATTRIBUTES_UPDATED event) and over
 * REST (get/set/modify/delete/clear_group_attr), in a Work group and in a live room.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { type Parley } from './ws-harness';
import { sdkGroupFixture } from '../support/sdk-group';

const G = 'group_open_http_svc';
type Attrs = Record<string, string>;
interface Updated {
  groupID: string;
  groupAttributes: Attrs;
}

describe('group attributes (e2e, SDK and REST)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let clients: SdkClient[] = [];
  let groupID = '';
  let alice: SdkClient;
  let bob: SdkClient;

  const restAttrs = async (id = groupID) => {
    const a = await parley.rest<{ ErrorCode: number; GroupAttrAry: { key: string; value: string }[] }>('group_open_attr_http_svc/get_group_attr', { GroupId: id });
    return Object.fromEntries(a.GroupAttrAry.map((i) => [i.key, i.value]));
  };
  const sdkAttrs = async (c: SdkClient, id = groupID) => ((await c.chat.getGroupAttributes({ groupID: id, keyList: [] })) as { data: { groupAttributes: Attrs } }).data.groupAttributes;
  const updated = (c: SdkClient, where: (a: Attrs) => boolean, id = groupID) =>
    c.events.waitFor(c.TencentCloudChat.EVENT.GROUP_ATTRIBUTES_UPDATED, { where: (d) => (d as Updated).groupID === id && where((d as Updated).groupAttributes) }) as Promise<Updated>;
  const code = (p: Promise<unknown>) => p.then(() => 0, (err: { code?: number }) => err.code ?? -1);

  const group = sdkGroupFixture({ sdkAppId: 1400000093, users: ['aalice', 'abob', 'acarol'], members: ['abob'], type: 'Work', name: 'attrs', login: ['aalice', 'abob'] });
  before(() => {
    ({ parley, groupID, clients } = group);
    [alice, bob] = clients;
  });

  it('answers an empty list to the get_group_attr the UIKit sends when a group opens', async () => {
    expect(await sdkAttrs(bob)).to.deep.equal({});
  });

  it('pushes an SDK change to the other members, who see it in their event and their next get', async () => {
    const seen = updated(bob, (a) => a.seat1 === 'alice');
    await alice.chat.setGroupAttributes({ groupID, groupAttributes: { seat1: 'alice', seat2: 'free' } });
    expect((await seen).groupAttributes).to.deep.equal({ seat1: 'alice', seat2: 'free' });
    expect(await sdkAttrs(bob)).to.deep.equal({ seat1: 'alice', seat2: 'free' });
    expect(await restAttrs()).to.deep.equal({ seat1: 'alice', seat2: 'free' });
  });

  it('deletes keys and replaces all attributes from the SDK', async () => {
    const deleted = updated(alice, (a) => !('seat2' in a));
    await bob.chat.deleteGroupAttributes({ groupID, keyList: ['seat2'] });
    expect((await deleted).groupAttributes).to.deep.equal({ seat1: 'alice' });
    const replaced = updated(bob, (a) => a.mode === 'quiet');
    await alice.chat.initGroupAttributes({ groupID, groupAttributes: { mode: 'quiet' } });
    expect((await replaced).groupAttributes).to.deep.equal({ mode: 'quiet' });
    expect(await restAttrs()).to.deep.equal({ mode: 'quiet' });
  });

  it('pushes REST changes to the members online', async () => {
    const seen = updated(bob, (a) => a.topic === 'news');
    const m = await parley.rest<{ ErrorCode: number }>(`${G}/modify_group_attr`, { GroupId: groupID, GroupAttr: [{ key: 'topic', value: 'news' }] });
    expect(m.ErrorCode).to.equal(0);
    expect((await seen).groupAttributes).to.deep.equal({ mode: 'quiet', topic: 'news' });
    const s = await parley.rest<{ ErrorCode: number }>(`${G}/set_group_attr`, { GroupId: groupID, GroupAttr: [{ key: 'only', value: '1' }] });
    expect(s.ErrorCode).to.equal(0);
    expect(await restAttrs()).to.deep.equal({ only: '1' });
    const cleared = updated(alice, (a) => Object.keys(a).length === 0);
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/clear_group_attr`, { GroupId: groupID })).ErrorCode).to.equal(0);
    await cleared;
    expect(await restAttrs()).to.deep.equal({});
  });

  it("refuses what breaks Tencent's limits with 10004 and changes nothing", async () => {
    await parley.rest(`${G}/set_group_attr`, { GroupId: groupID, GroupAttr: [{ key: 'keep', value: 'me' }] });
    const tooMany = Array.from({ length: 17 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    for (const GroupAttr of [tooMany, [{ key: 'k'.repeat(33), value: 'v' }], [{ key: 'big', value: 'v'.repeat(4097) }]]) {
      expect((await parley.rest<{ ErrorCode: number }>(`${G}/modify_group_attr`, { GroupId: groupID, GroupAttr })).ErrorCode).to.equal(10004);
    }
    expect(await restAttrs()).to.deep.equal({ keep: 'me' });
    expect(await code(alice.chat.setGroupAttributes({ groupID, groupAttributes: { big: 'v'.repeat(4097) } }))).to.equal(10004);
  });

  it('answers 10010 for a missing group and 10007 to a user who is not a member', async () => {
    expect((await parley.rest<{ ErrorCode: number }>('group_open_attr_http_svc/get_group_attr', { GroupId: 'nope' })).ErrorCode).to.equal(10010);
    const carol = await sdkLogin(parley, 'acarol', clients);
    expect(await code(carol.chat.getGroupAttributes({ groupID, keyList: [] }))).to.equal(10007);
    expect(await code(carol.chat.setGroupAttributes({ groupID, groupAttributes: { x: 'y' } }))).to.equal(10007);
  });

  it('lets viewers in a live room read and change its attributes, pushed to the room', async () => {
    const room = (await parley.rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'aalice', Type: 'AVChatRoom', Name: 'live' })).GroupId;
    await bob.chat.joinGroup({ groupID: room });
    const carol = await sdkLogin(parley, 'acarol', clients);
    await carol.chat.joinGroup({ groupID: room });
    expect(await sdkAttrs(carol, room)).to.deep.equal({});
    const seen = updated(carol, (a) => a.seat === 'bob', room);
    await bob.chat.setGroupAttributes({ groupID: room, groupAttributes: { seat: 'bob' } });
    expect((await seen).groupAttributes).to.deep.equal({ seat: 'bob' });
  });
});
