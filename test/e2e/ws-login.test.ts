/**
 * The real web SDK against a real embedded node: login, SDK_READY, the start-up calls answered
 * from real state (no request loops), profile from the user actor, logout, re-login with the
 * A2Key after a reconnect, and one command reached both over REST and over the socket.
 */
import { expect } from 'chai';
import type { ConnectorStats } from '../../services/connector/types';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, sleep, until, type Parley } from './ws-harness';

describe('WebSocket gateway: SDK login', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const sdk = async (userId: string, userSig = parley.sig(userId)) => {
    const client = await createSdkClient({ sdkAppId: parley.sdkAppId, userId, userSig, proxyServer: parley.proxyServer });
    clients.push(client);
    return client;
  };
  const stats = () => parley.broker.call<ConnectorStats>('connector.stats');

  before(async () => {
    parley = await startParley();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  it('logs a new user in and fires SDK_READY with a session the SDK accepts', async () => {
    const alice = await sdk('alice');
    const res = (await alice.login()) as { tinyID: string; a2Key: string; instanceID: number; timeStamp: number };
    expect(alice.chat.isReady()).to.equal(true);
    expect(res.tinyID).to.match(/^\d+$/);
    expect(res.a2Key).to.be.a('string').and.not.equal('');
    expect(res.instanceID).to.be.greaterThan(0);
    expect(Math.abs(res.timeStamp - Date.now() / 1000)).to.be.lessThan(5);
    const serverTime = Number(alice.chat.getServerTime()); // seconds or ms, depending on the build
    expect(Math.abs((serverTime > 1e11 ? serverTime / 1000 : serverTime) - Date.now() / 1000)).to.be.lessThan(5);
  });

  it('answers every start-up call once, with list events for the empty state and no request loop', async () => {
    const before = (await stats()).served;
    const bob = await sdk('bob');
    await bob.login();
    const { EVENT } = bob.TencentCloudChat;
    expect(await bob.events.waitFor(EVENT.CONVERSATION_LIST_UPDATED)).to.deep.equal([]);
    expect(await bob.events.waitFor(EVENT.BLACKLIST_UPDATED)).to.deep.equal([]);
    expect(await bob.events.waitFor(EVENT.FRIEND_LIST_UPDATED)).to.deep.equal([]);
    expect(await bob.events.waitFor(EVENT.GROUP_LIST_UPDATED)).to.deep.equal([]);
    expect(await bob.events.waitFor(EVENT.CONVERSATION_GROUP_LIST_UPDATED)).to.deep.equal([]);
    const application = (await bob.events.waitFor(EVENT.FRIEND_APPLICATION_LIST_UPDATED)) as { unreadCount: number };
    expect(application.unreadCount).to.equal(0);
    await sleep(1500); // the purchase-bits call comes from a one-second timer
    const after = (await stats()).served;
    const delta = (cmd: string) => (after[cmd] ?? 0) - (before[cmd] ?? 0);
    for (const cmd of [
      'profile.portrait_get_all',
      'sns.black_list_get',
      'recentcontact.page_get',
      'group_open_http_svc.get_joined_group_list',
      'million_group_open_http_svc.get_joined_group_list',
      'sns.friend_get',
      'sns.group_get',
      'sns.pendency_get',
      'im_sdk_config_mgr.fetch_config',
      'recentcontact.get_contact_group',
      'im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2',
    ]) {
      expect(delta(cmd), cmd).to.be.within(1, 2);
    }
    // openim.getmsg belongs to the inboxes service (one-to-one sync); whatever it answers, no loop.
    expect(delta('openim.getmsg')).to.be.at.most(2);
  });

  it('gives the SDK the nick and face URL the app imported', async () => {
    await parley.rest('im_open_login_svc/account_import', { UserID: 'carol', Nick: 'Carol C.', FaceUrl: 'https://img.example/carol.png' });
    const carol = await sdk('carol');
    await carol.login();
    const profile = (await carol.chat.getMyProfile()) as { data: { nick: string; avatar: string } };
    expect(profile.data.nick).to.equal('Carol C.');
    expect(profile.data.avatar).to.equal('https://img.example/carol.png');
  });

  it('creates the account at its first login, as Tencent does', async () => {
    const dave = await sdk('dave');
    await dave.login();
    const check = await parley.rest<{ ResultItem: { AccountStatus: string }[] }>('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'dave' }] });
    expect(check.ResultItem[0].AccountStatus).to.equal('Imported');
  });

  it('rejects a login with a UserSig of another app, with its 700xx code', async () => {
    const eve = await sdk('eve', parley.sig('eve', { sdkAppId: 1400009999 }));
    const err = (await eve.login().catch((e: unknown) => e)) as { code: number };
    expect(err.code).to.equal(70014);
    expect(eve.chat.isReady()).to.equal(false);
  });

  it('rejects an expired UserSig with 70001', async () => {
    const old = await sdk('frank', parley.sig('frank', { now: Math.floor(Date.now() / 1000) - 100, expire: 10 }));
    const err = (await old.login().catch((e: unknown) => e)) as { code: number };
    expect(err.code).to.equal(70001);
  });

  it('logs out: the SDK turns not ready and the user is Offline', async () => {
    const gina = await sdk('gina');
    await gina.login();
    await until('gina online', async () => (await onlineStatus('gina')) === 'Online');
    await gina.logout();
    expect(gina.chat.isReady()).to.equal(false);
    await until('gina offline', async () => (await onlineStatus('gina')) === 'Offline');
  });

  it('takes the A2Key for a re-login after the connection dropped, without a new SDK_READY', async () => {
    const hank = await sdk('hank');
    await hank.login();
    const { EVENT } = hank.TencentCloudChat;
    const loginsBefore = (await stats()).served['im_open_status.wslogin'];
    for (const s of parley.broker.getLocalService('connector') ? sessionsOf('hank') : []) s.ws.terminate();
    await until('hank re-logged in', async () => (await stats()).served['im_open_status.wslogin'] > loginsBefore, 10_000);
    await until('hank online again', async () => (await onlineStatus('hank')) === 'Online', 10_000);
    expect(hank.events.count(EVENT.SDK_READY)).to.equal(1);
    expect(hank.events.count(EVENT.KICKED_OUT)).to.equal(0);
    expect(hank.chat.isReady()).to.equal(true);
  });

  it('serves one action for REST and the socket: profile/portrait_get and profile.portrait_get_all', async () => {
    await parley.rest('im_open_login_svc/account_import', { UserID: 'ivan', Nick: 'Ivan' });
    const viaRest = await parley.rest<{ UserProfileItem: unknown[] }>('profile/portrait_get', { To_Account: ['ivan'] });
    const client = await FrameClient.open(parley);
    try {
      expect((await client.login(parley, 'judy')).ErrorCode).to.equal(0);
      const viaSocket = await client.request('profile.portrait_get_all', { From_Account: 'judy', UserItem: [{ To_Account: 'ivan' }] });
      expect(viaSocket.ErrorCode).to.equal(0);
      expect(viaSocket.UserProfileItem).to.deep.equal(viaRest.UserProfileItem);
      expect(viaSocket.UserProfileItem).to.deep.equal([{ To_Account: 'ivan', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Ivan' }], ResultCode: 0, ResultInfo: '' }]);
    } finally {
      client.close();
    }
  });

  function sessionsOf(userId: string) {
    const svc = parley.broker.getLocalService('connector') as unknown as { gateway: { sessionsOf(app: number, id: string): { ws: { terminate(): void } }[] } };
    return svc.gateway.sessionsOf(parley.sdkAppId, userId);
  }

  async function onlineStatus(userId: string): Promise<string> {
    const res = await parley.rest<{ QueryResult: { Status: string }[] }>('openim/query_online_status', { To_Account: [userId] });
    return res.QueryResult[0].Status;
  }
});
