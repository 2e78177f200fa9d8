/**
 * all_member_push at scale on one embedded node: imports N accounts (a share of them online,
 * as presence records; a share of the offline ones with an APNs token, pushed to the loopback
 * APNs server in a process of its own, bench/push-apns-process.ts), then measures
 *   - the one-to-one send path's throughput without a task (closed loop of `--window` sends in
 *     flight between `--chatters` accounts), in slices of `--slice` seconds;
 *   - an im_push to everyone: the time until the task finished (every batch sent) and until
 *     every push it caused was accepted by APNs; the send path's throughput during the task;
 *   - the send path again after the task (the ratio is during / mean of before and after).
 *
 *   npx tsx bench/push-all.ts [--users 100000] [--online 0.1] [--tokens 0.1] [--slice 3]
 *     [--alone (no one-to-one traffic during the task)] [--share 0.2 (a fixed share of the node for the task, services/pushtasks/runner.ts
 *     PACING; 1 = unpaced; default adaptive)] [--chunk 50 (recipients per send, PACING.chunk)]
 *     [--profile task.cpuprofile (the task's window)]
 *
 * Setup (imports, presence, tokens) is timed but not the point; on a shared 2-core machine the
 * default scale may exceed a minute of setup: --users 20000 is the quick run.
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceBroker } from 'moleculer';
import type { PushtaskState } from '../actors/pushtask';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { serviceFile } from '../services/locate';
import { tempDir } from '../test/support/stores';
import { APNS_IDS } from './push-apns-process';
import { PACING } from '../services/pushtasks/runner';
import { startProfile } from './profile-window';

const SDKAPPID = 1400777100;
const SERVICES = ['apps', 'accounts', 'auth', 'presence', 'friends', 'messages', 'inboxes', 'groups', 'push', 'pushdevices', 'pushtasks'];
const admin = { kind: 'admin' as const, id: 'administrator' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Apns {
  endpoint: string;
  key: string;
  count(): Promise<number>;
  stop(): void;
}

async function startApns(): Promise<Apns> {
  const child = fork(path.join(__dirname, 'push-apns-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = await new Promise<{ endpoint: string; key: string }>((resolve) => child.once('message', (m) => resolve(m as { endpoint: string; key: string })));
  return {
    ...first,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { count: number }).count));
        child.send('count');
      }),
    stop: () => child.send('stop'),
  };
}

/** Runs `fn` over `items` with `parallel` calls in flight. */
async function each<T>(items: T[], parallel: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all([...Array(parallel)].map(async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]);
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '100000' },
      online: { type: 'string', default: '0.1' },
      tokens: { type: 'string', default: '0.1' },
      chatters: { type: 'string', default: '200' },
      window: { type: 'string', default: '16' },
      slice: { type: 'string', default: '3' },
      share: { type: 'string' },
      chunk: { type: 'string' },
      alone: { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  const n = Number(values.users);
  const sliceMs = Number(values.slice) * 1000;
  const apns = await startApns();
  const config = loadConfig({ PARLEY_DATA: tempDir('parley-bench-push-all-'), PARLEY_PORT: '0', PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_SECRET: 'bench-push-all-secret-0123456789', PARLEY_LOG_LEVEL: 'warn' });
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of SERVICES) broker.loadService(serviceFile(name));
  await broker.start();
  const call = (action: string, body: object) => broker.call<Record<string, unknown>, object>(action, { app: SDKAPPID, caller: admin, body });
  const timed = async (label: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    await fn();
    console.log(`setup: ${label} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  await broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { push: { apns: { ...APNS_IDS, key: apns.key, production: false, endpoint: apns.endpoint } } } });
  while (!(await broker.call<{ settings: { push?: { apns?: { key?: string } } } }, object>('apps.get', { sdkAppId: SDKAPPID })).settings.push?.apns?.key) await sleep(5);

  const ids = [...Array(n).keys()].map((i) => `u${i}`);
  const chatters = [...Array(Number(values.chatters)).keys()].map((i) => `c${i}`);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  await timed(`${n} accounts imported (+${chatters.length} chatters)`, async () => {
    const others = ['announcer', ...chatters];
    for (let i = 0; i < others.length; i += 100) await call('accounts.multiImport', { Accounts: others.slice(i, i + 100) });
    await each(chunks, 4, (chunk) => call('accounts.multiImport', { Accounts: chunk }));
  });
  const onlineEvery = Math.round(1 / Number(values.online));
  const online = ids.filter((_, i) => i % onlineEvery === 0);
  await timed(`${online.length} online (presence records)`, () =>
    each(online, 16, (userId) => broker.call('presence.login', { app: SDKAPPID, userId, device: { instId: `${userId}-web`, session: 1, platform: 'Web', status: 'Online', nodeID: broker.nodeID, since: Date.now(), expiresAt: 0, push: false } })),
  );
  const tokenEvery = Math.round(1 / Number(values.tokens));
  const withToken = ids.filter((_, i) => i % onlineEvery !== 0 && i % tokenEvery === 1);
  await timed(`${withToken.length} offline accounts with an APNs token`, () =>
    each(withToken, 16, (UserID) => call('pushdevices.setToken', { UserID, Provider: 'apns', Token: crypto.createHash('sha256').update(UserID).digest('hex'), InstId: 'phone' })),
  );

  // The send path: closed-loop one-to-one messages between chatters (no tokens: the send path alone).
  let random = 1;
  let sends = 0;
  let stop = false;
  const window = Number(values.window);
  const loop = Promise.all([...Array(window)].map(async (_, w) => {
    for (let i = w; !stop; i += window) {
      const from = chatters[i % chatters.length];
      const to = chatters[(i * 7 + 1) % chatters.length];
      await call('messages.send', { From_Account: from, To_Account: to === from ? chatters[(i + 1) % chatters.length] : to, MsgRandom: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }] });
      sends++;
    }
  }));
  const rate = async () => {
    const before = sends;
    const t = Date.now();
    await sleep(sliceMs);
    return ((sends - before) * 1000) / (Date.now() - t);
  };
  await rate(); // warm-up
  const before = [await rate(), await rate()];
  console.log(`send path without a task: ${before.map((r) => r.toFixed(0)).join(', ')} msg/s`);

  if (values.share) PACING.minShare = PACING.maxShare = Number(values.share);
  if (values.chunk) PACING.chunk = Number(values.chunk);
  const profile = values.profile ? await startProfile() : undefined;
  if (values.alone) {
    // The task alone: no one-to-one traffic while it runs (how fast an idle node completes it).
    stop = true;
    await loop;
  }
  const pushedBefore = await apns.count();
  const started = Date.now();
  const answer = await call('pushtasks.push', { From_Account: 'announcer', MsgRandom: 7, MsgLifeTime: 86400, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Maintenance tonight at 22:00' } }] });
  if (!answer.TaskId) throw new Error(`im_push refused: ${JSON.stringify(answer)}`);
  const during: number[] = [];
  const running = async () => Object.keys((await broker.call<PushtaskState, object>('pushtasks.dispatch', { key: String(SDKAPPID), command: { op: 'get' } })).running).length > 0;
  let finishedAt = 0;
  const watch = (async () => {
    while (await running()) await sleep(100);
    finishedAt = Date.now();
  })();
  while (finishedAt === 0) {
    if (values.alone) {
      await sleep(100);
      continue;
    }
    const r = await rate();
    // A slice counts as "during" when the task ran through all of it.
    if (finishedAt === 0) during.push(r);
  }
  await watch;
  let pushes = (await apns.count()) - pushedBefore;
  while (pushes < withToken.length && Date.now() - finishedAt < 120_000) {
    await sleep(200);
    pushes = (await apns.count()) - pushedBefore;
  }
  const pushedAt = Date.now();
  if (profile && values.profile) await profile.stop(values.profile);
  const after = values.alone ? [] : [await rate(), await rate()];
  stop = true;
  await loop;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const base = mean([...before, ...after]);
  console.log(`send path during the task: ${during.map((r) => r.toFixed(0)).join(', ')} msg/s (${during.length} slices of ${values.slice} s)`);
  console.log(`send path after the task: ${after.map((r) => r.toFixed(0)).join(', ')} msg/s`);
  console.log(`im_push to ${n} accounts: task finished in ${((finishedAt - started) / 1000).toFixed(1)} s (±${values.slice} s); ${pushes} pushes accepted by APNs ${((pushedAt - started) / 1000).toFixed(1)} s after the request (of ${withToken.length} offline with a token)`);
  console.log(`ratio of the send path during / without the task: ${during.length ? (mean(during) / base).toFixed(2) : 'n/a (task shorter than a slice)'}`);
  await broker.stop();
  apns.stop();
}

main().catch((err) => {
  console.error(err);
  // The APNs process exits with its parent's IPC channel.
  process.exit(1);
});
