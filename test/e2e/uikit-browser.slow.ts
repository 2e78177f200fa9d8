/**
 * Tencent's Chat UIKit (examples/uikit: chat-uikit-vue 2.5.6 on @tencentcloud/chat 3.6.6) against
 * an embedded Parley, in Debian's chromium: two users in two browser contexts log in, see their
 * conversation lists, exchange text and an emoji, see unread counts and read marks, create a work
 * group and chat in it, and find everything again after a reload. Screenshots of every step go
 * to test/artifacts/uikit/ (gitignored). The pages must load nothing from outside this machine,
 * and every refusal the SDK meets on its WebSocket must be one of the known gaps below.
 *
 * Not in `npm test`: installing the UIKit (~40 s) and building it (~30 s) come first. Run it
 * with `npm run test:uikit`, which does both (docs/uikit.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { genUserSig } from '../../services/auth/usersig';
import { serviceFile } from '../../services/locate';
import { startDemoServer, type DemoServer } from '../../examples/uikit/demo/server';
import { startEmbedded, type Embedded } from '../support/embedded';
import { UikitBrowser, type UikitUser } from '../support/uikit';

const DIST = path.resolve(__dirname, '../../examples/uikit/dist');
const SHOTS = path.resolve(__dirname, '../artifacts/uikit');
const SERVICES = ['api', 'apps', 'accounts', 'auth', 'presence', 'connector', 'messages', 'inboxes', 'conversations', 'groups', 'friends', 'profiles', 'webhooks', 'reactions'];

/**
 * Commands the UIKit calls that Parley does not serve yet, each owned by an open issue. A
 * refusal of anything else fails the test; an entry that stops appearing can be deleted.
 */
const KNOWN_GAPS: Record<string, string> = {};

// The few browser types the page-side functions use (the project compiles without the DOM lib).
interface Canvas { width: number; height: number; toDataURL(type: string): string; getContext(kind: '2d'): { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void } }
interface Picture { decode(): Promise<void>; naturalWidth: number; naturalHeight: number }

/** A real PNG of the given size, drawn by the page's own canvas. */
async function pngOf(u: UikitUser, width: number, height: number): Promise<Buffer> {
  const url = await u.page.evaluate(([w, h]) => {
    const { document } = globalThis as unknown as { document: { createElement(tag: 'canvas'): Canvas } };
    const canvas = document.createElement('canvas');
    Object.assign(canvas, { width: w, height: h });
    const g = canvas.getContext('2d');
    g.fillStyle = '#1c66e5';
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(w / 4, h / 4, w / 2, h / 2);
    return canvas.toDataURL('image/png');
  }, [width, height]);
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

describe('Tencent Chat UIKit in a browser (e2e, slow)', function () {
  this.timeout(60_000);
  let parley: Embedded;
  let demo: DemoServer;
  let browser: UikitBrowser;
  let alice: UikitUser;
  let bob: UikitUser;
  let media = false;

  before(async function () {
    this.timeout(120_000);
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('examples/uikit is not built: npm run test:uikit builds it first');
    // The media context, once present, serves the SDK's uploads and downloads.
    media = fs.existsSync(serviceFile('media'));
    const services = media ? [...SERVICES, 'media'] : SERVICES;
    parley = await startEmbedded({ services });
    const { sdkAppId, secret, admin } = parley.app;
    const sign = (userId: string) => genUserSig({ sdkAppId, secretKey: secret, identifier: userId, expireSeconds: 3600 });
    demo = await startDemoServer(DIST, { sdkAppId, admin, sign, parleyUrl: parley.baseUrl, proxyServer: `ws://127.0.0.1:${parley.port}` });
    browser = await UikitBrowser.launch(demo.url, parley.baseUrl, SHOTS);
    alice = await browser.open('alice');
    bob = await browser.open('bob');
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await parley?.stop();
  });

  it('logs both users in through the example app and shows their empty conversation lists', async () => {
    await alice.login();
    await bob.login();
    expect(await alice.page.locator('.tui-conversation-item').count()).to.equal(0);
    await alice.shot('logged-in');
    await bob.shot('logged-in');
  });

  it('starts a one-to-one chat and sends text; the peer sees it with an unread count', async () => {
    await alice.pickUsers('New one-to-one chat', ['bob']);
    await alice.send('Hello Bob, this is Parley.');
    await alice.send('Second message');
    await bob.badge('alice').filter({ hasText: /^2$/ }).waitFor();
    expect(await bob.conversation('alice').innerText()).to.contain('Second message');
    await alice.shot('c2c-sent');
    await bob.shot('c2c-unread-2');
  });

  it('opens the conversation on the peer: the history is there and the unread count clears', async () => {
    await bob.conversation('alice').click();
    await bob.bubble('Hello Bob, this is Parley.').waitFor();
    await bob.bubble('Second message').waitFor();
    await bob.badge('alice').waitFor({ state: 'detached' });
    await bob.shot('c2c-read');
  });

  it("marks the sender's messages read once the peer has read them", async function () {
    const label = alice.readLabel('Second message');
    await label.filter({ hasText: /^(Read|Unread)$/ }).waitFor();
    // The UIKit sends one-to-one messages with needReadReceipt and shows "Read" only on the
    // receipt of openim.c2c_msg_read_receipt: until Parley serves it (issue 19) there is none.
    if (browser.refused('openim.c2c_msg_read_receipt')) {
      await alice.shot('c2c-read-receipt-missing');
      this.skip();
    }
    await label.filter({ hasText: /^Read$/ }).waitFor();
    await alice.shot('c2c-marked-read');
  });

  it('answers with an emoji that both sides draw from the local emoji set', async () => {
    await bob.page.locator('.message-input-toolbar .toolbar-item-container-icon').first().click();
    // The seventh basic emoji is [TUIEmoji_Smile] (the UIKit's default-emoji.ts order).
    await bob.page.locator('.emoji-picker-list-item').nth(6).click();
    await bob.page.click('.ProseMirror');
    await bob.page.keyboard.type(' Hi Alice');
    await bob.page.keyboard.press('Enter');
    const received = alice.page.locator('.tui-message-list .message-bubble', { hasText: 'Hi Alice' });
    await received.waitFor();
    const emoji = received.locator('img.emoji');
    expect([await emoji.getAttribute('alt'), await emoji.getAttribute('src')]).to.deep.equal(['[TUIEmoji_Smile]', '/uikit-assets/emoji/emoji_6.svg']);
    // Alice has the conversation open: the new message is read at once, no badge.
    await alice.badge('bob').waitFor({ state: 'detached' });
    await alice.shot('c2c-emoji-received');
  });

  it('sends an image that the peer sees drawn at its size', async function () {
    if (!media) this.skip(); // services/media: upload and download for the SDK
    const png = await pngOf(alice, 96, 64);
    await alice.page.setInputFiles('.message-input-toolbar input[type=file][accept^="image/"]', { name: 'parley.png', mimeType: 'image/png', buffer: png });
    const image = bob.page.locator('.tui-message-list img.message-image').last();
    await image.waitFor();
    // decode() resolves only once the bytes arrived and are a picture: the download worked.
    const size = await image.evaluate(async (node) => {
      const img = node as unknown as Picture;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
    expect(size).to.deep.equal([96, 64]);
    await alice.shot('c2c-image-sent');
    await bob.shot('c2c-image-received');
  });

  it('sends a file that the peer downloads byte for byte', async function () {
    if (!media) this.skip();
    const text = Buffer.from(`Parley notes\n${'0123456789abcdef'.repeat(64)}\n`);
    await alice.page.setInputFiles('.message-input-toolbar input[type=file][accept="*"]', { name: 'notes.txt', mimeType: 'text/plain', buffer: text });
    const file = bob.page.locator('.tui-message-list .file-message-montainer', { hasText: 'notes.txt' });
    await file.waitFor();
    await bob.badge('alice').waitFor({ state: 'detached' });
    await bob.shot('c2c-file-received');
    const [download] = await Promise.all([bob.page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).to.equal('notes.txt');
    expect(fs.readFileSync(await download.path())).to.deep.equal(text);
  });

  it('creates a work group with the peer, who sees it in the conversation list', async () => {
    await alice.createGroup('Parley team', 'Friends work group (Work)', ['bob']);
    await alice.conversation('Parley team').waitFor();
    await bob.conversation('Parley team').waitFor();
    await alice.shot('group-created');
    await bob.shot('group-in-list');
  });

  it('chats in the group, with unread counts on the side that is elsewhere', async () => {
    await alice.conversation('Parley team').click();
    await alice.send('Welcome to the team');
    await bob.badge('Parley team').filter({ hasText: /^[12]$/ }).waitFor();
    await bob.shot('group-unread');
    await bob.conversation('Parley team').click();
    await bob.bubble('Welcome to the team').waitFor();
    await bob.badge('Parley team').waitFor({ state: 'detached' });
    await bob.send('Thanks!');
    await alice.bubble('Thanks!').waitFor();
    await alice.shot('group-chat');
    await bob.shot('group-chat');
  });

  it('finds the one-to-one conversation and its history again after a reload', async () => {
    await bob.page.reload();
    await bob.login();
    await bob.conversation('alice').click();
    await bob.bubble('Hello Bob, this is Parley.').waitFor();
    await bob.bubble('Hi Alice').waitFor();
    await bob.shot('after-reload');
  });

  it('finds the group conversation again after a reload', async function () {
    // The list came with the reply that held the one-to-one conversation (recentcontact.page_get).
    // Parley's server-side list holds one-to-one conversations only until issue 19 lands.
    if ((await bob.conversation('Parley team').count()) === 0) {
      await bob.shot('group-missing-after-reload');
      this.skip();
    }
    await bob.conversation('Parley team').click();
    await bob.bubble('Thanks!').waitFor();
    await bob.shot('group-after-reload');
  });

  it('loaded nothing from outside the machine and met no refusal beyond the known gaps', () => {
    const { refusals, pageErrors, outside, httpErrors } = browser.trouble;
    fs.writeFileSync(path.join(SHOTS, 'trouble.json'), JSON.stringify(browser.trouble, null, 2));
    expect(outside, 'requests that left the machine').to.deep.equal([]);
    expect(httpErrors, 'failed HTTP requests').to.deep.equal([]);
    expect(refusals.filter((r) => !(r.servcmd in KNOWN_GAPS)), 'refusals outside the known gaps').to.deep.equal([]);
    const gapErrors = new RegExp(`^\\w+: unknown command (${Object.keys(KNOWN_GAPS).map((c) => c.replace(/\./g, '\\.')).join('|')})$`);
    expect(pageErrors.filter((e) => !gapErrors.test(e)), 'page errors').to.deep.equal([]);
  });
});
