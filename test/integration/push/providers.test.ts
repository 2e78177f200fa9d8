/**
 * Each provider module against a loopback server of its real protocol (test/support/push-servers.ts):
 * the port's contract, plus what is particular to each (JWT reuse, OAuth caching, headers,
 * aes128gcm payloads) and the credentials the app settings refuse.
 */
import crypto from 'node:crypto';
import https from 'node:https';
import { expect } from 'chai';
import webpush from 'web-push';
import { DEFAULT_PUSH, pushProblem, pushSettings, type ApnsSettings, type FcmSettings, type WebPushSettings } from '../../../actors/apps/settings/push';
import { mergeSettings, DEFAULT_SETTINGS } from '../../../actors/apps/settings/app-settings';
import { ApnsProvider } from '../../../services/push/providers/apns';
import { FcmProvider } from '../../../services/push/providers/fcm';
import { WebPushProvider } from '../../../services/push/providers/webpush';
import { ApnsServer, apnsKeys, FcmServer, serviceAccount, WebPushServer, type Subscriber } from '../../support/push-servers';
import { providerContract, sample } from './contract';

const hex = (device: string) => crypto.createHash('sha256').update(device).digest('hex');

describe('push providers against loopback servers', function () {
  this.timeout(20_000);
  const keys = apnsKeys();
  const apnsServer = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  const fcmServer = new FcmServer();
  const webServer = new WebPushServer();
  const apns = new ApnsProvider();
  const fcm = new FcmProvider();
  let web: WebPushProvider;
  let apnsCreds: ApnsSettings;
  let fcmCreds: FcmSettings;
  let webCreds: WebPushSettings;
  const subscribers = new Map<string, Subscriber>();

  before(async () => {
    await Promise.all([apnsServer.start(), fcmServer.start(), webServer.start()]);
    web = new WebPushProvider(new https.Agent({ ca: webServer.ca }));
    apnsCreds = { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: apnsServer.endpoint };
    const sa = serviceAccount(fcmServer.tokenUri);
    fcmServer.publicKey = sa.publicKey;
    fcmServer.clientEmail = sa.account.client_email;
    fcmCreds = { serviceAccount: sa.account, endpoint: fcmServer.endpoint };
    const vapid = webpush.generateVAPIDKeys();
    webCreds = { publicKey: vapid.publicKey, privateKey: vapid.privateKey, subject: 'mailto:ops@example.com' };
  });
  after(async () => {
    await Promise.all([apns.close(), fcm.close(), web.close()]);
    await Promise.all([apnsServer.stop(), fcmServer.stop(), webServer.stop()]);
  });

  providerContract('APNs', () => ({
    send: (device, n) => apns.send(apnsCreds, hex(device), n),
    received: () => apnsServer.received,
    shown: (r) => {
      const aps = r.payload.aps as { alert: { title: string; body: string }; badge?: number };
      return { title: aps.alert.title, body: aps.alert.body, badge: aps.badge, ext: r.payload.ext as string };
    },
    kill: (device) => apnsServer.gone.add(hex(device)),
    failNext: (n) => (apnsServer.failNext = n),
  }));

  providerContract('FCM v1', () => ({
    send: (device, n) => fcm.send(fcmCreds, `fcm-${device}`, n),
    received: () => fcmServer.received,
    shown: (r) => {
      const m = r.payload as { notification: { title: string; body: string }; data: { ext: string }; android: { notification: { notification_count?: number } } };
      return { title: m.notification.title, body: m.notification.body, badge: m.android.notification.notification_count, ext: m.data.ext };
    },
    kill: (device) => fcmServer.gone.add(`fcm-${device}`),
    failNext: (n) => (fcmServer.failNext = n),
  }));

  providerContract('Web Push', () => ({
    send: (device, n) => {
      const s = subscribers.get(device) ?? webServer.subscribe(device);
      subscribers.set(device, s);
      return web.send(webCreds, JSON.stringify(s.subscription), n);
    },
    received: () => webServer.received,
    shown: (r) => r.payload as { title: string; body: string; badge?: number; ext?: string },
    kill: (device) => webServer.gone.add(device),
    failNext: (n) => (webServer.failNext = n),
  }));

  it('APNs: sends the headers Apple reads and reuses one provider token', async () => {
    const before = apnsServer.received.length;
    await apns.send(apnsCreds, hex('h1'), sample({ collapseId: 'x'.repeat(100), expiresAt: 1_900_000_000, priority: 'normal' }));
    await apns.send(apnsCreds, hex('h2'), sample());
    const [a, b] = apnsServer.received.slice(before);
    expect(a.headers).to.include({ 'apns-push-type': 'alert', 'apns-priority': '5', 'apns-expiration': '1900000000', 'apns-topic': 'com.example.chat' });
    expect(Buffer.byteLength(a.headers['apns-collapse-id'])).to.be.at.most(64);
    expect(b.headers['apns-priority']).to.equal('10');
    expect(apns.providerToken(apnsCreds)).to.equal(apns.providerToken(apnsCreds));
  });

  it('APNs: a key the server does not trust is refused, not retried forever', async () => {
    const other = { ...apnsCreds, key: apnsKeys().key };
    const outcome = await apns.send(other, hex('h3'), sample());
    expect(outcome).to.include({ ok: false, gone: false });
    expect(apnsServer.refused).to.include('InvalidProviderToken');
  });

  it('APNs: an endpoint that does not answer is a retryable failure, never a crash', async () => {
    const outcome = await apns.send({ ...apnsCreds, endpoint: 'http://127.0.0.1:1' }, hex('h4'), sample());
    expect(outcome).to.include({ ok: false, retry: true });
  });

  it('FCM: exchanges the service-account assertion once and reuses the access token', async () => {
    const before = fcmServer.exchanges;
    await fcm.send(fcmCreds, 'fcm-a', sample());
    await fcm.send(fcmCreds, 'fcm-b', sample());
    expect(fcmServer.exchanges - before).to.be.at.most(1);
    expect(fcmServer.refused.filter((r) => r.startsWith('oauth'))).to.deep.equal([]);
  });

  it('Web Push: the browser decrypts the aes128gcm payload and sees the Topic and urgency', async () => {
    const s = webServer.subscribe('topic-check');
    await web.send(webCreds, JSON.stringify(s.subscription), sample({ collapseId: '1_42_1796000000' }));
    const r = webServer.received.at(-1)!;
    expect(r.headers).to.include({ topic: '1_42_1796000000', urgency: 'high' });
    expect(r.payload).to.include({ title: 'Alice', body: 'hello 👋' });
  });

  describe('credentials refused when set', () => {
    it('refuses an APNs key that is not ES256', () => {
      const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const problem = pushProblem(pushSettings({ push: { ...DEFAULT_PUSH, apns: { ...apnsCreds, key: rsa } } }));
      expect(problem).to.match(/ES256/);
      expect(problem).to.not.contain('PRIVATE KEY');
    });

    it('refuses a service account without private key, through the app settings', () => {
      const { private_key: _drop, ...noKey } = fcmCreds.serviceAccount!;
      expect(() => mergeSettings(DEFAULT_SETTINGS, { push: { fcm: { serviceAccount: noKey } } })).to.throw(/no private_key/);
    });

    it('refuses VAPID keys of the wrong size and accepts good ones', () => {
      expect(() => mergeSettings(DEFAULT_SETTINGS, { push: { webpush: { ...webCreds, publicKey: 'abc' } } })).to.throw(/publicKey/);
      expect(mergeSettings(DEFAULT_SETTINGS, { push: { webpush: webCreds } }).push.webpush.publicKey).to.equal(webCreds.publicKey);
    });
  });
});
