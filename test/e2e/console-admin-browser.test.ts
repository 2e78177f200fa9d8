/**
 * The console's newer pages in a real browser (Debian's chromium driven by playwright-core),
 * one flow each, checked through REST or apps.get: accounts (import one and a list, search by
 * nick, open a hit, set its global mute), groups (message history paged, mute a member), push credentials (set an
 * APNs key that is never shown back, a refused key), apps (create, rotate; the key shown once
 * is the stored one), and the audit log listing those changes. Screenshots go to
 * test/artifacts/. The page runs under its own CSP without a script error or violation.
 * Needs /usr/bin/chromium (.ci/run installs it); without it the test fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';
import { apnsKeys, serviceAccount } from '../support/push-servers';
import { tempDir } from '../support/stores';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

describe('console in a browser: import, nick search, group history and mute, push, apps (e2e)', function () {
  this.timeout(60_000);
  let server: Embedded;
  let rest: RestClient;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const problems: string[] = [];
  const openPage = async (name: string) => {
    await page.click(`#nav button[data-page=${name}]`);
    await page.waitForSelector(`#${name}`, { state: 'visible' });
  };
  /** The status line once it says something other than "Saving…". */
  const status = (id: string) => page.locator(`#${id}:not([hidden])`, { hasNotText: 'Saving…' }).textContent();
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    server = await startEmbedded({ services: [...REST_SERVICES, 'profiles', 'groups'] });
    rest = adminRest(server);
    const credentials = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'app.json'), 'utf8')) as { sdkAppId: number; admin: string; adminUserSig: string };
    profileDir = tempDir('parley-chromium-');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // Chromium logs each refused API call (the 422 the tests cause) as an error too.
      const expected = /^Failed to load resource: .* status of (401|422)\b/.test(msg.text()) && /\/console\/api\//.test(msg.location().url);
      if (msg.type() === 'error' && !expected) problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    await page.goto(`${server.baseUrl}/console/`);
    await page.fill('#sign-in-form [name=sdkappid]', String(credentials.sdkAppId));
    await page.fill('#sign-in-form [name=identifier]', credentials.admin);
    await page.fill('#sign-in-form [name=usersig]', credentials.adminUserSig);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#callbacks', { state: 'visible' });
  });
  after(async () => {
    await context?.close();
    await server?.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('accounts: imports one and a list, finds accounts by the start of their nick, opens one', async () => {
    await openPage('accounts');
    await page.click('#account-import-box summary');
    await page.fill('#account-import [name=id]', 'nina');
    await page.fill('#account-import [name=nick]', 'Nina Simone');
    await page.click('#account-import button[type=submit]');
    expect(await status('accounts-status')).to.equal('nina was imported.');
    await page.fill('#account-import [name=list]', 'nils\nnico\nnot-valid!');
    await page.click('#account-import button[type=submit]');
    await page.locator('#accounts-status', { hasText: 'of 3 accounts' }).waitFor();
    expect(await page.textContent('#accounts-status')).to.equal('2 of 3 accounts imported; refused: not-valid!.');
    await rest.call('profile/portrait_set', { From_Account: 'nico', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'NINO' }] });
    await page.fill('#account-nick-search [name=nick]', 'ni');
    await page.click('#account-nick-search button[type=submit]');
    await page.locator('#account-nick-results table').waitFor();
    expect(await page.locator('#account-nick-results tbody tr').allTextContents()).to.deep.equal(['nicoNINO', 'ninaNina Simone']);
    expect(await page.textContent('#account-nick-results')).to.not.include('null');
    await shot('accounts-nick');
    await page.locator('#account-nick-results button', { hasText: 'nina' }).click();
    await page.locator('#account-state', { hasText: 'Status: Offline' }).waitFor();
    expect(await page.locator('#account-view td', { hasText: 'Nina Simone' }).count()).to.equal(1);
    // The global mute (openconfigsvr/setnospeaking): group messages for 30 minutes.
    expect(await page.textContent('#account-mute-state')).to.equal('One-to-one messages: not muted; group messages: not muted.');
    await page.fill('#account-mute [name=group]', '30');
    await page.click('#account-mute button[type=submit]');
    expect(await status('accounts-status')).to.equal('The global mute of nina was set.');
    expect(await page.textContent('#account-mute-state')).to.equal('One-to-one messages: not muted; group messages: muted for 30 more minutes.');
    expect((await rest.call('openconfigsvr/getnospeaking', { Get_Account: 'nina' })).GroupmsgNospeakingTime).to.be.within(1790, 1800);
    await shot('accounts-mute');
    await page.fill('#account-nick-search [name=nick]', 'ni*');
    await page.click('#account-nick-search button[type=submit]');
    await page.locator('#accounts-status', { hasText: 'ErrorCode 70402' }).waitFor();
  });

  it("groups: pages a group's history and mutes a member", async () => {
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'nina', Type: 'Public', Name: 'Jazz club', MemberList: [{ Member_Account: 'nils' }] });
    const groupId = created.GroupId as string;
    for (let i = 1; i <= 22; i++) await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'nils', Random: i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `tune ${i}` } }] });
    await openPage('groups');
    await page.fill('#group-search [name=id]', groupId);
    await page.click('#group-search button[type=submit]');
    await page.locator('#group-view h3', { hasText: 'Jazz club (Public)' }).waitFor();
    await page.click('#group-history-show');
    await page.locator('#group-history h4', { hasText: 'History: 20 messages' }).waitFor();
    await page.click('#group-history-older');
    await page.locator('#group-history h4', { hasText: 'History: 22 messages' }).waitFor();
    expect(await page.locator('#group-history tbody tr td:nth-child(4)').last().textContent()).to.equal('tune 1');
    expect(await page.textContent('#group-history')).to.not.include('null');
    await page.fill('#group-mute [name=member]', 'nils');
    await page.fill('#group-mute [name=minutes]', '15');
    await page.click('#group-mute button[type=submit]');
    expect(await status('groups-status')).to.equal('nils is muted for 15 minutes.');
    const muted = await rest.call('group_open_http_svc/get_group_muted_account', { GroupId: groupId });
    expect((muted.MutedAccountList as { Member_Account: string }[]).map((m) => m.Member_Account)).to.deep.equal(['nils']);
    // The member list shows the mute once the page reloads it.
    await page.locator('#group-view tbody tr', { hasText: 'nils' }).locator('td:nth-child(4):not(:empty)').waitFor();
    await shot('groups-history');
  });

  it('push credentials: sets an APNs key that is never shown back, and shows a refusal', async () => {
    const key = apnsKeys().key;
    await openPage('push');
    await page.locator('#push-apns [data-state]', { hasText: 'off; no key' }).waitFor();
    await page.fill('[name="apns.teamId"]', 'TEAM123456');
    await page.fill('[name="apns.keyId"]', 'KEY1234567');
    await page.fill('[name="apns.bundleId"]', 'com.example.jazz');
    await page.fill('[name="apns.key"]', key);
    await page.click('#push-save');
    expect(await status('push-status')).to.match(/^Saved \(apns\.teamId, apns\.keyId, apns\.bundleId, apns\.key\)/);
    expect(await page.textContent('#push-apns [data-state]')).to.match(/^on; key set, fingerprint [0-9a-f]{12}$/);
    expect(await page.inputValue('[name="apns.key"]')).to.equal('');
    const app = await server.broker.call<{ settings: { push: { apns: { key: string; bundleId: string } } } }, object>('apps.get', { sdkAppId: server.app.sdkAppId });
    expect(app.settings.push.apns).to.include({ key, bundleId: 'com.example.jazz' });
    await page.fill('[name="apns.key"]', serviceAccount('https://oauth2.example.com/token').account.private_key);
    await page.click('#push-save');
    expect(await status('push-status')).to.match(/^Not saved: .*push\.apns\.key .*\(ErrorCode 70402\)$/);
    expect(await page.content()).to.not.include(key.split('\n')[1]);
    await shot('push');
  });

  it('apps: creates an app and rotates its key, each key shown once and stored as shown', async () => {
    await openPage('apps');
    await page.locator('#apps-view tbody tr').first().waitFor();
    await page.fill('#app-create [name=admins]', 'boss');
    await page.click('#app-create button[type=submit]');
    await page.locator('#apps-view tbody tr').nth(1).waitFor();
    const first = await page.textContent('#apps-secret-key');
    const newId = Number((await page.textContent('#apps-secret-text'))?.match(/App (\d+) created/)?.[1]);
    const stored = async () => (await server.broker.call<{ secretKey: string }, object>('apps.get', { sdkAppId: newId })).secretKey;
    expect(await stored()).to.equal(first);
    await page.click(`#apps-view button.rotate[data-app="${newId}"]`);
    await page.locator('#apps-secret-text', { hasText: `New secret key of app ${newId}` }).waitFor();
    const second = await page.textContent('#apps-secret-key');
    expect(second).to.not.equal(first);
    expect(await stored()).to.equal(second);
    expect(await page.locator('#apps-view').textContent()).to.not.include(second!);
    await shot('apps');
  });

  it('audit log: lists each of those changes, newest first', async () => {
    await openPage('audit');
    await page.locator('#audit-view tbody tr').first().waitFor();
    const actions = await page.locator('#audit-view tbody tr td:nth-child(4)').allTextContents();
    expect(actions).to.deep.equal(['apps/rotate', 'apps/create', 'push', 'push', 'group/mute', 'account/mute', 'account/import', 'account/import']);
    expect(await page.locator('#audit-view').textContent()).to.not.include('PRIVATE KEY');
    await shot('audit-admin');
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(problems).to.deep.equal([]);
  });
});
