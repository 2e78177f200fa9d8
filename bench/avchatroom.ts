/**
 * AVChatRoom fan-out benchmark: one embedded node (bench/avchatroom-server.ts) holding as many
 * viewer sockets as its file-descriptor limit allows, every one joined to one live room; the
 * viewers live in client processes (bench/avchatroom-clients.ts), each with its own fd limit.
 *
 * Two ways of sending, interleaved run by run on the same sockets:
 *   parley — send_group_msg as the app administrator, the whole path to the room push;
 *   bare   — a loop in the server writing one pre-built frame of the same shape and size to the
 *            raw socket of every session in the room, nothing else.
 * Each run sends `--messages` messages, at most `--window` of them not yet received by every
 * viewer. Deliveries/s = viewers × messages ÷ (first send → last frame received); latency is
 * per delivery, send start → frame received in the viewer's process.
 *
 * Usage: npx tsx bench/avchatroom.ts [--viewers 19000] [--procs 2] [--messages 30] [--window 2] [--runs 3]
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/e2e/ws-harness';
import { median, round, table } from './stats';

const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '19000' },
    procs: { type: 'string', default: '2' },
    messages: { type: 'string', default: '30' },
    window: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '100' },
  },
});
const VIEWERS = Number(values.viewers);
const PROCS = Number(values.procs);
const MESSAGES = Number(values.messages);
const WINDOW = Number(values.window);
const RUNS = Number(values.runs);
const APP = 1400000001;
const SECRET = 'av-bench-secret-0123456789abcdef';
const tsx = ['--require', 'tsx/cjs'];

type Mode = 'parley' | 'bare';
interface RunResult {
  mode: Mode;
  deliveries: number;
  perSec: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system) per delivery, µs. */
  cpuUs: number;
  /** Of which in the kernel (the write system calls and loopback TCP), µs. */
  systemUs: number;
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (msg: { type?: string; error?: string }) => {
      if (msg.type !== type) return;
      child.off('message', on);
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg as T);
    };
    child.on('message', on);
  });
}

function ask<T>(child: ChildProcess, msg: { type: string; [field: string]: unknown }): Promise<T> {
  const answer = next<T>(child, `${msg.type}ed`);
  child.send(msg);
  return answer;
}

/** Histogram (0.1 ms buckets) percentile, in ms. */
function percentileOf(buckets: Map<number, number>, total: number, p: number): number {
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
    seen += buckets.get(b)!;
    if (seen >= rank) return b / 10;
  }
  return NaN;
}

let nextIndex = 0;

async function run(server: ChildProcess, clients: ChildProcess[], mode: Mode, messages: number, window: number): Promise<RunResult> {
  const done = new Map<number, number>();
  let completed = 0;
  let wake: () => void = () => undefined;
  const onDone = (msg: { type?: string; i?: number }) => {
    if (msg.type !== 'done') return;
    const n = (done.get(msg.i!) ?? 0) + 1;
    done.set(msg.i!, n);
    if (n === clients.length) {
      completed++;
      wake();
    }
  };
  for (const c of clients) c.on('message', onDone);
  const cpu0 = (await ask<{ cpu: NodeJS.CpuUsage }>(server, { type: 'cpu' })).cpu;
  let first = 0;
  let sent = 0;
  const deadline = Date.now() + 120_000;
  while (completed < messages) {
    if (Date.now() > deadline) throw new Error(`${mode}: only ${completed} of ${messages} messages reached every viewer`);
    if (sent < messages && sent - completed < window) {
      const answer = await ask<{ t: number }>(server, { type: 'send', mode, i: nextIndex++ });
      first ||= answer.t;
      sent++;
      continue;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 1000);
    });
  }
  for (const c of clients) c.off('message', onDone);
  const cpu1 = (await ask<{ cpu: NodeJS.CpuUsage }>(server, { type: 'cpu' })).cpu;
  const reports = await Promise.all(clients.map((c) => {
    const r = next<{ histogram: [number, number][]; deliveries: number; last: number }>(c, 'report');
    c.send({ type: 'report' });
    return r;
  }));
  const buckets = new Map<number, number>();
  for (const r of reports) for (const [b, n] of r.histogram) buckets.set(b, (buckets.get(b) ?? 0) + n);
  const deliveries = reports.reduce((a, r) => a + r.deliveries, 0);
  const last = Math.max(...reports.map((r) => r.last));
  const cpuUs = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / deliveries;
  const systemUs = (cpu1.system - cpu0.system) / deliveries;
  return { mode, deliveries, perSec: deliveries / ((last - first) / 1000), p50: percentileOf(buckets, deliveries, 50), p99: percentileOf(buckets, deliveries, 99), cpuUs, systemUs };
}

async function main(): Promise<void> {
  const port = await freePort();
  const server = fork(path.join(__dirname, 'avchatroom-server.ts'), [], {
    execArgv: tsx,
    env: { ...process.env, PARLEY_PORT: String(port), PARLEY_SDKAPPID: String(APP), PARLEY_SECRET: SECRET, PARLEY_WEB_IDLE_SEC: '3600' },
  });
  await next(server, 'ready');
  const { groupId } = await ask<{ groupId: string }>(server, { type: 'room' });
  const per = Math.ceil(VIEWERS / PROCS);
  const t0 = Date.now();
  const clients = Array.from({ length: PROCS }, (_, i) =>
    fork(path.join(__dirname, 'avchatroom-clients.ts'), [String(port), String(APP), SECRET, String(i * per), String(Math.min(per, VIEWERS - i * per)), values.concurrency!, groupId], { execArgv: tsx }),
  );
  const ready = await Promise.all(clients.map((c) => next<{ open: number; failures: number }>(c, 'ready')));
  const count = await ask<{ online: number; sessions: number; memory: NodeJS.MemoryUsage }>(server, { type: 'count' });
  console.log(`${ready.reduce((a, r) => a + r.open, 0)} viewers joined (${ready.reduce((a, r) => a + r.failures, 0)} failed) in ${((Date.now() - t0) / 1000).toFixed(1)} s; in the room on the node: ${count.online} users, ${count.sessions} sockets; server rss ${(count.memory.rss / 2 ** 20).toFixed(0)} MB`);

  await run(server, clients, 'parley', 5, WINDOW);
  await run(server, clients, 'bare', 5, WINDOW);
  // Throughput with WINDOW messages in flight; latency alone with one at a time (no queueing).
  const results: RunResult[] = [];
  const alone: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    const order: Mode[] = r % 2 === 0 ? ['parley', 'bare'] : ['bare', 'parley'];
    for (const mode of order) {
      const result = await run(server, clients, mode, MESSAGES, WINDOW);
      results.push(result);
      const single = await run(server, clients, mode, Math.max(5, Math.round(MESSAGES / 3)), 1);
      alone.push(single);
      console.log(`run ${r + 1} ${mode.padEnd(6)} ${Math.round(result.perSec)} deliveries/s, latency p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${result.cpuUs.toFixed(2)} µs/delivery (kernel ${result.systemUs.toFixed(2)}); one at a time: p50 ${single.p50} ms, p99 ${single.p99} ms`);
    }
  }
  const of = (list: RunResult[], mode: Mode) => list.filter((x) => x.mode === mode);
  const mid = (list: RunResult[], mode: Mode, key: 'perSec' | 'p50' | 'p99' | 'cpuUs') => round(median(of(list, mode).map((x) => x[key])), key === 'perSec' ? 0 : key === 'cpuUs' ? 2 : 1);
  const rows = (['parley', 'bare'] as Mode[]).map((mode) => [mode, mid(results, mode, 'perSec'), mid(results, mode, 'p50'), mid(results, mode, 'p99'), mid(alone, mode, 'p50'), mid(alone, mode, 'p99'), mid(results, mode, 'cpuUs')]);
  const ratios = of(results, 'parley').map((p, i) => p.perSec / of(results, 'bare')[i].perSec);
  console.log(`\n${count.sessions} sockets, ${MESSAGES} messages per run, window ${WINDOW}, median of ${RUNS} runs`);
  console.log(table(['mode', 'deliveries/s', 'p50 ms', 'p99 ms', 'alone p50 ms', 'alone p99 ms', 'server µs/delivery'], rows));
  console.log(`ratio parley / bare (per run pair): ${ratios.map((x) => x.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}`);
  const cpuRatios = of(results, 'bare').map((b, i) => b.cpuUs / of(results, 'parley')[i].cpuUs);
  console.log(`server CPU per delivery, bare / parley: ${cpuRatios.map((x) => x.toFixed(2)).join(', ')}; median ${median(cpuRatios).toFixed(2)}`);
  console.log(JSON.stringify({ sockets: count.sessions, ratio: median(ratios), parley: rows[0], bare: rows[1] }));
  for (const c of clients) c.kill('SIGKILL');
  server.kill('SIGKILL');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
