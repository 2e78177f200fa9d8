/**
 * The console in a real browser (Debian's chromium driven by playwright-core): an
 * administrator signs in with data/app.json's credentials, changes the callback URL, a
 * command and the token, saves, and the app's stored settings are what was typed; a bad value
 * shows the server's refusal and stores nothing; the page runs under its own CSP without a
 * single violation. Then a step per page: accounts (find, profile, devices, kick drops the device,
 * delete), groups (members and roles, disband), messages (history, recall) and settings (saved as
 * `apps set` saves, a bad value refused); each change is checked through REST or apps.get; and
 * the audit log lists every one of those changes, newest first, without a value.
 * Needs /usr/bin/chromium (.ci/run installs it); without it the test fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CALLBACK_COMMANDS } from '../../actors/apps/settings/callbacks';
import { storedCallback } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tempDir } from '../support/stores';
import { genUserSig } from '../../services/auth/usersig';
import { FrameClient, until } from './ws-harness';

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
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends', 'stats', 'connector', 'profiles', 'groups', 'conversations'] });
    // What an operator does: the first start wrote the administrator's credentials there.
    credentials = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'app.json'), 'utf8')) as typeof credentials;
    profileDir = tempDir('parley-chromium-');
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    page = context.pages()[0] ?? (await context.newPage());
    // The pages confirm before kicking, deleting, disbanding and recalling: an operator says yes.
    page.on('dialog', (dialog) => void dialog.accept());
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

  const openPage = async (name: string) => {
    await page.click(`#nav button[data-page=${name}]`);
    await page.waitForSelector(`#${name}`, { state: 'visible' });
  };
  const status = (id: string) => page.locator(`#${id}:not([hidden])`).textContent();

  it('accounts: finds an account with its profile and online device, kicks it (the device drops), deletes another', async () => {
    const rest = adminRest(server);
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['dave'] });
    await rest.call('profile/portrait_set', { From_Account: 'alice', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Alice in the console' }] });
    const device = await FrameClient.open({ sdkAppId: credentials.sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}` } as Parameters<typeof FrameClient.open>[0]);
    const sig = genUserSig({ sdkAppId: credentials.sdkAppId, secretKey: server.app.secret, identifier: 'alice', expireSeconds: 3600 });
    expect((await device.login({ sig: () => sig } as unknown as Parameters<FrameClient['login']>[0], 'alice', sig)).ErrorCode ?? 0).to.equal(0);
    try {
      await openPage('accounts');
      await page.fill('#account-search [name=id]', 'alice');
      await page.click('#account-search button[type=submit]');
      await page.locator('#account-state', { hasText: 'Status: Online' }).waitFor();
      expect(await page.locator('#account-view td', { hasText: 'Alice in the console' }).count()).to.equal(1);
      expect(await page.locator('#account-devices li').count()).to.equal(1);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-accounts.png'), fullPage: true });
      await page.click('#account-kick');
      expect(await status('accounts-status')).to.equal('alice was kicked.');
      // The device is dropped on the user.kicked event, just after the kick's answer.
      await until('the kicked device to be disconnected', () => device.closeCode === 4001);
      await page.click('#account-search button[type=submit]');
      await page.locator('#account-devices', { hasText: 'No device online.' }).waitFor();
      expect(await page.textContent('#account-state')).to.equal('Status: Offline');
    } finally {
      device.close();
    }
    await page.fill('#account-search [name=id]', 'dave');
    await page.click('#account-search button[type=submit]');
    await page.locator('#account-delete').waitFor();
    await page.click('#account-delete');
    expect(await status('accounts-status')).to.equal('dave was deleted.');
    const check = await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'dave' }] });
    expect((check.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('NotImported');
    // A search with wildcards is refused by account_check's own rule, with its code.
    await page.fill('#account-search [name=id]', 'al*');
    await page.click('#account-search button[type=submit]');
    await page.locator('#accounts-status', { hasText: 'ErrorCode' }).waitFor();
    expect(await page.textContent('#accounts-status')).to.match(/\(ErrorCode 70402\)$/);
    expect(await page.locator('#account-view').textContent()).to.equal('');
  });

  it('groups: finds a group with its members and roles, and disbands it', async () => {
    const rest = adminRest(server);
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'Browser club', MemberList: [{ Member_Account: 'bob' }] });
    const groupId = created.GroupId as string;
    await openPage('groups');
    await page.fill('#group-search [name=id]', groupId);
    await page.click('#group-search button[type=submit]');
    await page.locator('#group-view h3', { hasText: 'Browser club (Public)' }).waitFor();
    const rows = await page.locator('#group-view table').nth(1).locator('tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\d.*$/, ''))).to.have.members(['aliceOwner', 'bobMember']);
    await page.click('#group-disband');
    expect(await status('groups-status')).to.equal(`${groupId} was disbanded.`);
    const info = await rest.call('group_open_http_svc/get_group_info', { GroupIdList: [groupId] });
    expect((info.GroupInfo as { ErrorCode: number }[])[0].ErrorCode).to.not.equal(0);
  });

  it("messages: shows a conversation's history and recalls a message", async () => {
    await openPage('messages');
    await page.fill('#message-search [name=account]', 'alice');
    await page.fill('#message-search [name=peer]', 'bob');
    await page.click('#message-search button[type=submit]');
    await page.locator('#message-view h3', { hasText: 'alice ↔ bob: 3 messages' }).waitFor();
    const row = page.locator('#message-view tbody tr', { hasText: 'm2' });
    const key = await row.locator('button.recall').getAttribute('data-key');
    await row.locator('button.recall').click();
    expect(await status('messages-status')).to.equal('The message was recalled.');
    expect(await page.locator('#message-view em', { hasText: 'recalled' }).count()).to.equal(1);
    const history = await adminRest(server).call('openim/admin_getroammsg', { Operator_Account: 'bob', Peer_Account: 'alice', MaxCnt: 10, MinTime: 0, MaxTime: 2 ** 31 - 1 });
    expect((history.MsgList as { MsgKey: string; MsgFlagBits: number }[]).find((m) => m.MsgKey === key)?.MsgFlagBits).to.equal(1);
  });

  it('settings: saves a change as apps set would, and shows the refusal of a bad value', async () => {
    await openPage('settings');
    await page.locator('[name="messages.roamingDays"]').waitFor();
    await page.fill('[name="messages.roamingDays"]', '30');
    await page.selectOption('[name="login.policy"]', 'multi');
    // Media limits show the node's values (MB) until the app sets its own.
    expect(await page.inputValue('[name="media.maxFileMb"]')).to.equal('100');
    await page.fill('[name="media.maxFileMb"]', '5');
    await page.click('#settings-save');
    expect(await page.locator('#settings-status:not([hidden])', { hasNotText: 'Saving…' }).textContent()).to.match(/^Saved \(login\.policy, messages\.roamingDays, media\.maxFileMb\)/);
    const app = await server.broker.call<{ settings: { messages: object; login: { policy: string }; media: object } }, object>('apps.get', { sdkAppId: credentials.sdkAppId });
    expect(app.settings.messages).to.deep.equal({ recallSeconds: 120, roamingDays: 30 });
    expect(app.settings.media).to.deep.equal({ maxFileMb: 5 });
    expect(app.settings.login.policy).to.equal('multi');
    await page.fill('[name="messages.roamingDays"]', '0');
    await page.click('#settings-save');
    expect(await page.locator('#settings-status:not([hidden])', { hasNotText: 'Saving…' }).textContent()).to.match(/^Not saved: .*roamingDays.*\(ErrorCode 70402\)$/);
    const after = await server.broker.call<{ settings: { messages: object } }, object>('apps.get', { sdkAppId: credentials.sdkAppId });
    expect(after.settings.messages).to.deep.equal({ recallSeconds: 120, roamingDays: 30 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-settings.png'), fullPage: true });
    await openPage('callbacks');
  });

  it('audit log: lists every change made above, newest first, with its outcome and no value', async () => {
    await openPage('audit');
    await page.locator('#audit-view p.hint', { hasText: '8 changes recorded.' }).waitFor();
    const rows = (await page.locator('#audit-view tbody tr').allTextContents()).map((r) => r.replace(/^\d+[^a-z]*/, ''));
    const actions = await page.locator('#audit-view tbody tr td:nth-child(4)').allTextContents();
    expect(actions).to.deep.equal(['settings', 'settings', 'messages/recall', 'group/disband', 'account/delete', 'account/kick', 'callback', 'callback']);
    const cells = (row: number) => page.locator('#audit-view tbody tr').nth(row).locator('td').allTextContents();
    const refused = await cells(0);
    expect(refused.slice(2, 6)).to.deep.equal([credentials.admin, 'settings', `app ${credentials.sdkAppId}`, 'messages.roamingDays']);
    expect(refused[6]).to.match(/^refused \(70402: .*roamingDays/);
    expect((await cells(1)).slice(4, 7)).to.deep.equal([`app ${credentials.sdkAppId}`, 'login.policy, messages.roamingDays, media.maxFileMb', 'done']);
    expect((await cells(5)).slice(3, 7)).to.deep.equal(['account/kick', 'alice', 'UserID', 'done']);
    expect((await cells(7)).slice(5, 7)).to.deep.equal(['url, token, commands', 'done']);
    expect(rows.join('\n')).to.not.include('typed-in-the-browser');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-audit.png'), fullPage: true });
    await openPage('callbacks');
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
