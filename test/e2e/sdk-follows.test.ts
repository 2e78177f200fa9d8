/**
 * Follow with Tencent's real web SDK: followUser / unfollowUser change both users' lists, each
 * side's devices get the list events (followers, following, mutual), and the lists, counts and
 * follow types read back; unknown accounts are refused per item (30003) and stored nowhere.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Change = { userInfoList: ({ userID: string } | string)[]; isAdd: boolean };
type Page = { resultList: { userID: string; followTime: number }[]; nextCursor: string };
const FOLLOWERS = 'onMyFollowersListUpdated';
const FOLLOWING = 'onMyFollowingListUpdated';
const MUTUAL = 'onMutualFollowersListUpdated';

describe('SDK follow (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const ids = (c: Change) => c.userInfoList.map((u) => (typeof u === 'string' ? u : u.userID));
  const changed = (c: SdkClient, name: string, isAdd: boolean) => c.events.waitFor(name, { where: (d) => (d as Change).isAdd === isAdd }) as Promise<Change>;
  let alice: SdkClient, bob: SdkClient;

  before(async () => {
    parley = await startParley({}, 1400000097);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['fwalice', 'fwbob', 'fwcarol'] });
    [alice, bob] = [await login('fwalice'), await login('fwbob')];
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('follows a user: the follower sees them in following, they see a new follower', async () => {
    const answer = (await alice.chat.followUser(['fwbob', 'nobody'])).data as { userID: string; resultCode: number }[];
    expect(answer.map((r) => [r.userID, r.resultCode])).to.deep.equal([['fwbob', 0], ['nobody', 30003]]);
    expect(ids(await changed(alice, FOLLOWING, true))).to.deep.equal(['fwbob']);
    expect(ids(await changed(bob, FOLLOWERS, true))).to.deep.equal(['fwalice']);
    const following = (await alice.chat.getMyFollowingList()).data as Page;
    expect(following.resultList.map((r) => r.userID)).to.deep.equal(['fwbob']);
    expect(following.nextCursor).to.equal('');
    const followers = (await bob.chat.getMyFollowersList()).data as Page;
    expect(followers.resultList.map((r) => r.userID)).to.deep.equal(['fwalice']);
    const types = (await bob.chat.checkFollowType(['fwalice', 'fwcarol'])).data as { userID: string; followType: number }[];
    expect(types).to.deep.equal([{ userID: 'fwalice', followType: 1 }, { userID: 'fwcarol', followType: 0 }]);
  });

  it('makes a follow back mutual on both sides, and unfollowing undoes it', async () => {
    await bob.chat.followUser(['fwalice']);
    expect(ids(await changed(alice, MUTUAL, true))).to.deep.equal(['fwbob']);
    expect(ids(await changed(bob, MUTUAL, true))).to.deep.equal(['fwalice']);
    const mutual = (await alice.chat.getMutualFollowersList()).data as Page;
    expect(mutual.resultList.map((r) => r.userID)).to.deep.equal(['fwbob']);
    const info = (await alice.chat.getUserFollowInfo(['fwalice', 'fwbob'])).data as { followersCount: number; followingCount: number; mutualFollowersCount: number }[];
    expect(info).to.deep.equal([{ followersCount: 1, followingCount: 1, mutualFollowersCount: 1 }, { followersCount: 1, followingCount: 1, mutualFollowersCount: 1 }]);

    await alice.chat.unfollowUser(['fwbob']);
    expect(ids(await changed(bob, FOLLOWERS, false))).to.deep.equal(['fwalice']);
    expect(ids(await changed(bob, MUTUAL, false))).to.deep.equal(['fwalice']);
    const types = (await bob.chat.checkFollowType(['fwalice'])).data as { followType: number }[];
    expect(types[0].followType).to.equal(2);
  });

  it('serves the same commands over REST, pages by cursor and refuses bad bodies', async () => {
    const added = await rest('follow/follow_add', { From_Account: 'fwcarol', FollowItem: [{ To_Account: 'fwalice' }, { To_Account: 'fwcarol' }] });
    expect((added.ResultItem as { ResultCode: number }[]).map((r) => r.ResultCode)).to.deep.equal([0, 30001]);
    const page = await rest('follow/follow_get', { From_Account: 'fwalice', FollowType: 1, WantNum: 1 });
    expect((page.FollowItem as { To_Account: string }[]).map((i) => i.To_Account)).to.deep.equal(['fwbob']);
    const next = await rest('follow/follow_get', { From_Account: 'fwalice', FollowType: 1, WantNum: 1, StartCursor: page.NextCursor });
    expect((next.FollowItem as { To_Account: string }[]).map((i) => i.To_Account)).to.deep.equal(['fwcarol']);
    expect(next.NextCursor).to.equal('');
    expect((await rest('follow/follow_add', { From_Account: 'fwcarol', FollowItem: [] })).ErrorCode).to.equal(30001);
    expect((await rest('follow/follow_get', { From_Account: 'fwcarol', FollowType: 4 })).ErrorCode).to.equal(30001);
    const info = await rest('follow/follow_get_info', { From_Account: 'fwcarol', To_Account: ['fwcarol'] });
    expect(info.FollowInfo).to.deep.equal([{ To_Account: 'fwcarol', FollowerCount: 0, FollowingCount: 1, MutualFollowingCount: 0, ResultCode: 0, ResultInfo: '' }]);
  });
});
