/**
 * The seed's status timings, shortened through their settings so a test can watch them: a
 * silent web or native connection is dropped after its idle time, and a PushOnline device
 * turns Offline when its push period ends.
 */
import { expect } from 'chai';
import type { Context } from 'moleculer';
import type { UserStatusChanged } from '../../services/presence/client';
import { FrameClient, sleep, startParley, until, type Parley } from './ws-harness';

describe('WebSocket gateway: status timings', function () {
  this.timeout(20_000);
  let parley: Parley;
  const seen: UserStatusChanged[] = [];
  const status = async (userId: string) =>
    (await parley.rest<{ QueryResult: { Status: string }[] }>('openim/query_online_status', { To_Account: [userId] })).QueryResult[0].Status;

  before(async () => {
    parley = await startParley({ PARLEY_WEB_IDLE_SEC: '1', PARLEY_NATIVE_IDLE_SEC: '2', PARLEY_PUSH_ONLINE_SEC: '2', PARLEY_PRESENCE_SWEEP_SEC: '1' });
    parley.broker.createService({ name: 'timing-spy', events: { 'user.status.changed': (ctx: Context<UserStatusChanged>) => void seen.push(ctx.params) } });
    await parley.broker.waitForServices('timing-spy');
  });
  after(() => parley?.stop());

  it('drops a silent web connection after the web idle time and reports the user Offline', async () => {
    const c = await FrameClient.open(parley);
    await c.login(parley, 'quiet');
    expect(await status('quiet')).to.equal('Online');
    await until('the silent web socket to be closed', () => c.closeCode !== undefined, 5000);
    await until('quiet offline', async () => (await status('quiet')) === 'Offline');
  });

  it('keeps a web connection that sends heartbeats', async () => {
    const c = await FrameClient.open(parley);
    await c.login(parley, 'chatty');
    for (let i = 0; i < 5; i++) {
      await sleep(500);
      await c.request('heartbeat.alive');
    }
    expect(c.closeCode).to.equal(undefined);
    expect(await status('chatty')).to.equal('Online');
    c.close();
  });

  it('gives native clients their longer idle time', async () => {
    // A web connection that went silent just before the native one is dropped first, at the
    // sweep that finds it past the web idle time; the native one is then silent for less.
    const web = await FrameClient.open(parley);
    await web.login(parley, 'browser');
    const c = await FrameClient.open(parley, { platform: 102 });
    await c.login(parley, 'droid');
    await until('the silent web socket to be closed', () => web.closeCode !== undefined, 5000);
    expect(c.closeCode, 'closed with the web idle time').to.equal(undefined);
    await until('the silent native socket to be closed', () => c.closeCode !== undefined, 5000);
  });

  it('turns a PushOnline device Offline when its push period ends, and says so on the bus', async () => {
    const c = await FrameClient.open(parley, { platform: 101 });
    await c.login(parley, 'ios');
    await c.request('im_open_status.ws_stat_settoken', { VarToken: 'apns-token' });
    c.close();
    await until('ios push-online', async () => (await status('ios')) === 'PushOnline');
    await until('ios offline after the push period', async () => (await status('ios')) === 'Offline', 8000);
    await until('the Offline event', () => seen.some((e) => e.userId === 'ios' && e.status === 'Offline'));
    expect(seen.filter((e) => e.userId === 'ios').map((e) => e.status)).to.deep.equal(['Online', 'PushOnline', 'Offline']);
  });
});
