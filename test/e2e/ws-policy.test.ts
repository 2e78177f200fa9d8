/**
 * Multi-device login policies (the seed's single/dual/triple/multi platform login, per-platform
 * instance caps), REST kicks, and online status as REST reports it — with the real SDK as the
 * web device and bare protocol clients as native ones (platform 101 iPhone … 105 Mac).
 */
import { expect } from 'chai';
import type { AppSettings } from '../../actors/apps/settings/app-settings';
import { appDirectory } from '../../services/apps/registry';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, until, type Parley } from './ws-harness';

const NATIVE = { iPhone: 101, Android: 102, iPad: 103, PC: 104, Mac: 105 } as const;

describe('WebSocket gateway: multi-device policies and kicks', function () {
  this.timeout(30_000);
  let parley: Parley;
  const sdks: SdkClient[] = [];
  const frames: FrameClient[] = [];
  let n = 0;
  const uid = (name: string) => `${name}${++n}`;

  const web = async (userId: string, userSig = parley.sig(userId)) => {
    const client = await createSdkClient({ sdkAppId: parley.sdkAppId, userId, userSig, proxyServer: parley.proxyServer });
    sdks.push(client);
    await client.login();
    return client;
  };
  const native = async (userId: string, platform: keyof typeof NATIVE) => {
    const client = await FrameClient.open(parley, { platform: NATIVE[platform] });
    frames.push(client);
    expect((await client.login(parley, userId)).ErrorCode).to.equal(0);
    return client;
  };
  const kickTypeOf = (c: FrameClient) => {
    const push = c.pushes.find((p) => JSON.stringify(p.body).includes('KickoutMsgNotify'));
    const items = (push?.body.EventArray as { C2cNotifyMsgArray: { KickoutMsgNotify: { KickType: number } }[] }[] | undefined) ?? [];
    return items[0]?.C2cNotifyMsgArray[0].KickoutMsgNotify.KickType;
  };
  const kickedOut = (c: SdkClient) => c.events.waitFor(c.TencentCloudChat.EVENT.KICKED_OUT) as Promise<{ type: string }>;
  const policy = async (login: Partial<AppSettings['login']>) => {
    const settings = { login: { policy: 'dual', instancesPerPlatform: 1, webInstances: 1, ...login } };
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings });
    await until('settings applied', () => JSON.stringify(appDirectory(parley.broker).get(parley.sdkAppId)?.settings.login) === JSON.stringify(settings.login));
  };
  const detail = async (userId: string) => {
    const res = await parley.rest<{ QueryResult: { Status: string; Detail: { Platform: string; Status: string }[] }[] }>('openim/query_online_status', {
      To_Account: [userId],
      IsNeedDetail: 1,
    });
    return res.QueryResult[0];
  };
  const platforms = async (userId: string) => (await detail(userId)).Detail.map((d) => d.Platform).sort();

  before(async () => {
    parley = await startParley();
  });
  afterEach(async () => {
    for (const f of frames.splice(0)) f.close();
    await Promise.all(sdks.splice(0).map((c) => c.destroy()));
    await policy({});
  });
  after(async () => {
    await parley?.stop();
  });

  describe('dual-platform (default)', () => {
    it('a second web login kicks the first with multipleAccount (web cap 1)', async () => {
      const id = uid('dual');
      const first = await web(id);
      const second = await web(id);
      expect((await kickedOut(first)).type).to.equal(first.TencentCloudChat.TYPES.KICKED_OUT_MULT_ACCOUNT);
      expect(first.chat.isReady()).to.equal(false);
      expect(second.chat.isReady()).to.equal(true);
      expect(await platforms(id)).to.deep.equal(['Web']);
    });

    it('keeps web and one native platform together, and a second native platform kicks the first with KickType 2', async () => {
      const id = uid('dual');
      const browser = await web(id);
      const android = await native(id, 'Android');
      expect(await platforms(id)).to.deep.equal(['Android', 'Web']);
      await native(id, 'Mac');
      await until('android kicked', () => kickTypeOf(android) === 2);
      expect(await platforms(id)).to.deep.equal(['Mac', 'Web']);
      expect(browser.chat.isReady()).to.equal(true);
    });
  });

  describe('single-platform', () => {
    it('a login on any other platform kicks the web SDK with multipleDevice', async () => {
      await policy({ policy: 'single' });
      const id = uid('single');
      const browser = await web(id);
      await native(id, 'iPad');
      expect((await kickedOut(browser)).type).to.equal(browser.TencentCloudChat.TYPES.KICKED_OUT_MULT_DEVICE);
      expect(await platforms(id)).to.deep.equal(['iPad']);
    });
  });

  describe('triple-platform', () => {
    it('keeps web, one mobile and one desktop; another mobile platform kicks the first', async () => {
      await policy({ policy: 'triple' });
      const id = uid('triple');
      const browser = await web(id);
      const android = await native(id, 'Android');
      const pc = await native(id, 'PC');
      expect(await platforms(id)).to.deep.equal(['Android', 'PC', 'Web']);
      await native(id, 'iPhone');
      await until('android kicked', () => kickTypeOf(android) === 2);
      expect(kickTypeOf(pc)).to.equal(undefined);
      expect(browser.chat.isReady()).to.equal(true);
      expect(await platforms(id)).to.deep.equal(['PC', 'Web', 'iPhone']);
    });
  });

  describe('multi-platform', () => {
    it('keeps every platform; a second device of one platform kicks the first with KickType 1', async () => {
      await policy({ policy: 'multi' });
      const id = uid('multi');
      await web(id);
      const android = await native(id, 'Android');
      for (const p of ['iPhone', 'iPad', 'PC', 'Mac'] as const) await native(id, p);
      expect(await platforms(id)).to.deep.equal(['Android', 'Mac', 'PC', 'Web', 'iPad', 'iPhone']);
      await native(id, 'Android');
      await until('first android kicked', () => kickTypeOf(android) === 1);
      expect((await platforms(id)).length).to.equal(6);
    });
  });

  describe('instance caps', () => {
    it('allows as many devices of one platform as the cap, then kicks the oldest', async () => {
      await policy({ instancesPerPlatform: 2 });
      const id = uid('cap');
      const a = await native(id, 'Android');
      const b = await native(id, 'Android');
      expect(await platforms(id)).to.deep.equal(['Android', 'Android']);
      await native(id, 'Android');
      await until('oldest kicked', () => kickTypeOf(a) === 1);
      expect(kickTypeOf(b)).to.equal(undefined);
    });

    it('has a web cap of its own: two web SDKs stay logged in together', async () => {
      await policy({ webInstances: 2 });
      const id = uid('webcap');
      const first = await web(id);
      const second = await web(id);
      expect(first.chat.isReady() && second.chat.isReady()).to.equal(true);
      expect(await platforms(id)).to.deep.equal(['Web', 'Web']);
    });
  });

  describe('REST kick', () => {
    it('disconnects every device with REST_API_Kick, voids earlier UserSigs and A2Keys, and reports Offline', async () => {
      const id = uid('kick');
      const oldSig = parley.sig(id, { now: Math.floor(Date.now() / 1000) - 5 });
      const browser = await web(id, oldSig);
      const android = await native(id, 'Android');
      await until('both online', async () => (await detail(id)).Detail.length === 2);
      expect((await parley.rest('im_open_login_svc/kick', { UserID: id })).ErrorCode).to.equal(0);
      expect((await kickedOut(browser)).type).to.equal(browser.TencentCloudChat.TYPES.KICKED_OUT_REST_API);
      await until('android kicked and closed', () => kickTypeOf(android) === 3 && android.closeCode !== undefined);
      expect((await detail(id)).Status).to.equal('Offline');
      const again = await FrameClient.open(parley);
      frames.push(again);
      expect((await again.login(parley, id, oldSig)).ErrorCode).to.equal(70001);
    });

    it('refuses a re-login with an A2Key issued before the kick', async () => {
      const id = uid('kicka2');
      const client = await FrameClient.open(parley);
      frames.push(client);
      const login = await client.login(parley, id);
      await new Promise((r) => setTimeout(r, 1100)); // kicks void tickets of earlier seconds
      await parley.rest('im_open_login_svc/kick', { UserID: id });
      const retry = await FrameClient.open(parley);
      frames.push(retry);
      const res = await retry.request('im_open_status.wslogin', {}, { a2: login.A2Key, tinyid: login.TinyId });
      expect(res.ErrorCode).to.equal(70001);
    });
  });
});
