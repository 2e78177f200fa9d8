/**
 * Drives Tencent's Chat UIKit (examples/uikit, built) in Debian's chromium: one browser
 * context per user, the UIKit's own DOM as the only handle (class names of chat-uikit-vue
 * 2.5.6), and a record of what each page met on the way — every reply with a non-zero
 * ErrorCode read off the SDK's WebSocket, page errors, requests that left the machine — so a
 * test can tell a protocol gap from a UI change. Waits are on the DOM, never on time.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Refusal {
  user: string;
  servcmd: string;
  code: number;
  info: string;
}

export interface Trouble {
  refusals: Refusal[];
  pageErrors: string[];
  /** Requests to anything but the demo server and Parley (the CDN, the SDK's own hosts…). */
  outside: string[];
  /** HTTP answers of 400 and over, and requests that got no answer (uploads, downloads). */
  httpErrors: string[];
}

/** A downlink frame of the SDK: JSON, or `COMP` + gzip/deflate of it (docs/sdk-protocol.md §2). */
function decodeFrame(payload: string | Buffer): { head?: { servcmd?: string }; body?: { ErrorCode?: number; ErrorInfo?: string } } | undefined {
  let bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  if (bytes.subarray(0, 4).toString('latin1') === 'COMP') {
    const packed = bytes.subarray(4);
    try { bytes = zlib.gunzipSync(packed); } catch { bytes = zlib.inflateSync(packed); }
  }
  try { return JSON.parse(bytes.toString('utf8')) as never; } catch { return undefined; }
}

export class UikitBrowser {
  readonly trouble: Trouble = { refusals: [], pageErrors: [], outside: [], httpErrors: [] };
  private shots = 0;

  private constructor(private readonly browser: Browser, readonly appUrl: string, readonly parleyUrl: string, readonly shotDir: string) {}

  static async launch(appUrl: string, parleyUrl: string, shotDir: string): Promise<UikitBrowser> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium`);
    fs.rmSync(shotDir, { recursive: true, force: true });
    fs.mkdirSync(shotDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    return new UikitBrowser(browser, appUrl, parleyUrl, shotDir);
  }

  /** A fresh context (own storage) for one user, watched for trouble, on the app's login form. */
  async open(user: string): Promise<UikitUser> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const local = (url: string) => url.startsWith(this.appUrl) || url.startsWith(this.parleyUrl) || url.startsWith(this.parleyUrl.replace(/^http/, 'ws')) || /^(data|blob):/.test(url);
    page.on('request', (req) => { if (!local(req.url())) this.trouble.outside.push(`${user}: ${req.url()}`); });
    page.on('requestfailed', (req) => this.trouble.httpErrors.push(`${user}: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
    page.on('response', (res) => { if (res.status() >= 400) this.trouble.httpErrors.push(`${user}: ${res.request().method()} ${res.url()} ${res.status()}`); });
    page.on('pageerror', (err) => this.trouble.pageErrors.push(`${user}: ${err.message}`));
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      const frame = decodeFrame(payload);
      const code = frame?.body?.ErrorCode ?? 0;
      if (code !== 0) this.trouble.refusals.push({ user, servcmd: frame?.head?.servcmd ?? '?', code, info: frame?.body?.ErrorInfo ?? '' });
    }));
    await page.goto(this.appUrl);
    return new UikitUser(user, context, page, this);
  }

  /** Saves a screenshot of the page as <n>-<user>-<step>.png in the artifacts folder. */
  async shot(u: UikitUser, step: string): Promise<string> {
    const file = path.join(this.shotDir, `${String(++this.shots).padStart(2, '0')}-${u.user}-${step}.png`);
    await u.page.screenshot({ path: file });
    return file;
  }

  refused(servcmd: string): boolean {
    return this.trouble.refusals.some((r) => r.servcmd === servcmd);
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

export class UikitUser {
  constructor(readonly user: string, readonly context: BrowserContext, readonly page: Page, private readonly owner: UikitBrowser) {}

  shot(step: string): Promise<string> {
    return this.owner.shot(this, step);
  }

  /** Through the example's form, as a person would; resolves once the UIKit shows its lists. */
  async login(): Promise<void> {
    await this.page.fill('#login [name=userID]', this.user);
    await this.page.click('#login button[type=submit]');
    await this.page.locator('.TUIKit .tui-conversation-list').waitFor();
  }

  conversation(name: string): Locator {
    return this.page.locator('.tui-conversation-item', { hasText: name });
  }

  /** The unread badge of a conversation in the list. */
  badge(name: string): Locator {
    return this.conversation(name).locator('.num');
  }

  messages(): Locator {
    return this.page.locator('.tui-message-list');
  }

  /** A message bubble of the open conversation holding `text`. */
  bubble(text: string): Locator {
    return this.page.locator('.tui-message-list .message-bubble', { hasText: text });
  }

  /** "+" → New one-to-one chat / New group chat → pick users by ID → Done. */
  async pickUsers(menu: 'New one-to-one chat' | 'New group chat', users: string[]): Promise<void> {
    await this.page.click('.tui-search-more .more');
    await this.page.getByText(menu, { exact: true }).click();
    const search = this.page.locator('.transfer input[placeholder="Enter a userID"]');
    for (const u of users) {
      await search.fill(u);
      await search.press('Enter');
      await this.page.locator('.transfer-left-main .transfer-list li', { hasText: u }).click();
    }
    await this.page.locator('.transfer').getByRole('button', { name: 'Done' }).click();
  }

  async createGroup(name: string, type: string, members: string[]): Promise<void> {
    await this.pickUsers('New group chat', members);
    await this.page.getByPlaceholder('Enter the group name').fill(name);
    await this.page.getByText(type).click();
    await this.page.getByRole('button', { name: 'Confirm' }).click();
  }

  /** Types into the UIKit's editor and sends with Enter; resolves when the bubble shows as sent. */
  async send(text: string): Promise<void> {
    await this.page.click('.ProseMirror');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    // A bubble is drawn at once; its read label shows only once the server acknowledged it.
    await this.readLabel(text).waitFor();
  }

  /** "Read" / "Unread" / "All read" under one of the user's own messages (visible once sent). */
  readLabel(text: string): Locator {
    return this.bubble(text).locator('.message-label.align-self-bottom');
  }
}
