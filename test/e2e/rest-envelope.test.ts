/**
 * What every REST call shares: the URL and its query, the admin's UserSig, the JSON body, the
 * per-app rate limits, HTTP 200 and keep-alive. Driven from outside with fetch.
 */
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import { expect } from 'chai';
import type { Service } from 'moleculer';
import { RestClient, startEmbedded, type Answer, type Embedded, type Query } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const CHECK = 'im_open_login_svc/account_check';
const IMPORT = 'im_open_login_svc/account_import';
const checkBody = { CheckItem: [{ UserID: 'someone' }] };

async function answerOf(res: Response): Promise<Answer> {
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^application\/json/);
  return (await res.json()) as Answer;
}

function expectFail(answer: Answer, code: number): void {
  expect(answer, answer.ErrorInfo).to.include({ ActionStatus: 'FAIL', ErrorCode: code });
  expect(answer.RequestId).to.be.a('string').and.match(/^Id-/);
}

describe('REST envelope and common errors (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const sig = (userId: string, extra: { sdkAppId?: number; key?: string; now?: number; expire?: number } = {}) =>
    tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId, ...extra });
  const call = async (command: string, body: unknown, query: Query = {}, method = 'POST') => answerOf(await rest.raw(rest.url(command, query), body, method));

  before(async () => {
    server = await startEmbedded();
    rest = new RestClient(server.baseUrl, server.app, (userId) => sig(userId));
  });
  after(() => server?.stop());

  it('answers a good call with ActionStatus OK, ErrorCode 0 and a RequestId', async () => {
    const answer = await call(CHECK, checkBody);
    expect(answer).to.include({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(answer.RequestId).to.match(/^Id-/);
  });

  it('gives every request its own RequestId', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await call(CHECK, checkBody)).RequestId));
    expect(new Set(ids).size).to.equal(3);
  });

  describe('query string', () => {
    const cases: [string, Query, number][] = [
      ['a missing sdkappid', { sdkappid: undefined }, 60012],
      ['a non-numeric sdkappid', { sdkappid: 'abc' }, 60006],
      ['an unknown sdkappid', { sdkappid: '1234567' }, 70020],
      ['a missing identifier', { identifier: undefined }, 60004],
      ['a missing usersig', { usersig: undefined }, 70002],
      ['an empty usersig', { usersig: '' }, 70002],
      ['a random that is not a uint32', { random: '4294967296' }, 60002],
      ['a contenttype other than json', { contenttype: 'xml' }, 60002],
    ];
    for (const [what, query, code] of cases) {
      it(`refuses ${what} with ${code}`, async () => expectFail(await call(CHECK, checkBody, query), code));
    }

    it('refuses an identifier that is not an administrator of the app with 60010', async () => {
      expectFail(await call(CHECK, checkBody, { identifier: 'bob', usersig: sig('bob') }), 60010);
    });

    it('accepts a call without random or contenttype', async () => {
      expect((await call(CHECK, checkBody, { random: undefined, contenttype: undefined })).ErrorCode).to.equal(0);
    });
  });

  describe('UserSig', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, () => string, number][] = [
      ['an expired UserSig', () => sig(server.app.admin, { now: now() - 100, expire: 10 }), 70001],
      ['a UserSig signed with another key', () => sig(server.app.admin, { key: 'not-the-secret-of-this-app' }), 70009],
      ['a UserSig of another user', () => sig('bob'), 70013],
      ['a UserSig of another app', () => sig(server.app.admin, { sdkAppId: server.app.sdkAppId + 1 }), 70014],
      ['a garbage UserSig', () => 'garbage!!not-a-sig', 70003],
      ['a UserSig that inflates to something other than a ticket', () => deflateSync('{"TLS.ver":"1.0"}').toString('base64').replace(/\//g, '-').replace(/\+/g, '*').replace(/=/g, '_'), 70005],
    ];
    for (const [what, make, code] of cases) {
      it(`refuses ${what} with ${code}`, async () => expectFail(await call(CHECK, checkBody, { usersig: make() }), code));
    }

    it('accepts the last second of a UserSig', async () => {
      const answer = await call(CHECK, checkBody, { usersig: sig(server.app.admin, { now: now() - 5, expire: 60 }) });
      expect(answer.ErrorCode).to.equal(0);
    });

    it('does not import anything on a refused call', async () => {
      expectFail(await call(IMPORT, { UserID: 'refused1' }, { usersig: sig('bob') }), 70013);
      const answer = await call(CHECK, { CheckItem: [{ UserID: 'refused1' }] });
      expect((answer.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('NotImported');
    });
  });

  describe('URL and method', () => {
    it('refuses a URL that is not /v4/{service}/{command} with 60002', async () => {
      for (const tail of ['only', 'a/b/c', '']) {
        expectFail(await answerOf(await rest.raw(`${server.baseUrl}/v4/${tail}?sdkappid=${server.app.sdkAppId}`, {})), 60002);
      }
    });

    it('refuses GET with 60002', async () => {
      expectFail(await call(CHECK, undefined, {}, 'GET'), 60002);
    });

    it('refuses an unknown command with 60009', async () => {
      expectFail(await call('im_open_login_svc/no_such_command', {}), 60009);
      expectFail(await call('no_such_service/account_check', checkBody), 60009);
    });
  });

  describe('body', () => {
    const cases: [string, string, number][] = [
      ['a body that is not JSON', '{"UserID":', 60003],
      ['an empty body', '', 60003],
      ['a JSON array', '[{"UserID":"x"}]', 60003],
      ['a JSON string', '"text"', 60003],
      ['JSON null', 'null', 60003],
    ];
    for (const [what, raw, code] of cases) {
      it(`refuses ${what} with ${code}`, async () => expectFail(await call(IMPORT, raw), code));
    }

    it('refuses a body over 1 MiB with 60003 and imports nothing', async () => {
      const raw = JSON.stringify({ UserID: 'bigbody', Nick: 'n', Pad: 'x'.repeat(1 << 20) });
      expectFail(await call(IMPORT, raw), 60003);
      const answer = await call(CHECK, { CheckItem: [{ UserID: 'bigbody' }] });
      expect((answer.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('NotImported');
    });

    it('answers deeply nested JSON without crashing, and keeps serving', async () => {
      const depth = 100_000;
      const raw = `{"UserID":"deep","Extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const answer = await call(IMPORT, raw);
      expect(answer.ActionStatus).to.be.oneOf(['OK', 'FAIL']);
      const nested = `{"UserID":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      expectFail(await call(IMPORT, nested), 60003); // refused before parsing (services/commands/json-depth.ts)
      expect((await call(CHECK, checkBody)).ErrorCode).to.equal(0);
    });

    it('ignores unknown fields', async () => {
      expect((await call(IMPORT, { UserID: 'extra1', Unknown: { deep: [1, 2] } })).ErrorCode).to.equal(0);
    });
  });

  describe('rate limits', () => {
    let limited: RestClient;
    // Limits count per wall-clock second: start each burst at the beginning of a new one.
    const waitForFreshSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));

    before(async () => {
      const secret = 'second-app-secret-0123456789';
      const app = await server.broker.call<{ sdkAppId: number }, object>('apps.create', {
        admins: ['boss'],
        secretKey: secret,
        settings: { rateLimits: { default: 2, account: 2 } },
      });
      limited = new RestClient(server.baseUrl, { sdkAppId: app.sdkAppId, secret, admin: 'boss' }, (userId) =>
        tencentUserSig({ sdkAppId: app.sdkAppId, key: secret, userId }),
      );
    });

    it('refuses calls over an API’s per-second limit with 60007, counting each API apart, and leaves state unchanged', async () => {
      await waitForFreshSecond();
      const answers = [];
      for (const UserID of ['r1', 'r2', 'r3']) answers.push(await limited.call(IMPORT, { UserID }));
      expect(answers.map((a) => a.ErrorCode)).to.deep.equal([0, 0, 60007]);
      expect(answers[2].ActionStatus).to.equal('FAIL');
      const check = await limited.call(CHECK, { CheckItem: [{ UserID: 'r1' }, { UserID: 'r3' }] });
      expect((check.ResultItem as { AccountStatus: string }[]).map((r) => r.AccountStatus)).to.deep.equal(['Imported', 'NotImported']);
    });

    it('allows calls again in the next second', async () => {
      await waitForFreshSecond();
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.call(CHECK, checkBody)).ErrorCode);
      expect(codes).to.deep.equal([0, 0, 60007]);
      await waitForFreshSecond();
      expect((await limited.call(CHECK, checkBody)).ErrorCode).to.equal(0);
    });

    it('does not count the calls of one app against another', async () => {
      await waitForFreshSecond();
      for (let i = 0; i < 3; i++) await limited.call(CHECK, checkBody);
      const codes = await Promise.all([1, 2, 3, 4].map(async () => (await rest.call(CHECK, checkBody)).ErrorCode));
      expect(codes).to.deep.equal([0, 0, 0, 0]);
    });

    it('applies a changed limit at once', async () => {
      await server.broker.call('apps.update', { sdkAppId: limited.app.sdkAppId, settings: { rateLimits: { account: 5 } } });
      await waitForFreshSecond();
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await limited.call(CHECK, checkBody)).ErrorCode);
      expect(codes).to.deep.equal([0, 0, 0, 0, 0, 60007]);
    });
  });

  describe('HTTP', () => {
    it('answers HTTP 200 with Connection keep-alive, also for refusals', async () => {
      for (const query of [{}, { sdkappid: undefined }, { usersig: 'bad' }]) {
        const res = await rest.raw(rest.url(CHECK, query), checkBody);
        expect(res.status).to.equal(200);
        await res.arrayBuffer();
      }
      const plain = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(rest.url(CHECK), { method: 'POST', headers: { 'Content-Type': 'application/json' } }, resolve);
        req.on('error', reject);
        req.end(JSON.stringify(checkBody));
      });
      plain.resume();
      expect(plain.statusCode).to.equal(200);
      expect(plain.headers.connection).to.equal('keep-alive');
    });

    it('serves many calls over one kept-alive connection, also after refusals that leave the body unread', async () => {
      const api = server.broker.getLocalService('api') as Service & { server: http.Server };
      let connections = 0;
      const count = () => void connections++;
      api.server.on('connection', count);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const big = JSON.stringify({ ...checkBody, Pad: 'x'.repeat(300_000) });
      const calls: [Query, string, number][] = [
        [{}, JSON.stringify(checkBody), 0],
        [{ usersig: 'bad' }, big, 70003],
        [{}, JSON.stringify(checkBody), 0],
        [{}, JSON.stringify({ Pad: 'x'.repeat(3 << 20) }), 60003],
        [{}, 'not json', 60003],
        [{}, JSON.stringify(checkBody), 0],
      ];
      try {
        const reused: boolean[] = [];
        for (const [query, body, code] of calls) {
          const answer = await new Promise<Answer>((resolve, reject) => {
            const req = http.request(rest.url(CHECK, query), { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (text += chunk));
              res.on('end', () => resolve(JSON.parse(text) as Answer));
            });
            req.on('error', reject);
            reused.push(req.reusedSocket);
            req.end(body);
          });
          expect(answer.ErrorCode).to.equal(code);
        }
        expect(connections).to.equal(1);
        expect(reused).to.deep.equal([false, true, true, true, true, true]);
      } finally {
        agent.destroy();
        api.server.off('connection', count);
      }
    });
  });
});
