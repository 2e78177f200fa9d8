/**
 * WebSocket gateway benchmark: N idle logged-in SDK connections on one embedded node.
 * Reports logins per second, login latency percentiles while the logins ramp, and the
 * node's memory per connection (RSS and heap after a full GC, against the node at rest).
 * Each connection is its own user, so the figure includes that user's actor, its presence
 * record and its cached UserSig check — what a real idle user costs, not a bare socket.
 *
 * Usage: npx tsx bench/ws-idle.ts [--connections 19000] [--procs 2] [--concurrency 100] [--idle 15]
 * (file descriptors: `ulimit -n` bounds one process; the load is spread over --procs.)
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../test/e2e/ws-harness';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONNECTIONS = arg('connections', 19_000);
const PROCS = arg('procs', 2);
const CONCURRENCY = arg('concurrency', 100);
const IDLE_SEC = arg('idle', 15);
const APP = 1400000001;
const SECRET = 'ws-bench-secret-0123456789abcdef';

interface Measured {
  memory: NodeJS.MemoryUsage;
  stats: { connections: number; loggedIn: number };
}

const ask = (child: ChildProcess) =>
  new Promise<Measured>((resolve) => {
    const on = (msg: { type?: string } & Measured) => {
      if (msg.type !== 'measured') return;
      child.off('message', on);
      resolve(msg);
    };
    child.on('message', on);
    child.send({ type: 'measure' });
  });

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const port = await freePort();
  const tsx = ['--require', 'tsx/cjs'];
  const server = fork(path.join(__dirname, 'ws-server.ts'), [], {
    execArgv: ['--expose-gc', ...tsx],
    env: { ...process.env, PARLEY_PORT: String(port), PARLEY_SDKAPPID: String(APP), PARLEY_SECRET: SECRET },
  });
  await new Promise((resolve) => server.once('message', resolve));
  const base = await ask(server);
  console.log(`node at rest: rss ${mb(base.memory.rss)} MB, heap ${mb(base.memory.heapUsed)} MB`);

  const per = Math.ceil(CONNECTIONS / PROCS);
  const loads = Array.from({ length: PROCS }, (_, i) =>
    fork(path.join(__dirname, 'ws-load.ts'), [String(port), String(APP), SECRET, String(i * per), String(Math.min(per, CONNECTIONS - i * per)), String(CONCURRENCY)], {
      execArgv: tsx,
    }),
  );
  const t0 = Date.now();
  const results = await Promise.all(
    loads.map((child) => new Promise<{ ms: number; latencies: number[]; failures: number; open: number }>((resolve) => child.once('message', resolve as never))),
  );
  const wall = Date.now() - t0;
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const open = results.reduce((a, r) => a + r.open, 0);
  const failures = results.reduce((a, r) => a + r.failures, 0);
  console.log(`logged in ${open} connections (${failures} failed) in ${(wall / 1000).toFixed(1)} s: ${Math.round(open / (wall / 1000))} logins/s`);
  console.log(`login latency ms: p50 ${pct(latencies, 50).toFixed(1)}, p90 ${pct(latencies, 90).toFixed(1)}, p99 ${pct(latencies, 99).toFixed(1)}, max ${latencies[latencies.length - 1].toFixed(1)}`);

  await new Promise((r) => setTimeout(r, IDLE_SEC * 1000));
  const loaded = await ask(server);
  const rssPer = (loaded.memory.rss - base.memory.rss) / loaded.stats.loggedIn;
  const heapPer = (loaded.memory.heapUsed - base.memory.heapUsed) / loaded.stats.loggedIn;
  const extPer = (loaded.memory.external + loaded.memory.arrayBuffers - base.memory.external - base.memory.arrayBuffers) / loaded.stats.loggedIn;
  console.log(`after ${IDLE_SEC} s idle with heartbeats: ${loaded.stats.loggedIn} logged in, rss ${mb(loaded.memory.rss)} MB, heap ${mb(loaded.memory.heapUsed)} MB`);
  console.log(`per connection: rss ${(rssPer / 1024).toFixed(1)} KB, heap ${(heapPer / 1024).toFixed(1)} KB, external ${(extPer / 1024).toFixed(1)} KB`);
  console.log(
    JSON.stringify({ connections: loaded.stats.loggedIn, loginsPerSec: Math.round(open / (wall / 1000)), p99LoginMs: pct(latencies, 99), rssPerConnKB: rssPer / 1024, heapPerConnKB: heapPer / 1024 }),
  );
  for (const child of loads) child.kill('SIGKILL');
  server.kill('SIGKILL');
}

void main();
