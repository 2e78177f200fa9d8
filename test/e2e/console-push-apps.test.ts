/**
 * The console's push credentials and apps (/console/api/push, apps, apps/create, apps/rotate):
 * credentials are checked as `parley apps set` checks them and never shown back (a set flag
 * and a fingerprint), in answers, the audit log or the log; apps are managed by the first
 * app's administrators only, and a secret key is shown once, in the answer that made it.
 */
import { createECDH } from 'node:crypto';
import { expect } from 'chai';
import { adminCredentials, authorization, consoleCall, type CallOptions, type ConsoleAnswer } from '../support/console';
import { REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { apnsKeys, serviceAccount } from '../support/push-servers';
import { tencentUserSig } from '../support/tencent-sig';
import { captureLogs } from '../support/logs';

type Reply = ConsoleAnswer & Record<string, unknown>;
type PushView = Record<'apns' | 'fcm' | 'webpush', Record<string, unknown>>;
interface StoredPush {
  apns: { key: string; teamId: string; bundleId: string };
  fcm: { serviceAccount: { private_key: string } | null };
  webpush: { privateKey: string; publicKey: string };
}

describe('console: push credentials and apps (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  const api = (method: string, path: string, options: CallOptions = {}) => consoleCall(server, method, { ...options, path: `/console/api/${path}` }) as Promise<Reply>;
  const stored = async () => (await server.broker.call<{ settings: { push?: StoredPush } }, object>('apps.get', { sdkAppId: server.app.sdkAppId })).settings.push;
  const lastAudit = async () => ((await api('GET', 'audit?limit=1')).Entries as { Action: string; Target: string; Fields: string[]; ErrorCode?: number }[])[0];
  const apns = apnsKeys().key;
  const vapid = createECDH('prime256v1');
  vapid.generateKeys();
  const webpush = { publicKey: vapid.getPublicKey().toString('base64url'), privateKey: vapid.getPrivateKey().toString('base64url'), subject: 'mailto:ops@example.com' };

  // Everything the server logs at info level while this file runs: no secret may be in it.
  const logs = captureLogs();
  /** Secret keys the apps tests were shown. */
  const secrets: string[] = [];
  let created: { SdkAppId: number; SecretKey: string };

  before(async () => {
    server = await startEmbedded({ services: REST_SERVICES, env: { PARLEY_LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await server?.stop();
    logs.restore();
  });

  describe('push credentials', () => {
    it('shows every provider off on a new app', async () => {
      const answer = await api('GET', 'push');
      expect(answer.status, answer.raw).to.equal(200);
      const push = answer.Push as PushView;
      expect([push.apns.on, push.fcm.on, push.webpush.on]).to.deep.equal([false, false, false]);
    });

    it('sets APNs credentials checked as apps set checks them, and never shows the key back', async () => {
      const answer = await api('PATCH', 'push', { body: { apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', bundleId: 'com.example.chat', key: apns } } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((answer.Push as PushView).apns).to.include({ on: true, teamId: 'TEAM123456', bundleId: 'com.example.chat', keySet: true });
      expect((answer.Push as PushView).apns.keyFingerprint).to.match(/^[0-9a-f]{12}$/);
      expect(answer.raw).to.not.include('PRIVATE KEY');
      expect((await stored())?.apns.key).to.equal(apns);
      expect(await lastAudit()).to.deep.include({ Action: 'push', Target: `app ${server.app.sdkAppId}`, Fields: ['apns.teamId', 'apns.keyId', 'apns.bundleId', 'apns.key'], ErrorCode: 0 });
    });

    it('changes a field without the key, keeping the stored key', async () => {
      const answer = await api('PATCH', 'push', { body: { apns: { bundleId: 'com.example.other' } } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((await stored())?.apns).to.include({ key: apns, bundleId: 'com.example.other', teamId: 'TEAM123456' });
    });

    it('refuses a key that cannot sign (RSA for APNs), naming the field, never the value, storing nothing', async () => {
      const before = await stored();
      const rsa = serviceAccount('https://oauth2.example.com/token').account.private_key;
      const answer = await api('PATCH', 'push', { body: { apns: { key: rsa } } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 70402]);
      expect(answer.ErrorInfo).to.match(/push\.apns\.key/);
      expect(answer.raw).to.not.include('PRIVATE KEY');
      expect(await stored()).to.deep.equal(before);
      const entry = await lastAudit();
      expect(entry).to.deep.include({ Action: 'push', Fields: ['apns.key'], ErrorCode: 70402 });
      expect(JSON.stringify(entry)).to.not.include('PRIVATE KEY');
    });

    it('sets FCM from the pasted service-account file, and refuses one that is not JSON', async () => {
      const account = serviceAccount('https://oauth2.example.com/token').account;
      const answer = await api('PATCH', 'push', { body: { fcm: { serviceAccount: JSON.stringify(account) } } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((answer.Push as PushView).fcm).to.include({ on: true, projectId: 'parley-test', clientEmail: account.client_email, keySet: true });
      expect(answer.raw).to.not.include('PRIVATE KEY');
      const bad = await api('PATCH', 'push', { body: { fcm: { serviceAccount: '{"project_id": "x",' } } });
      expect([bad.status, bad.ErrorCode]).to.deep.equal([422, 70402]);
      expect((await stored())?.fcm.serviceAccount?.private_key).to.equal(account.private_key);
    });

    it('sets Web Push VAPID keys and shows the public key only', async () => {
      const answer = await api('PATCH', 'push', { body: { webpush } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((answer.Push as PushView).webpush).to.include({ on: true, publicKey: webpush.publicKey, privateKeySet: true });
      expect(answer.raw).to.not.include(webpush.privateKey);
      const bad = await api('PATCH', 'push', { body: { webpush: { privateKey: 'short' } } });
      expect([bad.status, bad.ErrorCode]).to.deep.equal([422, 70402]);
      expect((await stored())?.webpush.privateKey).to.equal(webpush.privateKey);
    });

    it('removes a provider with null, and refuses an unknown provider or field', async () => {
      const answer = await api('PATCH', 'push', { body: { apns: null } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((answer.Push as PushView).apns).to.include({ on: false, keySet: false, teamId: '' });
      expect((await stored())?.apns.key).to.equal('');
      expect((await lastAudit()).Fields).to.deep.equal(['apns']);
      for (const body of [{ hms: {} }, { apns: { secret: 'x' } }, { apns: 'x' }]) expect((await api('PATCH', 'push', { body })).ErrorCode, JSON.stringify(body)).to.equal(70402);
    });

    it('refuses a write by cookie without the console header (CSRF), storing nothing', async () => {
      const signIn = await fetch(`${server.baseUrl}/console/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Parley-Console': '1' }, body: JSON.stringify(adminCredentials(server)) });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      const before = await stored();
      for (const [path, method] of [['push', 'PATCH'], ['apps/create', 'POST']]) {
        const res = await fetch(`${server.baseUrl}/console/api/${path}`, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ webpush: null }) });
        expect(res.status, path).to.equal(403);
      }
      expect(await stored()).to.deep.equal(before);
      expect(((await api('GET', 'apps')).Apps as unknown[]).length).to.equal(1);
    });
  });

  describe('apps', () => {
    it('lists the apps without their secret keys', async () => {
      const answer = await api('GET', 'apps');
      expect(answer.status, answer.raw).to.equal(200);
      expect(answer.Apps).to.deep.equal([{ SdkAppId: server.app.sdkAppId, Admins: [server.app.admin], CreateTime: (answer.Apps as { CreateTime: number }[])[0].CreateTime, SignedIn: true }]);
      expect(answer.raw).to.not.include(server.app.secret);
    });

    it('creates an app whose key, shown once, signs UserSigs REST accepts', async () => {
      const answer = await api('POST', 'apps/create', { body: { Admins: ['boss'] } });
      expect(answer.status, answer.raw).to.equal(200);
      created = answer as unknown as typeof created;
      secrets.push(created.SecretKey);
      expect(created.SecretKey).to.match(/^[0-9a-f]{64}$/);
      const listed = await api('GET', 'apps');
      expect((listed.Apps as { SdkAppId: number }[]).map((a) => a.SdkAppId)).to.deep.equal([server.app.sdkAppId, created.SdkAppId]);
      expect(listed.raw).to.not.include(created.SecretKey);
      const other = { app: { ...server.app, sdkAppId: created.SdkAppId, secret: created.SecretKey, admin: 'boss' }, baseUrl: server.baseUrl };
      expect((await consoleCall(other, 'GET', { path: '/console/api/session' })).status).to.equal(200);
      const entry = await lastAudit();
      expect(entry).to.deep.include({ Action: 'apps/create', Target: 'a new app', Fields: ['Admins'], ErrorCode: 0 });
      expect(JSON.stringify(entry)).to.not.include(created.SecretKey);
    });

    it("refuses the apps of the installation to another app's administrator (403)", async () => {
      const other = { app: { ...server.app, sdkAppId: created.SdkAppId, secret: created.SecretKey, admin: 'boss' }, baseUrl: server.baseUrl };
      for (const [method, path, body] of [['GET', 'apps', undefined], ['POST', 'apps/rotate', { SdkAppId: server.app.sdkAppId }]] as const) {
        const answer = await consoleCall(other, method, { path: `/console/api/${path}`, body });
        expect([answer.status, answer.ErrorCode], path).to.deep.equal([403, 60010]);
      }
      expect((await api('GET', 'apps')).status).to.equal(200);
    });

    it('rotates a secret key: the old key signs nothing from then on, the new one does', async () => {
      const oldSig = authorization({ sdkappid: String(created.SdkAppId), identifier: 'boss', usersig: tencentUserSig({ sdkAppId: created.SdkAppId, key: created.SecretKey, userId: 'boss' }) });
      expect((await consoleCall(server, 'GET', { path: '/console/api/session', auth: oldSig })).status).to.equal(200);
      const answer = await api('POST', 'apps/rotate', { body: { SdkAppId: created.SdkAppId } });
      expect(answer.status, answer.raw).to.equal(200);
      const key = answer.SecretKey as string;
      secrets.push(key);
      expect(key).to.match(/^[0-9a-f]{64}$/).and.not.equal(created.SecretKey);
      expect((await consoleCall(server, 'GET', { path: '/console/api/session', auth: oldSig })).status).to.equal(401);
      const newSig = authorization({ sdkappid: String(created.SdkAppId), identifier: 'boss', usersig: tencentUserSig({ sdkAppId: created.SdkAppId, key, userId: 'boss' }) });
      expect((await consoleCall(server, 'GET', { path: '/console/api/session', auth: newSig })).status).to.equal(200);
      const entry = await lastAudit();
      expect(entry).to.deep.include({ Action: 'apps/rotate', Target: `app ${created.SdkAppId}`, Fields: ['SdkAppId'], ErrorCode: 0 });
      expect(JSON.stringify(entry)).to.not.include(key);
    });

    it('refuses to rotate an app that does not exist, or a bad body', async () => {
      expect((await api('POST', 'apps/rotate', { body: { SdkAppId: 123 } })).ErrorCode).to.equal(70020);
      for (const body of [{ SdkAppId: 'x' }, { SdkAppId: created.SdkAppId, SecretKey: 'mine' }, {}]) {
        const answer = await api('POST', 'apps/rotate', { body });
        expect([answer.status, answer.ErrorCode], JSON.stringify(body)).to.deep.equal([422, 70402]);
      }
      expect((await api('POST', 'apps/create', { body: { Admins: ['bad id!'] } })).ErrorCode).to.equal(70402);
    });
  });

  describe('the log', () => {
    it('holds the changes by field name, and no private or secret key', () => {
      expect(logs.matching(/console request .*: push \(apns\)/)).to.have.length.greaterThan(0);
      const text = logs.lines.join('\n');
      expect(secrets).to.have.length(2);
      for (const secret of ['PRIVATE KEY', webpush.privateKey, ...secrets]) expect(text).to.not.include(secret);
    });
  });
});
