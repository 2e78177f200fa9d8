/**
 * Real one-to-one sends (the messages.send action: account checks, blocklist check, conversation
 * actor, durable append with sync feeds, webhooks) per second with the before-send and
 * after-send callbacks on, as a ratio to the rate with them off (issue 8's target: 0.5).
 * The app backend is a bare node:http server in a child process answering OK at once.
 *
 *   npx tsx bench/c2c-callbacks.ts [--messages 5000] [--concurrency 128] [--pairs 500] [--runs 3]
 *
 * Other settings come from PARLEY_* as for a node (e.g. PARLEY_COMMIT_WINDOW_MS=2 to compare
 * group-commit windows); the data folder is a fresh temporary one.
 *
 * Prints, per run, the send rate and the CPU time per message of this process (the server:
 * load generator and Parley) and of the backend, counted until every callback was delivered.
 * The machine has two cores, so CPU per message is the figure that survives a busy machine.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { startCallbackBackend } from './callback-backend';
import { median, round } from './stats';
import { serviceFile } from '../services/locate';

const SDKAPPID = 1400888888;
/** ONLY=BeforeSendMsg or ONLY=AfterSendMsg measures one of the two callbacks alone. */
const ONLY = process.env.ONLY;
const SERVICES = ['apps', 'accounts', 'auth', 'presence', 'messages', 'inboxes', 'friends', 'webhooks'];
/** PROFILE=<dir> writes a V8 CPU profile of each measured run there (off-1.cpuprofile, on-1.cpuprofile, …). */
const PROFILE = process.env.PROFILE;

interface Row {
  rate: number;
  /** CPU per message (µs) of this process (the server) and of the backend, delivery included. */
  serverUs: number;
  backendUs: number;
}

async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((res, rej) => session.post(method, (err, out) => (err ? rej(err) : res(out))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    fs.mkdirSync(PROFILE, { recursive: true });
    fs.writeFileSync(path.join(PROFILE, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '128' }, pairs: { type: 'string', default: '500' }, runs: { type: 'string', default: '3' } },
  });
  const [messages, concurrency, pairs, runs] = [values.messages, values.concurrency, values.pairs, values.runs].map(Number);
  const backend = await startCallbackBackend();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-c2c-'));
  const broker = new ServiceBroker(brokerOptions(loadConfig({ ...process.env, PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_LOG_LEVEL: 'warn' })));
  for (const name of SERVICES) broker.loadService(serviceFile(name));
  await broker.start();
  const admin = { kind: 'admin', id: 'administrator' };
  const users = Array.from({ length: pairs * 2 }, (_, i) => `u${i}`);
  for (let i = 0; i < users.length; i += 100) {
    await broker.call('accounts.multiImport', { app: SDKAPPID, caller: admin, body: { Accounts: users.slice(i, i + 100) } });
  }
  const configure = async (url: string) => {
    const commands = ONLY ? [`C2C.Callback${ONLY}`] : ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg'];
    await broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { callback: { url, commands } } });
    await new Promise((r) => setTimeout(r, 50));
  };
  let sent = 0;
  /** Sends `messages`; the CPU of both processes is counted until every expected callback arrived. */
  const run = async (callbacks: number): Promise<Row> => {
    let next = 0;
    const b0 = await backend.stats();
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < messages) {
          const i = sent + next++;
          const p = i % pairs;
          const body = { From_Account: `u${2 * p}`, To_Account: `u${2 * p + 1}`, MsgRandom: i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }] };
          await broker.call('messages.send', { app: SDKAPPID, caller: admin, body });
        }
      }),
    );
    sent += messages;
    const rate = messages / (Number(process.hrtime.bigint() - t0) / 1e9);
    let b1 = await backend.stats();
    while (b1.count - b0.count < callbacks) {
      await new Promise((res) => setTimeout(res, 5));
      b1 = await backend.stats();
    }
    const cpu = process.cpuUsage(cpu0);
    return { rate, serverUs: (cpu.user + cpu.system) / messages, backendUs: (b1.cpuUs - b0.cpuUs) / messages };
  };
  const expected = (ONLY ? 1 : 2) * messages;
  const show = (r: Row) => `${round(r.rate)} msg/s (server ${round(r.serverUs)} µs, backend ${round(r.backendUs)} µs CPU/msg)`;

  // Warm-up of both paths: activations, JIT, the outbox shards and the callback connections.
  await configure('');
  await run(0);
  await configure(backend.url);
  await run(expected);
  const rows: { off: Row; on: Row }[] = [];
  // Every run adds to the same conversations and log, and each gets slower for it; the order of
  // the two modes alternates, so neither always runs on the smaller log.
  const measure = async (mode: 'off' | 'on', r: number) => {
    await configure(mode === 'on' ? backend.url : '');
    return profiled(`${mode}-${r + 1}`, () => run(mode === 'on' ? expected : 0));
  };
  for (let r = 0; r < runs; r++) {
    const first = r % 2 === 0 ? 'off' : 'on';
    const a = await measure(first, r);
    const b = await measure(first === 'off' ? 'on' : 'off', r);
    const [off, on] = first === 'off' ? [a, b] : [b, a];
    rows.push({ off, on });
    console.log(`run ${r + 1}: off ${show(off)}, on ${show(on)}, ratio ${(on.rate / off.rate).toFixed(2)}`);
  }
  const med = (pick: (r: { off: Row; on: Row }) => number) => round(median(rows.map(pick)));
  console.log(`CPU per message, medians: off server ${med((r) => r.off.serverUs)} µs; on server ${med((r) => r.on.serverUs)} µs, backend ${med((r) => r.on.backendUs)} µs`);
  const off = median(rows.map((r) => r.off.rate));
  const on = median(rows.map((r) => r.on.rate));
  console.log(`\nC2C sends, ${concurrency} in flight over ${pairs} pairs, median of ${runs}: off ${round(off)} msg/s, before+after callbacks on ${round(on)} msg/s — ratio ${(on / off).toFixed(2)} (target 0.5: ${on / off >= 0.5 ? 'met' : 'missed'})`);
  await broker.stop();
  backend.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
