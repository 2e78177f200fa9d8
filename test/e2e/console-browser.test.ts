/**
 * The console in a real browser (Debian's chromium driven by playwright-core): an
 * administrator signs in with data/app.json's credentials, changes the callback URL, a
 * command and the token, saves, and the app's stored settings are what was typed; a bad value
 * shows the server's refusal and stores nothing; the page runs under its own CSP without a
 * single violation. Needs /usr/bin/chromium (.ci/run installs it); without it the test fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CALLBACK_COMMANDS } from '../../actors/apps/settings/callbacks';
import { storedCallback } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tempDir } from '../support/stores';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PORTRAIT = 'Profile.CallbackPortraitSet';
/** Screenshots kept after the run (test/artifacts is not committed). */
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

describe('console in a browser (e2e)', function () {
  this.timeout(90_000);
  let server: Embedded;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const problems: string[] = [];
  let credentials: { sdkAppId: number; admin: string; adminUserSig: string };

  const signIn = async (usersig: string) => {
    await page.fill('#sign-in-form [name=sdkappid]', String(credentials.sdkAppId));
    await page.fill('#sign-in-form [name=identifier]', credentials.admin);
    await page.fill('#sign-in-form [name=usersig]', usersig);
    await page.click('#sign-in-form button[type=submit]');
  };
  const save = async () => {
    await page.click('#save');
    // A locator, not a page-side predicate: Playwright evaluates a string predicate with eval,
    // which the console's own CSP (no unsafe-eval) refuses, as it should.
    await page.locator('#save-status:not([hidden])', { hasNotText: 'Saving…' }).waitFor();
    return (await page.textContent('#save-status')) ?? '';
  };

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends', 'stats'] });
    // What an operator does: the first start wrote the administrator's credentials there.
    credentials = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'app.json'), 'utf8')) as typeof credentials;
    profileDir = tempDir('parley-chromium-');
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    page.on('console', (msg) => {
      // Chromium logs each refused API call (the 401 and 422 the tests cause) as an error too.
      const expected = /^Failed to load resource: .* status of (401|422)\b/.test(msg.text()) && /\/console\/api\//.test(msg.location().url);
      if (msg.type() === 'error' && !expected) problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    await page.goto(`${server.baseUrl}/console`);
  });
  after(async () => {
    await context?.close();
    await server?.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('lands on the sign-in form at /console/', async () => {
    expect(new URL(page.url()).pathname).to.equal('/console/');
    await page.waitForSelector('#sign-in', { state: 'visible' });
  });

  it('refuses a wrong UserSig and says why', async () => {
    await signIn(`${credentials.adminUserSig.slice(0, -8)}AAAAAAAA`);
    await page.waitForSelector('#sign-in-error', { state: 'visible' });
    expect(await page.textContent('#sign-in-error')).to.match(/^Sign-in refused: .+\(ErrorCode 700\d\d\)$/);
    expect(await page.isHidden('#callbacks')).to.equal(true);
  });

  it("signs in and shows the app's callback settings with every command", async () => {
    await signIn(credentials.adminUserSig);
    await page.waitForSelector('#callbacks', { state: 'visible' });
    expect(await page.textContent('#who-text')).to.equal(`${credentials.admin} of app ${credentials.sdkAppId}`);
    expect(await page.inputValue('[name=url]')).to.equal('');
    expect(await page.inputValue('[name=timeoutMs]')).to.equal('2000');
    expect(await page.isChecked('[name=allCommands]')).to.equal(true);
    // "All" shows every command as on, and none can be unticked on its own.
    const box = page.locator(`input[name=command][value="${PORTRAIT}"]`);
    expect([await box.isChecked(), await box.isDisabled()]).to.deep.equal([true, true]);
    expect(await page.locator('input[name=command]').count()).to.equal(Object.keys(CALLBACK_COMMANDS).length);
  });

  it('saves a new URL, one command instead of all, and a token', async () => {
    await page.fill('[name=url]', 'http://127.0.0.1:9/im/callback');
    await page.setChecked('[name=allCommands]', false);
    expect(await page.locator('input[name=command]:checked').count()).to.equal(0);
    await page.check(`input[name=command][value="${PORTRAIT}"]`);
    await page.fill('[name=token]', 'typed-in-the-browser');
    expect(await save()).to.match(/^Saved \(url, token, commands\)/);
    expect(await storedCallback(server)).to.include({ url: 'http://127.0.0.1:9/im/callback', token: 'typed-in-the-browser' });
    expect((await storedCallback(server)).commands).to.deep.equal([PORTRAIT]);
    expect(await page.inputValue('[name=token]')).to.equal('');
    expect(await page.textContent('#token-state')).to.match(/A token is set/);
  });

  it("shows the server's refusal of a bad value and stores nothing", async () => {
    const before = await storedCallback(server);
    await page.fill('[name=timeoutMs]', '50');
    expect(await save()).to.match(/^Not saved: .*timeoutMs.*\(ErrorCode 70402\)$/);
    expect(await storedCallback(server)).to.deep.equal(before);
    expect(await page.inputValue('[name=timeoutMs]')).to.equal('50');
  });

  it('draws the statistics of real traffic: messages of the day and per minute', async () => {
    const rest = adminRest(server);
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    for (const r of [1, 2, 3]) await rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: r, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${r}` } }] });
    await page.click('#nav button[data-page=stats]');
    await page.waitForSelector('#stats', { state: 'visible' });
    await page.locator('#today', { hasText: 'Today: 3 messages from 1 senders' }).waitFor();
    await page.locator('#live-status', { hasText: 'Updated' }).waitFor();
    // Chart.js drew on both canvases: some pixels are no longer transparent.
    for (const id of ['daily-chart', 'live-chart']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box?.height ?? 0, id).to.be.greaterThan(100);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-statistics.png'), fullPage: true });
    await page.click('#nav button[data-page=callbacks]');
    await page.waitForSelector('#callbacks', { state: 'visible' });
  });

  it('stays signed in across a reload (the sign-in cookie) until signing out', async () => {
    await page.reload();
    await page.waitForSelector('#callbacks', { state: 'visible' });
    expect(await page.inputValue('[name=url]')).to.equal('http://127.0.0.1:9/im/callback');
    expect(await page.isChecked(`input[name=command][value="${PORTRAIT}"]`)).to.equal(true);
    // The cookie is HttpOnly: the page's scripts never see it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).to.equal('');
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in', { state: 'visible' });
    await page.reload();
    await page.waitForSelector('#sign-in', { state: 'visible' });
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(problems).to.deep.equal([]);
  });
});
