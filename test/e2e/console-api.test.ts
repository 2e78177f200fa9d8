/**
 * The console's JSON API over real HTTP: who it refuses (no, malformed, forged, expired and
 * non-administrator credentials), what it reads (never the secret key or the token), and how
 * it writes (partial, through apps.update's validation, nothing stored on a refusal).
 */
import { expect } from 'chai';
import { CALLBACK_COMMANDS } from '../../actors/apps/settings/callbacks';
import { adminCredentials, authorization, consoleCall, storedCallback, type ConsoleAnswer } from '../support/console';
import { startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

function expectRefused(answer: ConsoleAnswer, status: number, code: number): void {
  expect(answer, answer.raw).to.include({ status, ActionStatus: 'FAIL', ErrorCode: code });
  expect(answer.RequestId).to.match(/^Id-/);
  expect(answer.headers.get('cache-control')).to.equal('no-store');
}

describe('console API (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  const read = () => consoleCall(server, 'GET');
  const write = (body: unknown) => consoleCall(server, 'PATCH', { body });

  before(async () => {
    server = await startEmbedded();
  });
  after(() => server?.stop());

  describe('authentication', () => {
    const sigOf = (extra: { key?: string; now?: number; expire?: number; userId?: string }) =>
      tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId: server.app.admin, ...extra });
    const withSig = (usersig: string, identifier = server.app.admin) => authorization({ sdkappid: String(server.app.sdkAppId), identifier, usersig });
    const cases: [string, () => string | null, number][] = [
      ['no Authorization header', () => null, 60012],
      ['another scheme', () => `Basic ${Buffer.from('administrator:x').toString('base64')}`, 60012],
      ['no usersig', () => `UserSig sdkappid=${server.app.sdkAppId}, identifier=${server.app.admin}`, 70002],
      ['a UserSig signed with another key', () => withSig(sigOf({ key: 'not-the-secret-of-this-app' })), 70009],
      ['an expired UserSig', () => withSig(sigOf({ now: Math.floor(Date.now() / 1000) - 100, expire: 10 })), 70001],
      ['a UserSig that is not one', () => withSig('garbage'), 70003],
      ["another user's UserSig under the administrator's name", () => withSig(sigOf({ userId: 'bob' })), 70013],
      ['an unknown SDKAppID', () => authorization({ ...adminCredentials(server), sdkappid: '1234567' }), 70020],
    ];
    for (const [what, auth, code] of cases) {
      it(`refuses ${what} with 401 and ${code}`, async () => {
        const answer = await consoleCall(server, 'GET', { auth: auth() });
        expectRefused(answer, 401, code);
        expect(answer.headers.get('www-authenticate')).to.equal('UserSig');
      });
    }

    it('refuses a valid UserSig of a user who is not an administrator with 403 and 60010', async () => {
      expectRefused(await consoleCall(server, 'GET', { auth: authorization(adminCredentials(server, 'bob')) }), 403, 60010);
    });

    it('refuses a write without credentials and stores nothing', async () => {
      const before = await storedCallback(server);
      expectRefused(await consoleCall(server, 'PATCH', { auth: null, body: { url: 'http://127.0.0.1:9/x' } }), 401, 60012);
      expect(await storedCallback(server)).to.deep.equal(before);
    });

    it('does not take credentials from the query string', async () => {
      const c = adminCredentials(server);
      const answer = await consoleCall(server, 'GET', { auth: null, path: `/console/api/callback?${new URLSearchParams({ ...c })}` });
      expectRefused(answer, 401, 60012);
    });
  });

  describe('reading', () => {
    it("answers the app's callback settings and every command name of the catalogue", async () => {
      const answer = await read();
      expect(answer).to.include({ status: 200, ActionStatus: 'OK', ErrorCode: 0, SdkAppId: server.app.sdkAppId });
      expect(answer.Callback).to.deep.equal({
        url: '',
        tokenSet: false,
        commands: ['*'],
        timeoutMs: 2000,
        beforeTimeoutPolicy: 'allow',
        retryBaseMs: 1000,
        retryMaxMs: 60000,
        retryMaxAgeMs: 86400000,
      });
      expect(answer.Commands).to.deep.equal(Object.keys(CALLBACK_COMMANDS));
    });

    it('never shows the secret key or the token, only whether a token is set', async () => {
      expect((await write({ token: 'the-signing-token-42' })).Callback?.tokenSet).to.equal(true);
      const answer = await read();
      expect(answer.Callback?.tokenSet).to.equal(true);
      expect(answer.raw).not.to.include('the-signing-token-42').and.not.to.include(server.app.secret);
      expect(answer.Callback).not.to.have.property('token');
    });
  });

  describe('writing', () => {
    it('stores the fields given and answers the new settings', async () => {
      const answer = await write({ url: 'https://backend.example.com/im', timeoutMs: 1500, beforeTimeoutPolicy: 'reject' });
      expect(answer.status, answer.raw).to.equal(200);
      expect(answer.Callback).to.include({ url: 'https://backend.example.com/im', timeoutMs: 1500, beforeTimeoutPolicy: 'reject' });
      expect(await storedCallback(server)).to.include({ url: 'https://backend.example.com/im', timeoutMs: 1500, beforeTimeoutPolicy: 'reject' });
    });

    it('keeps every field a write leaves out', async () => {
      await write({ url: 'https://a.example.com/cb', token: 'keep-me', commands: ['C2C.CallbackAfterSendMsg'], retryBaseMs: 500, retryMaxMs: 9000, retryMaxAgeMs: 60000 });
      const before = await storedCallback(server);
      await write({ timeoutMs: 3000 });
      expect(await storedCallback(server)).to.deep.equal({ ...before, timeoutMs: 3000 });
    });

    it('removes the token when given an empty one', async () => {
      await write({ token: 'short-lived' });
      expect((await write({ token: '' })).Callback?.tokenSet).to.equal(false);
      expect(await storedCallback(server)).to.include({ token: '' });
    });

    const invalid: [string, unknown, RegExp][] = [
      ['a URL that is not http(s)', { url: 'ftp://backend.example.com' }, /callback\.url/],
      ['a timeout under 100 ms', { timeoutMs: 50 }, /timeoutMs/],
      ['a timeout that is not a number', { timeoutMs: '2s' }, /timeoutMs/],
      ['an unknown policy', { beforeTimeoutPolicy: 'maybe' }, /beforeTimeoutPolicy/],
      ['an unknown command', { commands: ['C2C.CallbackBeforeSendMsg', 'Nope.Nothing'] }, /commands/],
      ['a field the section does not have', { url: 'https://ok.example.com', tokenSet: true }, /tokenSet/],
      ['a token over 256 characters', { token: 'x'.repeat(257) }, /token/],
    ];
    for (const [what, body, mentions] of invalid) {
      it(`refuses ${what} with 422 and 70402, naming the field, and changes nothing`, async () => {
        const before = await storedCallback(server);
        const answer = await write(body);
        expectRefused(answer, 422, 70402);
        expect(answer.ErrorInfo).to.match(mentions);
        expect(await storedCallback(server)).to.deep.equal(before);
      });
    }

    it('refuses a body that is not a JSON object with 400 and 60003', async () => {
      expectRefused(await write('{"url":'), 400, 60003);
      expectRefused(await write('["url"]'), 400, 60003);
    });

    it('refuses a body that is not declared as JSON with 415', async () => {
      expectRefused(await consoleCall(server, 'PATCH', { body: '{"timeoutMs":2000}', contentType: 'text/plain' }), 415, 60003);
    });

    it('answers 405 to another method and 404 to another resource', async () => {
      expectRefused(await consoleCall(server, 'DELETE'), 405, 60002);
      expectRefused(await consoleCall(server, 'GET', { path: '/console/api/secrets' }), 404, 60009);
    });
  });
});
