/**
 * Bad input on the socket and slow clients: every fault is answered (or closed where the
 * protocol says so) without changing the connection's state or hurting anyone else.
 */
import { expect } from 'chai';
import { WebSocket } from 'ws';
import type { ConnectorStats } from '../../services/connector/types';
import { FRAME_BURST } from '../../services/connector/flood';
import { FrameClient, startParley, sleep, until, type Parley } from './ws-harness';

describe('WebSocket gateway: bad input and backpressure', function () {
  this.timeout(30_000);
  let parley: Parley;
  const open: FrameClient[] = [];
  const client = async (query: Record<string, string | number> = {}) => {
    const c = await FrameClient.open(parley, query);
    open.push(c);
    return c;
  };

  before(async () => {
    parley = await startParley();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  after(async () => {
    await parley?.stop();
  });

  it('answers a frame that is not JSON with 60003 and still takes a login afterwards', async () => {
    const c = await client();
    const reply = await c.raw('{not json');
    expect(reply.ErrorCode).to.equal(60003);
    expect(c.pushes[0].head.servcmd).to.equal('parley.frame_error');
    expect((await c.login(parley, 'ann')).ErrorCode).to.equal(0);
  });

  it('answers a frame without a usable head with 60002, echoing servcmd and seq when it can', async () => {
    const c = await client();
    expect((await c.raw('[1,2]')).ErrorCode).to.equal(60002);
    const reply = await c.raw(JSON.stringify({ head: { servcmd: 'no dots here', seq: 7 }, body: {} }), 'no dots here7');
    expect(reply.ErrorCode).to.equal(60002);
  });

  it('refuses commands before login with 6014, and answers heartbeats', async () => {
    const c = await client();
    expect((await c.request('sns.friend_get', { StartIndex: 0 })).ErrorCode).to.equal(6014);
    expect((await c.request('im_sdk_config_mgr.fetch_config', {})).ErrorCode).to.equal(6014);
    expect(await c.request('heartbeat.alive')).to.deep.include({ ErrorCode: 0 });
  });

  it('answers an unknown command with 60009 and an administrators-only command with 60010, staying logged in', async () => {
    const c = await client();
    await c.login(parley, 'bert');
    expect((await c.request('nosuch.command', {})).ErrorCode).to.equal(60009);
    expect((await c.request('im_open_login_svc.kick', { UserID: 'bert' })).ErrorCode).to.equal(60010);
    const friends = await c.request('sns.friend_get', { From_Account: 'bert', StartIndex: 0 });
    expect(friends).to.deep.include({ ErrorCode: 0, CompleteFlag: 1, FriendNum: 0 });
  });

  it('answers an invalid body with the command\u2019s own code', async () => {
    const c = await client();
    await c.login(parley, 'cleo');
    expect((await c.request('sns.friend_get', { StartIndex: 'zero' })).ErrorCode).to.equal(30001);
  });

  it('refuses a UserSig of another app with 70014 and leaves the socket logged out', async () => {
    const c = await client();
    const res = await c.login(parley, 'emil', parley.sig('emil', { sdkAppId: 1400000002 }));
    expect(res.ErrorCode).to.equal(70014);
    expect((await c.request('sns.friend_get', {})).ErrorCode).to.equal(6014);
  });

  it('refuses a forged A2Key and a tinyid of another user', async () => {
    const c = await client();
    const login = await c.login(parley, 'finn');
    const forged = String(login.A2Key).replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    const d = await client();
    expect((await d.request('im_open_status.wslogin', {}, { a2: forged, tinyid: login.TinyId })).ErrorCode).to.equal(70009);
    expect((await d.request('im_open_status.wslogin', {}, { a2: login.A2Key, tinyid: '144115188075855873' })).ErrorCode).to.equal(70003);
  });

  it('closes a connection that sends a frame over the size limit with 1009, and no other', async () => {
    const bystander = await client();
    await bystander.login(parley, 'gus');
    const c = await client();
    c.ws.send(Buffer.alloc(70 * 1024, 0x20));
    await until('closed', () => c.closeCode !== undefined);
    expect(c.closeCode).to.equal(1009);
    expect((await bystander.request('heartbeat.alive')).ErrorCode).to.equal(0);
  });

  it('answers frames over a connection’s rate with 60007, leaves other connections alone, and admits it again after a pause', async () => {
    const bystander = await client();
    const c = await client();
    const answers: Record<string, unknown>[] = [];
    // In batches below the in-flight cap, so only the rate can refuse them.
    // Until the first refusal: on a loaded machine the bucket refills while the burst is sent.
    for (let i = 0; i < 20 * FRAME_BURST && !answers.some((a) => a.ErrorCode === 60007); i += 50) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => c.request('heartbeat.alive')))));
    }
    const refused = answers.filter((a) => a.ErrorCode === 60007);
    expect(answers.length, 'frames admitted before the first refusal').to.be.at.least(FRAME_BURST);
    expect(refused.length, 'refused').to.be.at.least(1);
    expect(String(refused[0].ErrorInfo)).to.match(/frames per second/);
    expect((await bystander.request('heartbeat.alive')).ErrorCode ?? 0).to.equal(0);
    // The bucket refills with time itself: waiting for time is what is tested here.
    await sleep(1000);
    expect((await c.request('heartbeat.alive')).ErrorCode ?? 0).to.equal(0);
  });

  it('refuses an upgrade without sdkappid or instanceid', async () => {
    const ws = new WebSocket(`${parley.proxyServer}/binfo?platform=7`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).to.equal(400);
  });

  it('disconnects a client that stops reading once its buffer is full, while others keep receiving', async () => {
    const slow = await client();
    await slow.login(parley, 'hugo');
    const fast = await client();
    await fast.login(parley, 'ines');
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const body = { EventArray: [], Pad: 'x'.repeat(60_000) };
    const before = await parley.broker.call<ConnectorStats>('connector.stats');
    for (let i = 0; i < 400 && slow.closeCode === undefined; i++) {
      await parley.broker.call('connector.deliver', { app: parley.sdkAppId, userId: 'hugo', servcmd: 'im_open_push.msg_push', body });
      await parley.broker.call('connector.deliver', { app: parley.sdkAppId, userId: 'ines', servcmd: 'im_open_push.msg_push', body: { EventArray: [], I: i } });
      const now = await parley.broker.call<ConnectorStats>('connector.stats');
      if (now.slowDisconnects > before.slowDisconnects) break;
    }
    await sleep(50);
    const after = await parley.broker.call<ConnectorStats>('connector.stats');
    expect(after.slowDisconnects).to.equal(before.slowDisconnects + 1);
    await until('fast got its pushes', () => fast.pushes.length > 0);
    const last = fast.pushes[fast.pushes.length - 1].body as { I: number };
    expect(fast.pushes.length).to.equal(last.I + 1);
    expect((await fast.request('heartbeat.alive')).ErrorCode).to.equal(0);
  });
});
