/**
 * The console's page loads, timed from outside (bench/console.ts):
 *
 * - `firstPageOverHttp`: the requests a browser makes for the first page, in its order, on fresh
 *   keep-alive connections and without a cache: the page (`/console/`), its stylesheet, bundle
 *   and icon together, `GET api/session` (the page asks whether it is signed in: 401), the
 *   sign-in (`POST api/session`), then the first page's own call (`GET api/callback`, the
 *   callback form, which console.js shows first);
 * - `firstPageInBrowser`: Debian's chromium (playwright-core, as test/e2e/console-*.test.ts):
 *   a new context (no cache, no cookie), navigation to /console/, the sign-in form filled and
 *   sent, until the first page's section is shown with its data; beside it, the same browser's
 *   navigation to a page of a few bytes (`blankNavigation`), what any page costs here;
 * - `otherPages`: with a sign-in cookie, the first call of the pages that list or search what
 *   the app holds (statistics, accounts by nick, a group, the audit log), each timed alone.
 */
import { Pool } from 'undici';
import type { Browser } from 'playwright-core';

export interface Credentials {
  port: number;
  app: number;
  admin: string;
  usersig: string;
}

const CONSOLE_HEADER = { 'x-parley-console': '1' };

async function get(pool: Pool, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; cookie?: string }> {
  const res = await pool.request({ method: 'GET', path, headers });
  return { status: res.statusCode, text: await res.body.text() };
}

async function signIn(pool: Pool, c: Credentials): Promise<string> {
  const res = await pool.request({
    method: 'POST',
    path: '/console/api/session',
    headers: { ...CONSOLE_HEADER, 'content-type': 'application/json' },
    body: JSON.stringify({ sdkappid: String(c.app), identifier: c.admin, usersig: c.usersig }),
  });
  await res.body.text();
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in answered ${res.statusCode}`);
  return cookie;
}

function expectOk(what: string, r: { status: number; text: string }): void {
  if (r.status !== 200) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 200)}`);
}

/** One first-page load over HTTP; ms from the page's request to the first page's data. */
export async function firstPageOverHttp(c: Credentials): Promise<number> {
  // Six connections, as a browser opens per origin; new ones for every load (a new visitor).
  const pool = new Pool(`http://127.0.0.1:${c.port}`, { connections: 6 });
  try {
    const t0 = performance.now();
    expectOk('/console/', await get(pool, '/console/'));
    const files = await Promise.all(['console.css', 'console.js', 'favicon.svg'].map((f) => get(pool, `/console/${f}`)));
    files.forEach((f, i) => expectOk(['console.css', 'console.js', 'favicon.svg'][i], f));
    const before = await get(pool, '/console/api/session', CONSOLE_HEADER);
    if (before.status !== 401) throw new Error(`GET api/session before signing in answered ${before.status}`);
    const cookie = await signIn(pool, c);
    expectOk('api/callback', await get(pool, '/console/api/callback', { ...CONSOLE_HEADER, cookie }));
    return performance.now() - t0;
  } finally {
    await pool.close();
  }
}

/** What the page's own clock saw (ms since its navigation began): each section's first frame shown, the sign-in's submit. */
interface PageClock {
  shown: Record<string, number>;
  submit?: number;
}

/**
 * WATCH_SECTIONS runs in the page before its own script (Playwright's init script, which the page's CSP does not
 * govern): notes the first animation frame after each section of <main> stops being hidden, and
 * when the sign-in is submitted. It reads the page and changes nothing in it.
 */
const WATCH_SECTIONS = `(() => {
  const clock = (window.parleyClock = { shown: {} });
  const check = () => {
    for (const section of document.querySelectorAll('main > section')) {
      const id = section.id;
      if (section.hidden || id in clock.shown) continue;
      clock.shown[id] = -1;
      requestAnimationFrame(() => (clock.shown[id] = performance.now()));
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'] });
  document.addEventListener('submit', () => (clock.submit = performance.now()), true);
})();`;

export interface BrowserLoad {
  /** Robot's clock: navigation until Playwright saw the sign-in form; the click until it saw the first page. */
  toForm: number;
  signInToPage: number;
  /** Page's clock: navigation start to the form's first frame; the submit to the first page's first frame. */
  pageToForm: number;
  pageSubmitToPage: number;
}

/**
 * One first-page load in chromium: from navigation to the sign-in form shown, and from the
 * sign-in's click to the first page shown with its data, on two clocks: the robot's (what
 * Playwright saw, including its own polling) and the page's (WATCH_SECTIONS). The robot's typing
 * between them is left out (Playwright's round trips to the browser, not the page's work).
 */
export async function firstPageInBrowser(browser: Browser, c: Credentials): Promise<BrowserLoad> {
  const context = await browser.newContext();
  try {
    await context.addInitScript({ content: WATCH_SECTIONS });
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`http://127.0.0.1:${c.port}/console/`);
    await page.waitForSelector('#sign-in', { state: 'visible' });
    const toForm = performance.now() - t0;
    await page.fill('#sign-in-form [name=sdkappid]', String(c.app));
    await page.fill('#sign-in-form [name=identifier]', c.admin);
    await page.fill('#sign-in-form [name=usersig]', c.usersig);
    const t1 = performance.now();
    // The first page's own data: the first API answer after the sign-in's (api/callback today).
    const data = page.waitForResponse((r) => /\/console\/api\/(?!session)/.test(r.url()));
    await page.click('#sign-in-form button[type=submit]');
    await data;
    // Then the first section shown once signed in (the callback form today), drawn from it.
    const first = page.locator('main > section:not([hidden]):not(#sign-in)').first();
    await first.waitFor({ state: 'visible' });
    const t2 = performance.now();
    const id = await first.getAttribute('id');
    // Its first frame may still be pending when Playwright sees it.
    let clock: PageClock | undefined;
    for (let tries = 0; !(clock && clock.shown[id ?? ''] > 0 && clock.shown['sign-in'] > 0); tries++) {
      if (tries === 100) throw new Error(`the page's clock saw no frame of #sign-in and #${id}: ${JSON.stringify(clock)}`);
      clock = await page.evaluate(() => (globalThis as unknown as { parleyClock?: PageClock }).parleyClock);
    }
    return { toForm, signInToPage: t2 - t1, pageToForm: clock.shown['sign-in'], pageSubmitToPage: clock.shown[id ?? ''] - (clock.submit ?? NaN) };
  } finally {
    await context.close();
  }
}

/**
 * The same browser's cost of any navigation, the baseline of the one above: a new context and
 * `GET /healthz` (a few bytes of JSON, no script) until its load event.
 */
export async function blankNavigation(browser: Browser, c: Credentials): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`http://127.0.0.1:${c.port}/healthz`);
    return performance.now() - t0;
  } finally {
    await context.close();
  }
}

export interface PageCall {
  name: string;
  path: string;
}

/** The first call of each page that lists or searches the app's accounts, groups or log. */
export function pageCalls(group: string, nickPrefix: string): PageCall[] {
  return [
    { name: 'statistics: daily (30 days)', path: '/console/api/stats/daily?days=30' },
    { name: 'statistics: live', path: '/console/api/stats/live' },
    { name: `accounts by nick "${nickPrefix}" (first page of 20)`, path: `/console/api/accounts?nick=${encodeURIComponent(nickPrefix)}` },
    { name: 'a group with its first page of members', path: `/console/api/group?id=${encodeURIComponent(group)}` },
    { name: 'a group\'s history', path: `/console/api/group/messages?id=${encodeURIComponent(group)}` },
    { name: 'audit log (first page)', path: '/console/api/audit' },
  ];
}

/** Each call once, signed in; ms per call. */
export async function otherPages(c: Credentials, calls: PageCall[]): Promise<number[]> {
  const pool = new Pool(`http://127.0.0.1:${c.port}`, { connections: 1 });
  try {
    const cookie = await signIn(pool, c);
    const out: number[] = [];
    for (const call of calls) {
      const t0 = performance.now();
      expectOk(call.name, await get(pool, call.path, { ...CONSOLE_HEADER, cookie }));
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    await pool.close();
  }
}
