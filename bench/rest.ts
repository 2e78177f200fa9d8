/**
 * REST throughput: account_check of one account per call, and openim/sendmsg of one text
 * message per call (each between a different pair of the 100 imported accounts, a fresh
 * MsgRandom each), against one embedded node, with keep-alive connections as an app backend
 * would hold them (issue 3's target: 20,000 calls/s with p99 under 20 ms; issue 14 item 7's:
 * at least 0.6× a bare Node HTTP server answering a constant, in the same run).
 * The server runs in a child process, and so does a bare Node HTTP server answering a constant;
 * autocannon drives both from here, the two taking turns run after run (Parley, bare, Parley,
 * bare…), so that the machine's other load falls on both alike and each run has its own ratio.
 * Usage: npm run bench:rest [-- --runs 3 --seconds 10 --connections 64 --warmup 3 --command account_check|sendmsg|both]
 * BENCH_PROFILE=<dir> writes a CPU profile of the Parley node (node --cpu-prof) there;
 * BENCH_NODE_ARGS='--flag …' passes Node options to the Parley node alone.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { median, round } from './stats';

interface Run {
  rps: number;
  bare: number;
  /** Server CPU (user + system, every thread) per call, µs: Parley's and the bare server's. */
  cpu: number;
  bareCpu: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function textArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** A bare Node HTTP server answering like account_check, in its own process as Parley is. */
const BARE_SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ResultItem: [{ UserID: 'user7', ResultCode: 0, AccountStatus: 'Imported' }] });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

/** What one benchmarked command sends: a fixed body, or a body made afresh for each call. */
interface Load {
  name: string;
  path: string;
  body: () => string;
  varies: boolean;
}

let random = 1;
const LOADS: Record<string, Load> = {
  account_check: { name: 'account_check', path: 'im_open_login_svc/account_check', body: () => JSON.stringify({ CheckItem: [{ UserID: 'user7' }] }), varies: false },
  sendmsg: {
    name: 'sendmsg',
    path: 'openim/sendmsg',
    body: () => {
      const n = random++;
      const from = n % 100;
      const to = (from + 1 + (Math.floor(n / 100) % 99)) % 100;
      return JSON.stringify({ SyncOtherMachine: 2, From_Account: `user${from}`, To_Account: `user${to}`, MsgRandom: n, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `hello ${n}` } }] });
    },
    varies: true,
  },
};

/** CPU seconds a process has used so far (user + system, all threads), from /proc; NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** A load's calls/s and the server's CPU µs per call. */
async function measure(url: string, load: Load, connections: number, seconds: number, pid: number | undefined): Promise<{ out: autocannon.Result; cpu: number }> {
  const before = cpuSeconds(pid);
  const out = await drive(url, load, connections, seconds);
  const cpu = ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, out.requests.total);
  return { out, cpu };
}

async function drive(url: string, load: Load, connections: number, seconds: number): Promise<autocannon.Result> {
  const base = { url, connections, duration: seconds, pipelining: 1 };
  if (!load.varies) return autocannon({ ...base, method: 'POST', body: load.body() });
  return autocannon({ ...base, requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: load.body() }) }] });
}

async function startBare(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  return { child, port };
}

async function startParley(): Promise<{ child: ChildProcess; port: number; query: string }> {
  const ext = path.extname(__filename);
  const child = fork(path.join(__dirname, `rest-server${ext}`), [], {
    execArgv: [
      ...(ext === '.ts' ? ['--require', 'tsx/cjs'] : []),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port, query } = await new Promise<{ port: number; query: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; query: string }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port, query };
}

async function bench(load: Load, parley: { child: ChildProcess; port: number; query: string }, bare: { child: ChildProcess; port: number }, runs: number, seconds: number, connections: number, warmup: number): Promise<void> {
  const url = `http://127.0.0.1:${parley.port}/v4/${load.path}?${parley.query}`;
  const probe = (await (await fetch(url, { method: 'POST', body: load.body() })).json()) as { ErrorCode: number };
  if (probe.ErrorCode !== 0) throw new Error(`probe failed: ${JSON.stringify(probe)}`);
  // Unmeasured warm-up of both servers: the first seconds of a fresh node are JIT compilation.
  await drive(url, load, connections, warmup);
  await drive(`http://127.0.0.1:${bare.port}/v4/x/y`, load, connections, warmup);
  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const { out, cpu } = await measure(url, load, connections, seconds, parley.child.pid);
    const baseline = await measure(`http://127.0.0.1:${bare.port}/v4/x/y`, load, connections, seconds, bare.child.pid);
    const run = { rps: out.requests.average, bare: baseline.out.requests.average, cpu, bareCpu: baseline.cpu, p50: out.latency.p50, p99: out.latency.p99, errors: out.errors, non2xx: out.non2xx };
    results.push(run);
    console.log(
      `${load.name} run ${r + 1}: ${round(run.rps)} calls/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, ${round(cpu)} µs CPU/call; ` +
        `bare Node ${round(run.bare)} calls/s, ${round(run.bareCpu)} µs CPU/call; ratio ${round(run.rps / run.bare, 2)}`,
    );
  }
  const rps = median(results.map((r) => r.rps));
  const p99 = median(results.map((r) => r.p99));
  console.log(`\n${load.name}, ${connections} keep-alive connections, median of ${runs} × ${seconds} s, alternating with bare Node:`);
  console.log(`  ratio to bare Node HTTP answering a constant: ${round(median(results.map((r) => r.rps / r.bare)), 2)} (runs: ${results.map((r) => round(r.rps / r.bare, 2)).join(', ')}; target ≥ 0.6)`);
  console.log(`  server CPU per call: ${round(median(results.map((r) => r.cpu)))} µs (bare Node ${round(median(results.map((r) => r.bareCpu)))} µs)`);
  console.log(`  ${round(rps)} calls/s (bare Node ${round(median(results.map((r) => r.bare)))}), p50 ${median(results.map((r) => r.p50))} ms, p99 ${p99} ms (target < 20 ms: ${p99 < 20 ? 'met' : 'missed'})\n`);
}

async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 64);
  const warmup = arg('warmup', 3);
  const command = textArg('command', 'both');
  const loads = command === 'both' ? [LOADS.account_check, LOADS.sendmsg] : [LOADS[command]];
  if (loads.some((l) => !l)) throw new Error(`--command must be account_check, sendmsg or both`);
  const parley = await startParley();
  const bare = await startBare();
  try {
    for (const load of loads) await bench(load, parley, bare, runs, seconds, connections, warmup);
  } finally {
    parley.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
