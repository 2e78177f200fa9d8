/**
 * Offline push end to end: an app backend registers device tokens (Parley's REST extension)
 * and sends messages over REST; the loopback APNs and FCM servers (test/support/push-servers.ts)
 * receive what a phone would show. Online devices, PushFlag 1 and muted group members get
 * nothing; a token the provider calls gone, a logout or a kick removes the registration.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../actors/apps';
import type { PendingPush } from '../../actors/pushq';
import { pushqKey, pushShardOf } from '../../actors/pushq';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';
import { ApnsServer, apnsKeys, FcmServer, serviceAccount } from '../support/push-servers';

const hex = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const ok = (a: Answer) => expect(a.ErrorCode, a.ErrorInfo).to.equal(0);

describe('offline push (REST, APNs and FCM on loopback)', function () {
  this.timeout(30_000);
  const keys = apnsKeys();
  const apns = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  const fcm = new FcmServer();
  let server: Embedded;
  let rest: RestClient;
  let random = 1;
  const send = (from: string, to: string, body: object[], extra: object = {}) => rest.call('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: body, ...extra });
  const apnsTo = (user: string) => apns.received.filter((r) => r.token === hex(user));
  const alertOf = (r: { payload: Record<string, unknown> }) => (r.payload.aps as { alert: { title: string; body: string } }).alert;

  /** Waits until the user's push shard has nothing pending (every job of it delivered or skipped). */
  async function drained(user: string): Promise<void> {
    const key = pushqKey(server.app.sdkAppId, pushShardOf(user));
    for (let i = 0; i < 500; i++) {
      const { items } = await server.broker.call<{ items: PendingPush[] }, object>('push.dispatch', { key, command: { op: 'pending', limit: 10, now: Date.now() } });
      if (items.length === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`push shard of ${user} never drained`);
  }

  before(async () => {
    await Promise.all([apns.start(), fcm.start()]);
    const sa = serviceAccount(fcm.tokenUri);
    fcm.publicKey = sa.publicKey;
    fcm.clientEmail = sa.account.client_email;
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends', 'groups', 'push', 'pushdevices'] });
    rest = adminRest(server);
    const push = {
      apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: apns.endpoint },
      fcm: { serviceAccount: sa.account, endpoint: fcm.endpoint },
      retryBaseMs: 20,
      retryMaxMs: 100,
    };
    const app = await server.broker.call<App, object>('apps.update', { sdkAppId: server.app.sdkAppId, settings: { push } });
    for (let i = 0; JSON.stringify((await server.broker.call<App, object>('apps.get', { sdkAppId: server.app.sdkAppId })).settings) !== JSON.stringify(app.settings); i++) {
      if (i > 500) throw new Error('the app directory never saw the push settings');
      await new Promise((r) => setTimeout(r, 5));
    }
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol', 'dave'] }));
    ok(await rest.call('parley_push/set_token', { UserID: 'bob', Provider: 'apns', Token: hex('bob'), InstId: 'bob-phone' }));
    ok(await rest.call('parley_push/set_token', { UserID: 'carol', Provider: 'fcm', Token: 'fcm-carol', InstId: 'carol-phone' }));
  });
  after(async () => {
    await server?.stop();
    await Promise.all([apns.stop(), fcm.stop()]);
  });

  it('pushes a one-to-one message to the offline recipient: sender as title, text as body, unread as badge, MsgKey as collapse id', async () => {
    const answer = await send('alice', 'bob', text('hello bob'));
    ok(answer);
    await apns.waitFor('the push to bob', () => apnsTo('bob').length >= 1);
    const r = apnsTo('bob')[0];
    expect(alertOf(r)).to.deep.equal({ title: 'alice', body: 'hello bob' });
    expect((r.payload.aps as { badge: number }).badge).to.equal(1);
    expect(r.headers['apns-collapse-id']).to.equal(answer.MsgKey);
    expect(r.payload).to.include({ conversationID: 'C2Calice', from: 'alice' });
  });

  it('follows OfflinePushInfo (Title, Desc, Ext, ApnsInfo) and summarises other elements ("[Image]")', async () => {
    const before = apnsTo('bob').length;
    ok(await send('alice', 'bob', text('x'), { OfflinePushInfo: { Title: 'T', Desc: 'D', Ext: '{"k":1}', ApnsInfo: { Sound: 'ding.caf', SubTitle: 'S' } } }));
    ok(await send('alice', 'bob', [{ MsgType: 'TIMImageElem', MsgContent: { UUID: 'u1', ImageFormat: 1, ImageInfoArray: [{ Type: 1, Size: 1, Width: 1, Height: 1, URL: 'https://x/1.jpg' }] } }]));
    await apns.waitFor('two more pushes to bob', () => apnsTo('bob').length >= before + 2);
    const [custom, image] = apnsTo('bob').slice(before).sort((a, b) => (alertOf(a).title === 'T' ? -1 : 1) - (alertOf(b).title === 'T' ? -1 : 1));
    expect(alertOf(custom)).to.deep.equal({ title: 'T', body: 'D', subtitle: 'S' });
    expect(custom.payload).to.include({ ext: '{"k":1}' });
    expect((custom.payload.aps as { sound: string }).sound).to.equal('ding.caf');
    expect(alertOf(image).body).to.equal('[Image]');
  });

  it('pushes nothing for PushFlag 1', async () => {
    const before = apnsTo('bob').length;
    ok(await send('alice', 'bob', text('silent'), { OfflinePushInfo: { PushFlag: 1 } }));
    ok(await send('alice', 'bob', text('after the silent one')));
    await apns.waitFor('the push after the silent one', () => apnsTo('bob').some((r) => alertOf(r).body === 'after the silent one'));
    expect(apnsTo('bob').slice(before).map((r) => alertOf(r).body)).to.deep.equal(['after the silent one']);
  });

  it('pushes nothing to a device that is Online, and pushes once it is PushOnline', async () => {
    const app = server.broker;
    const device = { instId: 'bob-phone', session: 7, platform: 'iPhone', status: 'Online', nodeID: app.nodeID, since: Date.now(), expiresAt: 0, push: true };
    await app.call('presence.login', { app: server.app.sdkAppId, userId: 'bob', device });
    const before = apnsTo('bob').length;
    ok(await send('alice', 'bob', text('while online')));
    await drained('bob');
    await app.call('presence.leave', { app: server.app.sdkAppId, userId: 'bob', instId: 'bob-phone', session: 7, mode: 'away' });
    ok(await send('alice', 'bob', text('in the background')));
    await apns.waitFor('the background push', () => apnsTo('bob').some((r) => alertOf(r).body === 'in the background'));
    expect(apnsTo('bob').slice(before).map((r) => alertOf(r).body)).to.deep.equal(['in the background']);
  });

  it('pushes group messages to notified members through FCM (group name as title, "nick: text"), not to members who chose AcceptNotNotify', async () => {
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'Climbers', MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'carol' }] });
    ok(created);
    ok(await rest.call('group_open_http_svc/modify_group_member_info', { GroupId: created.GroupId, Member_Account: 'bob', MsgFlag: 'AcceptNotNotify' }));
    const bobBefore = apnsTo('bob').length;
    ok(await rest.call('group_open_http_svc/send_group_msg', { GroupId: created.GroupId, From_Account: 'alice', Random: random++, MsgBody: text('summit at noon') }));
    await fcm.waitFor('the group push to carol', () => fcm.received.length >= 1);
    const m = fcm.received[0].payload as { notification: { title: string; body: string }; android: { collapse_key: string } };
    expect(m.notification).to.deep.equal({ title: 'Climbers', body: 'alice: summit at noon' });
    await drained('bob');
    expect(apnsTo('bob').length).to.equal(bobBefore);
  });

  it('retries a provider in trouble with backoff and delivers each push once', async () => {
    const before = apnsTo('bob').length;
    apns.failNext = 3;
    ok(await send('alice', 'bob', text('through trouble')));
    await apns.waitFor('the push after three 503s', () => apnsTo('bob').some((r) => alertOf(r).body === 'through trouble'));
    await drained('bob');
    expect(apnsTo('bob').slice(before).map((r) => alertOf(r).body)).to.deep.equal(['through trouble']);
  });

  it('removes a token the provider calls gone (410)', async () => {
    ok(await rest.call('parley_push/set_token', { UserID: 'dave', Provider: 'apns', Token: hex('dave'), InstId: 'dave-phone' }));
    apns.gone.add(hex('dave'));
    ok(await send('alice', 'dave', text('to a dead token')));
    await drained('dave');
    expect((await rest.call('parley_push/get_tokens', { UserID: 'dave' })).Devices).to.deep.equal([]);
  });

  it('removes the token of a device that logged out, and every token of a kicked user', async () => {
    ok(await rest.call('parley_push/set_token', { UserID: 'dave', Provider: 'fcm', Token: 'fcm-dave-1', InstId: 'd1' }));
    ok(await rest.call('parley_push/set_token', { UserID: 'dave', Provider: 'fcm', Token: 'fcm-dave-2', InstId: 'd2' }));
    server.broker.emit('user.status.changed', { app: server.app.sdkAppId, userId: 'dave', platform: 'Android', status: 'Offline', instId: 'd1', at: Date.now(), reason: 'logout' });
    const tokens = async () => ((await rest.call('parley_push/get_tokens', { UserID: 'dave' })).Devices as { InstId: string }[]).map((d) => d.InstId);
    for (let i = 0; (await tokens()).includes('d1'); i++) if (i > 200) throw new Error('d1 kept its token');
    expect(await tokens()).to.deep.equal(['d2']);
    ok(await rest.call('im_open_login_svc/kick', { UserID: 'dave' }));
    for (let i = 0; (await tokens()).length > 0; i++) if (i > 200) throw new Error('the kick kept the tokens');
  });

  it('refuses a Web Push token that is not a subscription, with a clear error', async () => {
    const answer = await rest.call('parley_push/set_token', { UserID: 'bob', Provider: 'webpush', Token: 'nope' });
    expect(answer.ErrorCode).to.equal(90001);
    expect(answer.ErrorInfo).to.match(/PushSubscription/);
  });
});
