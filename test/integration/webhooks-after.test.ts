/**
 * After-callbacks through the durable outbox against a real HTTP backend: every command,
 * order per key, retries with backoff, giving up, and the events the outbox stores.
 */
import { expect } from 'chai';
import { DELIVERED, ENQUEUED, GAVE_UP, outboxKeyOf } from '../../actors/outbox';
import { CALLBACK_COMMANDS } from '../../actors/apps/settings/callbacks';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { AfterResult } from '../../services/webhooks/client';
import { OK, TestBackend } from '../support/backend';
import { SDKAPPID, SERVICES, startNode, type WebhookNode } from './webhooks-support';

const AFTER_C2C = 'C2C.CallbackAfterSendMsg';

describe('webhooks: after-callbacks', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let node: WebhookNode;
  const queue = (command: string, orderKey: string, body: Record<string, unknown> = {}, extra: object = {}): Promise<AfterResult> =>
    node.broker.call('webhooks.after', { app: SDKAPPID, command, body, orderKey, ...extra });
  const stored = (orderKey: string) => runtimeOf(node.broker).store.read(`outbox:${outboxKeyOf(SDKAPPID, orderKey)}`);

  before(async () => {
    await backend.start();
    node = await startNode({ PARLEY_CALLBACK_URL: backend.url, PARLEY_CALLBACK_TOKEN: 'tok' }, undefined, [...SERVICES, 'presence']);
    await node.configure({ retryBaseMs: 50, retryMaxMs: 400 });
  });
  after(async () => {
    await node?.stop();
    await backend.stop();
  });
  beforeEach(() => {
    backend.received.length = 0;
    backend.respond = () => ({});
  });

  it('delivers every after CallbackCommand of the catalogue with its query and body', async () => {
    const commands = Object.entries(CALLBACK_COMMANDS).filter(([, family]) => family === 'after').map(([c]) => c);
    for (const command of commands) expect(await queue(command, `k-${command}`, { Probe: command }, { platform: 'Web', clientIp: '1.2.3.4' })).to.include({ queued: true });
    await backend.waitFor(() => backend.received.length >= commands.length, 'every after-callback');
    const seen = backend.received.map((r) => r.query.CallbackCommand).sort();
    expect(seen).to.deep.equal([...commands].sort());
    for (const r of backend.received) {
      expect(r.query).to.include({ SdkAppid: String(SDKAPPID), contenttype: 'json', ClientIP: '1.2.3.4', OptPlatform: 'Web' });
      expect(r.query).to.have.keys('SdkAppid', 'CallbackCommand', 'contenttype', 'ClientIP', 'OptPlatform', 'RequestTime', 'Sign');
      expect(r.body).to.include({ CallbackCommand: r.query.CallbackCommand, Probe: r.query.CallbackCommand });
      expect(r.body.EventTime).to.be.a('number');
    }
  });

  it('answers only once the item is stored, and records its delivery', async () => {
    const { id } = await queue(AFTER_C2C, 'durable');
    const events = await stored('durable');
    expect(events.find((e) => e.type === ENQUEUED && (e.data as { id: number }).id === id)).to.not.equal(undefined);
    await backend.waitFor(() => backend.received.length === 1, 'the delivery');
    await backend.waitFor(() => false, 'nothing', 50).catch(() => undefined);
    const delivered = (await stored('durable')).filter((e) => e.type === DELIVERED).flatMap((e) => (e.data as { ids: number[] }).ids);
    expect(delivered).to.include(id);
  });

  it('delivers the callbacks of each key in the order they were queued, keys in parallel', async () => {
    backend.respond = () => ({ delayMs: Math.floor(Math.random() * 15) });
    const keys = ['c2c:a|b', 'c2c:a|c', 'group:@TGS#1', 'user:z', 'c2c:x|y'];
    await Promise.all(keys.map(async (key) => {
      for (let n = 0; n < 20; n++) await queue(AFTER_C2C, key, { Key: key, N: n });
    }));
    await backend.waitFor(() => backend.received.length === 100, '100 callbacks');
    for (const key of keys) {
      expect(backend.received.filter((r) => r.body.Key === key).map((r) => r.body.N), key).to.deep.equal([...Array(20).keys()]);
    }
  });

  it('retries a failing backend with growing delays and delivers once it recovers, still in order', async () => {
    let failures = 0;
    const statuses = [503, 500, 502, 404];
    backend.respond = (r) => (r.body.N === 0 && failures < 4 ? { status: statuses[failures++] } : {});
    await queue(AFTER_C2C, 'retry', { N: 0 });
    await queue(AFTER_C2C, 'retry', { N: 1 });
    await backend.waitFor(() => backend.received.filter((r) => r.body.N === 1).length === 1, 'the second callback');
    const tries = backend.received.filter((r) => r.body.N === 0);
    expect(tries).to.have.length(5);
    const gaps = tries.slice(1).map((r, i) => r.at - tries[i].at);
    // base 50 ms doubled per failure, ±20 % jitter: 50, 100, 200, 400 (capped at 400)
    [50, 100, 200, 400].forEach((want, i) => expect(gaps[i], `gap ${i + 1}`).to.be.within(want * 0.8 - 5, want * 1.2 + 60));
    expect(backend.received.map((r) => r.body.N)).to.deep.equal([0, 0, 0, 0, 0, 1]);
  });

  it('counts an answer that is not JSON as a failure', async () => {
    let n = 0;
    backend.respond = () => (n++ === 0 ? { body: 'OK' } : { body: OK });
    await queue(AFTER_C2C, 'not-json');
    await backend.waitFor(() => backend.received.length === 2, 'a second attempt');
  });

  it('gives up an item older than retryMaxAgeMs, logs it as GaveUp, and goes on with the key', async () => {
    await node.configure({ retryMaxAgeMs: 1000, retryBaseMs: 100 });
    try {
      backend.respond = (r) => (r.body.N === 0 ? { status: 500 } : {});
      await queue(AFTER_C2C, 'doomed', { N: 0 });
      await queue(AFTER_C2C, 'doomed', { N: 1 });
      await backend.waitFor(() => backend.received.some((r) => r.body.N === 1), 'the next callback of the key', 8000);
      const gaveUp = (await stored('doomed')).filter((e) => e.type === GAVE_UP);
      expect(gaveUp).to.have.length(1);
      expect((gaveUp[0].data as { reason: string }).reason).to.match(/HTTP 500 after \d+ attempts/);
    } finally {
      await node.configure({ retryMaxAgeMs: 86_400_000, retryBaseMs: 50 });
    }
  });

  it('queues nothing for a command that is off or forbidden by ForbidCallbackControl', async () => {
    expect(await queue(AFTER_C2C, 'forbid', {}, { forbid: ['ForbidAfterSendMsgCallback'] })).to.deep.equal({ queued: false });
    await node.configure({ commands: ['State.StateChange'] });
    try {
      expect(await queue(AFTER_C2C, 'off')).to.deep.equal({ queued: false });
    } finally {
      await node.configure({ commands: ['*'] });
    }
    expect((await stored('off')).filter((e) => (e.data as { orderKey?: string }).orderKey === 'off')).to.have.length(0);
  });

  it('has a login stored as State.StateChange by the time presence answers it, iOS spelt IOS', async () => {
    await backend.stop(); // down: what arrives later was stored before the answer
    const device = { instId: 'ios-1', session: 1, platform: 'iOS', status: 'Online', nodeID: node.broker.nodeID, since: 1234, expiresAt: 0, push: false };
    await node.broker.call('presence.login', { app: SDKAPPID, userId: 'alice', device });
    const items = (await stored('alice')).filter((e) => e.type === ENQUEUED).map((e) => (e.data as { command: string }).command);
    expect(items).to.deep.equal(['State.StateChange']);
    await backend.start(backend.port);
    await backend.waitFor(() => backend.received.length === 1, 'State.StateChange');
    const [r] = backend.received;
    expect(r.query).to.include({ CallbackCommand: 'State.StateChange', OptPlatform: 'IOS' });
    expect(r.body).to.deep.equal({ CallbackCommand: 'State.StateChange', EventTime: 1234, Info: { Action: 'Login', To_Account: 'alice', Reason: 'Register' } });
  });

  it('reports a login again when the same device comes back through another node process, not when it reconnects to the same one', async () => {
    const device = (session: number, nodeID: string, instance: string) => ({ instId: 'web-1', session, platform: 'Web', status: 'Online', nodeID, instance, since: 1000 + session, expiresAt: 0, push: false });
    const login = (d: object) => node.broker.call('presence.login', { app: SDKAPPID, userId: 'bob', device: d });
    await login(device(1, 'n1', 'first'));
    await login(device(2, 'n1', 'first')); // a quick reconnect to the same process
    await login(device(3, 'n2', 'other')); // the device's node died; it came back elsewhere
    // A user's state changes are queued before each login answers and delivered in order, so
    // by the time the third login's report arrives, one for the reconnect would have come first.
    await backend.waitFor(() => backend.received.some((r) => r.body.EventTime === 1003), 'the login through another node');
    expect(backend.received.map((r) => [r.body.EventTime, (r.body.Info as { Action: string }).Action])).to.deep.equal([
      [1001, 'Login'],
      [1003, 'Login'],
    ]);
  });
});
