import { expect } from 'chai';
import { DELIVERED, ENQUEUED, GAVE_UP, outboxKind, shardOf, OUTBOX_SHARDS, type OutboxCommand, type OutboxEvent, type OutboxItem } from '../../actors/outbox';
import { DEFAULT_CALLBACK } from '../../actors/apps/settings/callbacks';
import { mergeSettings, DEFAULT_SETTINGS } from '../../actors/apps/settings/app-settings';
import { callbackTarget, sign } from '../../services/webhooks/request';
import { stateChangeBody } from '../../services/webhooks/state-change';

describe('webhook signature and query', () => {
  // Tencent's sample token is "xxxxyyyy" (our reference notes say "xxxyyy", a typo: that hash does not match).
  it('signs as hex(sha256(token + RequestTime)), matching the documented sample', () => {
    expect(sign('xxxxyyyy', 1669872112)).to.equal('17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061');
  });

  it('keeps a query string already in the configured URL and appends Tencent parameters after it', () => {
    const target = callbackTarget({ ...DEFAULT_CALLBACK, url: 'https://example.com:8443/cb?x=1' }, { app: 1400000001, command: 'State.StateChange', platform: 'iOS' });
    expect(target).to.deep.equal({
      origin: 'https://example.com:8443',
      path: '/cb?x=1&SdkAppid=1400000001&CallbackCommand=State.StateChange&contenttype=json&ClientIP=&OptPlatform=IOS',
    });
  });
});

describe('callback settings', () => {
  it('fills the callback section with defaults for apps stored before it existed', () => {
    const { callback: _drop, ...old } = DEFAULT_SETTINGS;
    const merged = mergeSettings(old as typeof DEFAULT_SETTINGS, { callback: { url: 'http://127.0.0.1:9/cb' } });
    expect(merged.callback).to.deep.equal({ ...DEFAULT_CALLBACK, url: 'http://127.0.0.1:9/cb' });
  });

  for (const [what, patch] of [
    ['a URL that is not http(s)', { url: 'ftp://x' }],
    ['an unknown CallbackCommand', { commands: ['C2C.CallbackNope'] }],
    ['a timeout below 100 ms', { timeoutMs: 5 }],
    ['an unknown timeout policy', { beforeTimeoutPolicy: 'maybe' }],
  ] as const) {
    it(`refuses ${what}`, () => {
      expect(() => mergeSettings(DEFAULT_SETTINGS, { callback: patch })).to.throw();
    });
  }
});

describe('outbox actor', () => {
  const item = (orderKey: string) => ({ command: 'C2C.CallbackAfterSendMsg', orderKey, body: '{}', platform: 'RESTAPI', clientIp: '' });
  const run = (events: OutboxEvent[], command: OutboxCommand) => {
    const state = events.reduce(outboxKind.evolve, outboxKind.initialState('1:0'));
    return outboxKind.decide(state, command);
  };
  const enqueued = (id: number, orderKey = 'a'): OutboxEvent => ({ type: ENQUEUED, data: { ...item(orderKey), id, at: 1 } });

  it('gives queued items consecutive ids after the last one', () => {
    const { events, reply } = run([enqueued(1), enqueued(2)], { op: 'enqueue', items: [item('a'), item('b')], now: 5 });
    expect(reply).to.deep.equal({ ids: [3, 4] });
    expect(events.map((e) => e.data)).to.deep.equal([
      { ...item('a'), id: 3, at: 5 },
      { ...item('b'), id: 4, at: 5 },
    ]);
  });

  it('lists pending items oldest first, without those delivered or given up', () => {
    const history: OutboxEvent[] = [enqueued(1), enqueued(2), enqueued(3), { type: DELIVERED, data: { ids: [1], at: 2 } }, { type: GAVE_UP, data: { id: 3, attempts: 4, reason: 'x', at: 3 } }];
    const { reply } = run(history, { op: 'pending', limit: 10 });
    expect((reply as { items: OutboxItem[] }).items.map((i) => i.id)).to.deep.equal([2]);
  });

  it('marks the ids a listing brings delivered in one event, and lists what is left', () => {
    const { events, reply } = run([enqueued(1), enqueued(2), enqueued(3)], { op: 'pending', limit: 10, delivered: [1, 3, 9], now: 7 });
    expect(events).to.deep.equal([{ type: DELIVERED, data: { ids: [1, 3], at: 7 } }]);
    expect((reply as { items: OutboxItem[] }).items.map((i) => i.id)).to.deep.equal([2]);
  });

  it('records nothing when an item is acknowledged twice', () => {
    const { events } = run([enqueued(1), { type: DELIVERED, data: { ids: [1], at: 2 } }], { op: 'delivered', ids: [1], now: 3 });
    expect(events).to.deep.equal([]);
  });

  it('spreads order keys over every shard, always the same shard for one key', () => {
    const shards = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`c2c:u${i}|v${i}`)));
    expect(shards.size).to.equal(OUTBOX_SHARDS);
    expect(shardOf('group:@TGS#1')).to.equal(shardOf('group:@TGS#1'));
  });
});

describe('user.status.changed → State.StateChange', () => {
  it('maps a login to Login/Register with the kicked devices', () => {
    expect(stateChangeBody({ app: 1, userId: 'u', status: 'online', at: 7, kickedPlatforms: ['Web'] })).to.deep.equal({
      EventTime: 7,
      Info: { Action: 'Login', To_Account: 'u', Reason: 'Register' },
      KickedDevice: [{ Platform: 'Web' }],
    });
  });

  it('maps a heartbeat loss to Disconnect/TimeOut and a closed link to Disconnect/LinkClose', () => {
    expect(stateChangeBody({ app: 1, userId: 'u', status: 'disconnected', reason: 'heartbeat timeout', at: 1 })?.Info).to.deep.equal({ Action: 'Disconnect', To_Account: 'u', Reason: 'TimeOut' });
    expect(stateChangeBody({ app: 1, userId: 'u', status: 'Disconnect', at: 1 })?.Info).to.deep.equal({ Action: 'Disconnect', To_Account: 'u', Reason: 'LinkClose' });
  });

  it('ignores a status it does not know', () => {
    expect(stateChangeBody({ app: 1, userId: 'u', status: 'away' })).to.equal(undefined);
  });
});
