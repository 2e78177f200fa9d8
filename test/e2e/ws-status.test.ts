/**
 * Online status over the socket: Online at login, Offline when a web page goes, PushOnline
 * for a mobile device registered for push whose connection ended, per platform in
 * query_online_status, and every change published as `user.status.changed`.
 */
import { expect } from 'chai';
import type { Context } from 'moleculer';
import type { UserStatusChanged } from '../../services/presence/client';
import { FrameClient, startParley, until, type Parley } from './ws-harness';

describe('WebSocket gateway: online status', function () {
  this.timeout(20_000);
  let parley: Parley;
  const seen: UserStatusChanged[] = [];
  const changes = (userId: string) => seen.filter((e) => e.userId === userId).map((e) => `${e.platform}:${e.status}`);
  const status = async (userId: string) => {
    const res = await parley.rest<{ QueryResult: { Status: string; Detail: { Platform: string; Status: string }[] }[] }>('openim/query_online_status', {
      To_Account: [userId],
      IsNeedDetail: 1,
    });
    return res.QueryResult[0];
  };

  before(async () => {
    parley = await startParley();
    parley.broker.createService({
      name: 'status-spy',
      events: { 'user.status.changed': (ctx: Context<UserStatusChanged>) => void seen.push(ctx.params) },
    });
    await parley.broker.waitForServices('status-spy');
  });
  after(async () => {
    await parley?.stop();
  });

  it('reports a web device Online at login and Offline as soon as its connection closes', async () => {
    const c = await FrameClient.open(parley);
    await c.login(parley, 'wendy');
    expect(await status('wendy')).to.deep.include({ Status: 'Online', Detail: [{ Platform: 'Web', Status: 'Online' }] });
    c.close();
    await until('wendy offline', async () => (await status('wendy')).Status === 'Offline');
    await until('events', () => changes('wendy').length === 2);
    expect(changes('wendy')).to.deep.equal(['Web:Online', 'Web:Offline']);
  });

  it('keeps a mobile device registered for push as PushOnline after its connection ends', async () => {
    const c = await FrameClient.open(parley, { platform: 102 });
    await c.login(parley, 'mike');
    const reg = await c.request('im_open_status.ws_stat_settoken', { TokenID: 1, VarToken: 'device-token', PushMsg: 0 });
    expect(reg.ErrorCode).to.equal(0);
    c.close();
    await until('mike push-online', async () => (await status('mike')).Status === 'PushOnline');
    expect((await status('mike')).Detail).to.deep.equal([{ Platform: 'Android', Status: 'PushOnline' }]);
    await until('events', () => changes('mike').length === 2);
    expect(changes('mike')).to.deep.equal(['Android:Online', 'Android:PushOnline']);
  });

  it('turns a PushOnline device Online again when the same app instance logs in again', async () => {
    const instanceid = 'f00dfeedf00dfeedf00dfeedf00dfeed';
    const first = await FrameClient.open(parley, { platform: 101, instanceid });
    await first.login(parley, 'nora');
    await first.request('im_open_status.ws_stat_settoken', { VarToken: 'apns-token' });
    first.close();
    await until('nora push-online', async () => (await status('nora')).Status === 'PushOnline');
    const again = await FrameClient.open(parley, { platform: 101, instanceid });
    await again.login(parley, 'nora');
    expect(await status('nora')).to.deep.include({ Status: 'Online', Detail: [{ Platform: 'iPhone', Status: 'Online' }] });
    again.close();
  });

  it('reports a mobile device without push registration Offline once gone', async () => {
    const c = await FrameClient.open(parley, { platform: 101 });
    await c.login(parley, 'olga');
    c.close();
    await until('olga offline', async () => (await status('olga')).Status === 'Offline');
  });

  it('reports an explicit logout Offline even for a push-registered mobile device', async () => {
    const c = await FrameClient.open(parley, { platform: 102 });
    await c.login(parley, 'pete');
    await c.request('im_open_status.ws_stat_settoken', { VarToken: 'fcm-token' });
    expect((await c.request('im_open_status.wslogout', { wslogout_type: 0 })).ErrorCode).to.equal(0);
    expect((await status('pete')).Status).to.equal('Offline');
    c.close();
  });

  it('turns PushOnline devices Offline when the app kicks the user', async () => {
    const c = await FrameClient.open(parley, { platform: 102 });
    await c.login(parley, 'quin');
    await c.request('im_open_status.ws_stat_settoken', { VarToken: 'fcm-token' });
    c.close();
    await until('quin push-online', async () => (await status('quin')).Status === 'PushOnline');
    await parley.rest('im_open_login_svc/kick', { UserID: 'quin' });
    await until('quin offline', async () => (await status('quin')).Status === 'Offline');
  });
});
