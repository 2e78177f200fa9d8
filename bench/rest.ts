/**
 * REST throughput: account_check of one account per call against one embedded node, with
 * keep-alive connections as an app backend would hold them (issue 3's target: 20,000 calls/s
 * with p99 under 20 ms). The server runs in a child process; autocannon drives it from here.
 * Usage: npm run bench:rest [-- --runs 3 --seconds 10 --connections 64]
 */
import { fork, spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { median, round } from './stats';

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
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

async function bareBaseline(body: string, connections: number, seconds: number, runs: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  const url = `http://127.0.0.1:${port}/v4/x/y`;
  const figures: number[] = [];
  for (let r = 0; r < runs; r++) figures.push((await autocannon({ url, method: 'POST', body, connections, duration: seconds })).requests.average);
  child.kill('SIGTERM');
  return median(figures);
}

async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 64);
  const ext = path.extname(__filename);
  const server = fork(path.join(__dirname, `rest-server${ext}`), [], {
    execArgv: [...(ext === '.ts' ? ['--require', 'tsx/cjs'] : []), ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port, query } = await new Promise<{ port: number; query: string }>((resolve, reject) => {
    server.once('message', (m) => resolve(m as { port: number; query: string }));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/v4/im_open_login_svc/account_check?${query}`;
  const body = JSON.stringify({ CheckItem: [{ UserID: 'user7' }] });
  const probe = (await (await fetch(url, { method: 'POST', body })).json()) as { ErrorCode: number };
  if (probe.ErrorCode !== 0) throw new Error(`probe failed: ${JSON.stringify(probe)}`);

  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const out = await autocannon({ url, method: 'POST', body, connections, duration: seconds, pipelining: 1 });
    results.push({ rps: out.requests.average, p50: out.latency.p50, p99: out.latency.p99, errors: out.errors, non2xx: out.non2xx });
    console.log(`run ${r + 1}: ${round(out.requests.average)} calls/s, p50 ${out.latency.p50} ms, p99 ${out.latency.p99} ms, errors ${out.errors}`);
  }
  server.kill('SIGTERM');
  // The same load against a bare Node HTTP server on this machine: the ceiling any Node
  // gateway could reach here, so the figure above can be read as a ratio.
  const bare = await bareBaseline(body, connections, seconds, runs);
  const rps = median(results.map((r) => r.rps));
  const p99 = median(results.map((r) => r.p99));
  console.log(`\naccount_check, ${connections} keep-alive connections, median of ${runs} × ${seconds} s:`);
  console.log(`  bare Node HTTP on this machine, same load: ${round(bare)} calls/s — Parley reaches ${round((rps / bare) * 100)}% of it`);
  console.log(`  ${round(rps)} calls/s (target 20,000: ${rps >= 20_000 ? 'met' : 'missed'}), p50 ${median(results.map((r) => r.p50))} ms, p99 ${p99} ms (target < 20 ms: ${p99 < 20 ? 'met' : 'missed'})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
