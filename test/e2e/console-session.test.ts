/**
 * Console sign-in by cookie: a UserSig once, then a short-lived HttpOnly SameSite cookie;
 * writes by cookie need the console's header and a same-origin Origin; a tampered or
 * expired token is refused; the statistics answer for the signed-in app.
 */
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { adminCredentials, storedCallback } from '../support/console';
import { REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';

describe('console sign-in session (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let cookie = '';
  const api = (method: string, resource: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${server.baseUrl}/console/api/${resource}`, {
      method,
      headers: { ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const withCookie = (value = cookie, extra: Record<string, string> = {}) => ({ Cookie: `parley_console=${value}`, ...extra });

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'stats'], env: { PARLEY_CONSOLE_SESSION_SEC: '600' } });
  });
  after(() => server?.stop());

  it('answers a valid UserSig with an HttpOnly, SameSite=Strict cookie scoped to /console/', async () => {
    const res = await api('POST', 'session', { body: adminCredentials(server), headers: { 'X-Parley-Console': '1' } });
    expect(res.status).to.equal(200);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).to.match(/^parley_console=[\w-]+\.[\w-]+\.[\w-]+; Path=\/console\/; HttpOnly; SameSite=Strict; Max-Age=600$/);
    cookie = /^parley_console=([^;]+)/.exec(set)![1];
    const who = (await (await api('GET', 'session', { headers: withCookie() })).json()) as Record<string, unknown>;
    expect(who).to.include({ ActionStatus: 'OK', SdkAppId: server.app.sdkAppId, Identifier: server.app.admin });
  });

  it('refuses a wrong UserSig at sign-in and sets no cookie', async () => {
    const res = await api('POST', 'session', { body: { ...adminCredentials(server), usersig: 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1OcU3NzTA2Fw' }, headers: { 'X-Parley-Console': '1' } });
    expect(res.status).to.equal(401);
    expect(res.headers.get('set-cookie')).to.equal(null);
  });

  it('refuses a write by cookie without the console header, or from another origin, and changes nothing', async () => {
    const before = await storedCallback(server);
    const noHeader = await api('PATCH', 'callback', { body: { url: 'http://127.0.0.1:9/x' }, headers: withCookie() });
    expect(noHeader.status).to.equal(403);
    const crossSite = await api('PATCH', 'callback', { body: { url: 'http://127.0.0.1:9/x' }, headers: withCookie(cookie, { 'X-Parley-Console': '1', Origin: 'https://evil.example' }) });
    expect(crossSite.status).to.equal(403);
    expect(await storedCallback(server)).to.deep.equal(before);
    const good = await api('PATCH', 'callback', { body: { url: 'http://127.0.0.1:9/x' }, headers: withCookie(cookie, { 'X-Parley-Console': '1', Origin: server.baseUrl }) });
    expect(good.status).to.equal(200);
    expect(await storedCallback(server)).to.include({ url: 'http://127.0.0.1:9/x' });
  });

  it('refuses a tampered token and an expired one with 401', async () => {
    const [head, , sig] = cookie.split('.');
    const claims = { ...(jwt.decode(cookie) as object), sub: 'someone-else' };
    const tampered = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expect((await api('GET', 'callback', { headers: withCookie(tampered) })).status).to.equal(401);
    const expired = jwt.sign({ app: server.app.sdkAppId }, 'not-the-key', { algorithm: 'HS256', subject: server.app.admin, expiresIn: -10 });
    expect((await api('GET', 'callback', { headers: withCookie(expired) })).status).to.equal(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${cookie.split('.')[1]}.`;
    expect((await api('GET', 'callback', { headers: withCookie(none) })).status).to.equal(401);
  });

  it("answers the signed-in app's daily and live statistics, and refuses an out-of-range day count", async () => {
    const daily = (await (await api('GET', 'stats/daily?days=7', { headers: withCookie() })).json()) as { Days: { date: string }[] };
    expect(daily.Days).to.have.length(7);
    const live = (await (await api('GET', 'stats/live', { headers: withCookie() })).json()) as { Live: { minutes: unknown[]; online: number } };
    expect(live.Live.minutes).to.have.length(61);
    expect((await api('GET', 'stats/daily?days=9999', { headers: withCookie() })).status).to.equal(400);
    expect((await api('GET', 'stats/daily?days=*', { headers: withCookie() })).status).to.equal(400);
  });

  it('signs out by clearing the cookie', async () => {
    const res = await api('DELETE', 'session', { headers: withCookie(cookie, { 'X-Parley-Console': '1' }) });
    expect(res.headers.get('set-cookie')).to.match(/^parley_console=; .*Max-Age=0/);
  });
});
