/**
 * The console's first page with a full app (issue 20's target: under 1 s on this machine with
 * 100,000 accounts and 10,000 groups). One embedded node (bench/load-node.ts: every service,
 * SQLite synchronous FULL) is filled through REST as an app backend fills it
 * (`multiaccount_import` of 100 accounts with nicks per call, `create_group` per group, a few
 * group messages), then the console's first page is loaded `--loads` times over HTTP and in
 * chromium, taking turns, and the pages that list or search are each called once per load
 * (bench/console-loads.ts). Medians, min and max; the machine's load beside them.
 *
 * Usage: npx tsx bench/console.ts [--accounts 100000] [--groups 10000] [--loads 7]
 *   [--data DIR] [--no-browser]
 * --data keeps the filled node's folder: a second run with the same folder and counts skips the
 * fill (which takes minutes) and measures a node that starts from its log, as after a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { genUserSig } from '../services/auth/usersig';
import { inParallel, Rest } from './bench-kit';
import { ADMIN, configure, freePort, nodeEnv, randomApp, SECRET, spawn, stopChild, tempDir, waitReady } from './load-targets';
import { machineSample } from './load-cpu';
import { blankNavigation, firstPageInBrowser, firstPageOverHttp, otherPages, pageCalls, type Credentials } from './console-loads';
import { median, round, table } from './stats';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Nicks start with one of these, so a two-letter prefix matches thousands of accounts. */
const NAMES = ['li', 'wang', 'zhang', 'liu', 'chen', 'yang', 'zhao', 'huang', 'zhou', 'wu', 'anna', 'ben', 'carla', 'david', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jonas'];
const META = 'bench-console.json';
const GROUP_MESSAGES = 30;

interface Filled {
  app: number;
  accounts: number;
  groups: number;
  fillSec?: { accounts: number; groups: number };
}

const user = (i: number) => `cu${i}`;
const groupId = (j: number) => `cg${j}`;

async function fill(rest: Rest, accounts: number, groups: number): Promise<{ accounts: number; groups: number }> {
  const t0 = performance.now();
  const batches = Math.ceil(accounts / 100);
  await inParallel(batches, 4, async (b) => {
    const list = [];
    for (let i = b * 100; i < Math.min(accounts, (b + 1) * 100); i++) list.push({ UserID: user(i), Nick: `${NAMES[i % NAMES.length]} ${i}` });
    await rest.ok('im_open_login_svc/multiaccount_import', { AccountList: list });
    if ((b + 1) % 200 === 0) console.log(`  ${Math.min(accounts, (b + 1) * 100)} accounts`);
  });
  const t1 = performance.now();
  await inParallel(groups, 16, async (j) => {
    const members = [1, 2].map((k) => ({ Member_Account: user((j * 3 + k) % accounts) }));
    await rest.ok('group_open_http_svc/create_group', { GroupId: groupId(j), Owner_Account: user((j * 3) % accounts), Type: 'Public', Name: `group ${j}`, MemberList: members });
    if ((j + 1) % 2000 === 0) console.log(`  ${j + 1} groups`);
  });
  for (let m = 0; m < GROUP_MESSAGES; m++) {
    await rest.ok('group_open_http_svc/send_group_msg', { GroupId: groupId(0), From_Account: user(0), Random: m + 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `message ${m}` } }] });
  }
  const t2 = performance.now();
  return { accounts: (t1 - t0) / 1000, groups: (t2 - t1) / 1000 };
}

const stat = (xs: number[]) => [round(median(xs), 1), round(Math.min(...xs), 1), round(Math.max(...xs), 1)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100000' },
      groups: { type: 'string', default: '10000' },
      loads: { type: 'string', default: '7' },
      data: { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
    },
  });
  const accounts = Number(values.accounts);
  const groups = Number(values.groups);
  const loads = Number(values.loads);
  if (![accounts, groups, loads].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--accounts, --groups and --loads must be positive integers');
  const dataDir = values.data ? path.resolve(values.data) : tempDir('parley-console-bench-');
  fs.mkdirSync(dataDir, { recursive: true });
  const metaFile = path.join(dataDir, META);
  const known = fs.existsSync(metaFile) ? (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Filled) : undefined;
  const reuse = known?.accounts === accounts && known.groups === groups;
  if (known && !reuse) throw new Error(`${dataDir} holds ${known.accounts} accounts and ${known.groups} groups: use another --data folder`);
  const app = known?.app ?? randomApp();

  console.log(`console bench ${new Date().toISOString()}: Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const port = await freePort();
  const t0 = performance.now();
  const node = spawn('load-node', nodeEnv({ PARLEY_PORT: String(port), PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(app), PARLEY_NODE_ID: `console-bench-${process.pid}` }));
  let browser: Browser | undefined;
  const rest = new Rest(port, app);
  try {
    await waitReady(node, 'the embedded node');
    console.log(`node started in ${((performance.now() - t0) / 1000).toFixed(1)} s${reuse ? ' (from its log)' : ''}`);
    await configure(node, app);
    let fillSec = known?.fillSec;
    if (!reuse) {
      console.log(`filling: ${accounts} accounts, ${groups} groups`);
      fillSec = await fill(rest, accounts, groups);
      fs.writeFileSync(metaFile, JSON.stringify({ app, accounts, groups, fillSec } satisfies Filled));
    }
    if (fillSec) console.log(`fill: accounts ${fillSec.accounts.toFixed(0)} s (${Math.round(accounts / fillSec.accounts)}/s), groups ${fillSec.groups.toFixed(0)} s (${Math.round(groups / fillSec.groups)}/s)`);

    const c: Credentials = { port, app, admin: ADMIN, usersig: genUserSig({ sdkAppId: app, secretKey: SECRET, identifier: ADMIN, expireSeconds: 86400 }) };
    if (!values['no-browser']) {
      if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (or run with --no-browser)`);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    }
    const calls = pageCalls(groupId(0), 'li');
    const http: number[] = [];
    const inBrowser: number[] = [];
    const toForm: number[] = [];
    const onPageClock: number[] = [];
    const pageToForm: number[] = [];
    const pageSubmitToPage: number[] = [];
    const blank: number[] = [];
    const afterSignIn: number[] = [];
    const perCall: number[][] = calls.map(() => []);
    const m0 = machineSample();
    const w0 = performance.now();
    // One load of each kind before measuring: the node's first answers warm its caches.
    await firstPageOverHttp(c);
    if (browser) await firstPageInBrowser(browser, c);
    for (let i = 0; i < loads; i++) {
      http.push(await firstPageOverHttp(c));
      if (browser) {
        const b = await firstPageInBrowser(browser, c);
        inBrowser.push(b.toForm + b.signInToPage);
        toForm.push(b.toForm);
        afterSignIn.push(b.signInToPage);
        onPageClock.push(b.pageToForm + b.pageSubmitToPage);
        pageToForm.push(b.pageToForm);
        pageSubmitToPage.push(b.pageSubmitToPage);
        blank.push(await blankNavigation(browser, c));
      }
      (await otherPages(c, calls)).forEach((ms, k) => perCall[k].push(ms));
    }
    const busy = ((machineSample().busy - m0.busy) / ((performance.now() - w0) * 1000 * os.cpus().length)) * 100;

    console.log(`\n${accounts} accounts, ${groups} groups; ${loads} loads of each, taking turns (ms: median, min, max)`);
    const rows: (string | number)[][] = [['first page over HTTP (page, files, sign-in, api/callback)', ...stat(http)]];
    if (browser) {
      rows.push(
        ['first page in chromium (navigation + sign-in, typing left out)', ...stat(inBrowser)],
        ['  navigation to the sign-in form shown', ...stat(toForm)],
        ['  sign-in click to the first page shown with its data', ...stat(afterSignIn)],
        ['the same on the page\'s clock (first frames; typing left out)', ...stat(onPageClock)],
        ['  navigation start to the sign-in form\'s first frame', ...stat(pageToForm)],
        ['  submit to the first page\'s first frame', ...stat(pageSubmitToPage)],
        ['baseline: chromium navigating to /healthz (a few bytes)', ...stat(blank)],
      );
    }
    calls.forEach((call, k) => rows.push([call.name, ...stat(perCall[k])]));
    console.log(table(['load', 'median', 'min', 'max'], rows));
    console.log(`machine: ${busy.toFixed(0)}% of both cores busy during the loads (the node, chromium and everyone else), load average ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    await browser?.close();
    await rest.close();
    await stopChild(node);
    if (!values.data) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
