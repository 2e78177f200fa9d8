/**
 * Profiles and the relationship chain with Tencent's real web SDK: requests and answers
 * between two users, the pushes that keep both users' lists current, profile changes reaching
 * friends, the blocklist, permissions of custom fields, and the lists after a new login.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { sleep, startParley, until, type Parley } from './ws-harness';

interface Friend {
  userID: string;
  remark: string;
  addTime: number;
  profile: { nick?: string };
}
interface Application {
  userID: string;
  type: string;
  wording: string;
}

describe('SDK profiles and relationship chain (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const friendIds = async (c: SdkClient) => ((await c.chat.getFriendList()).data as Friend[]).map((f) => f.userID).sort();
  const blocked = async (c: SdkClient) => ((await c.chat.getBlacklist()).data as string[]).sort();

  before(async () => {
    parley = await startParley({}, 1400000061);
    const profileFields = [
      { keyword: 'Hobby', type: 'string', read: ['user', 'admin'], write: ['user', 'admin'] },
      { keyword: 'Secret', type: 'string', read: ['admin'], write: ['admin'] },
    ];
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { relations: { profileFields } } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(() => parley?.stop());

  it('sends a request the target confirms, and both lists follow by push', async () => {
    const [alice, bob] = [await login('alice1'), await login('bob1')];
    await bob.chat.updateMyProfile({ allowType: bob.TencentCloudChat.TYPES.ALLOW_TYPE_NEED_CONFIRM });
    const sent = (await alice.chat.addFriend({ to: 'bob1', source: 'AddSource_Type_Web', wording: 'hello bob', type: alice.TencentCloudChat.TYPES.SNS_ADD_TYPE_BOTH })) as { data: { code: number } };
    expect(sent.data.code).to.equal(30539);
    const incoming = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.FRIEND_APPLICATION_LIST_UPDATED, {
      where: (d) => (d as { friendApplicationList: Application[] }).friendApplicationList.length > 0,
    })) as { friendApplicationList: Application[]; unreadCount: number };
    expect(incoming.friendApplicationList[0]).to.include({ userID: 'alice1', type: 'Pendency_Type_ComeIn', wording: 'hello bob' });
    expect(incoming.unreadCount).to.equal(1);
    await bob.chat.acceptFriendApplication({ userID: 'alice1', remark: 'Al', type: bob.TencentCloudChat.TYPES.SNS_APPLICATION_AGREE_AND_ADD });
    const mine = async () => ((await bob.chat.getFriendList()).data as Friend[]).find((f) => f.userID === 'alice1');
    // The SDK lists a pushed friend at once and fills in its fields when its own fetch returns.
    await until('the lists to follow', async () => (await friendIds(alice)).includes('bob1') && (await mine())?.addTime !== 0, 10_000);
    expect((await mine())?.remark).to.equal('Al');
    const checked = (await alice.chat.checkFriend({ userIDList: ['bob1'], type: alice.TencentCloudChat.TYPES.SNS_CHECK_TYPE_BOTH })) as { data: { successUserIDList: { relation: string }[] } };
    expect(checked.data.successUserIDList[0].relation).to.equal('CheckResult_Type_BothWay');
  });

  it('tells friends of a profile change, and keeps admin-only custom fields from users', async () => {
    const [carol, dave] = [await login('carol1'), await login('dave1')];
    await dave.chat.updateMyProfile({ allowType: dave.TencentCloudChat.TYPES.ALLOW_TYPE_ALLOW_ANY });
    await carol.chat.addFriend({ to: 'dave1', source: 'AddSource_Type_Web' });
    await until('the lists to follow', async () => (await friendIds(carol)).includes('dave1'), 10_000);
    await dave.chat.updateMyProfile({ nick: 'Davy', profileCustomField: [{ key: 'Tag_Profile_Custom_Hobby', value: 'chess' }] });
    await carol.events.waitFor(carol.TencentCloudChat.EVENT.PROFILE_UPDATED, { where: (d) => (d as { userID: string; nick: string }[]).some((p) => p.userID === 'dave1' && p.nick === 'Davy'), timeoutMs: 10_000 });
    const refused = await dave.chat.updateMyProfile({ profileCustomField: [{ key: 'Tag_Profile_Custom_Secret', value: 'x' }] }).catch((e: { code: number }) => e);
    expect((refused as { code: number }).code).to.equal(40008);
    await parley.rest('profile/portrait_set', { From_Account: 'dave1', ProfileItem: [{ Tag: 'Tag_Profile_Custom_Secret', Value: 's3' }] });
    const seen = (await carol.chat.getUserProfile({ userIDList: ['dave1'] })) as { data: { profileCustomField: { key: string }[] }[] };
    expect(seen.data[0].profileCustomField.map((f) => f.key)).to.deep.equal(['Tag_Profile_Custom_Hobby']);
  });

  it('blocks: the blocklist updates, the friendship ends on both sides, and a new login sees the same lists', async () => {
    const [erin, frank] = [await login('erin1'), await login('frank1')];
    await frank.chat.updateMyProfile({ allowType: frank.TencentCloudChat.TYPES.ALLOW_TYPE_ALLOW_ANY });
    await erin.chat.addFriend({ to: 'frank1', source: 'AddSource_Type_Web' });
    await until('the lists to follow', async () => (await friendIds(frank)).includes('erin1') && (await friendIds(erin)).includes('frank1'), 10_000);
    // Each SDK fetches a new friend's profile after the push and re-inserts the friend when that
    // answer arrives: a block racing the fetch would leave a stale entry in the SDK's cache.
    await sleep(500);
    await erin.chat.addToBlacklist({ userIDList: ['frank1'] });
    expect(await blocked(erin)).to.deep.equal(['frank1']);
    await until('the lists to follow', async () => !(await friendIds(frank)).includes('erin1') && !(await friendIds(erin)).includes('frank1'), 10_000);
    const refused = await frank.chat.addFriend({ to: 'erin1', source: 'AddSource_Type_Web' }).catch((e: { code: number }) => e);
    expect((refused as { code: number }).code).to.equal(30525);
    await erin.destroy();
    const again = await login('erin1');
    await until('the lists to follow', async () => (await blocked(again)).length === 1, 10_000);
    expect(await blocked(again)).to.deep.equal(['frank1']);
    expect(await friendIds(again)).to.deep.equal([]);
  });

  it('creates friend lists and moves friends between them from the SDK', async () => {
    const [gina, hal] = [await login('gina1'), await login('hal1')];
    await hal.chat.updateMyProfile({ allowType: hal.TencentCloudChat.TYPES.ALLOW_TYPE_ALLOW_ANY });
    await gina.chat.addFriend({ to: 'hal1', source: 'AddSource_Type_Web' });
    await until('the lists to follow', async () => (await friendIds(gina)).includes('hal1'), 10_000);
    await gina.chat.createFriendGroup({ name: 'work', userIDList: ['hal1'] });
    await gina.chat.renameFriendGroup({ oldName: 'work', newName: 'job' });
    await gina.chat.removeFromFriendGroup({ name: 'job', userIDList: ['hal1'] });
    const rest = await parley.rest<{ ResultItem: unknown[] }>('sns/group_get', { From_Account: 'gina1', NeedFriend: 'Need_Friend_Type_Yes' });
    expect(rest.ResultItem).to.deep.equal([{ GroupName: 'job', FriendNumber: 0, To_Account: [] }]);
  });
});
