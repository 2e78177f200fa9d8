/**
 * The message-path load bench (issue 14, item 1): N pairs of SDK-frame clients, closed loop with a
 * window of messages in flight per sender, against Parley embedded, a three-node Parley cluster on
 * this machine and the bare router of bench/bare-router.ts, alternating the targets run by run
 * (A B C A B C …), then medians and ratios. Every target runs in processes of its own, the load in
 * one or more load-generator processes (bench/load-clients.ts), this process only orchestrates.
 *
 * Modes:
 *   c2c    `--pairs` sender/receiver socket pairs, `openim.sendmsg`; deliveries = messages.
 *   group  `--pairs` Work groups of `--group-size` members, all online, the first member of each
 *          sends `group_open_http_svc.send_group_msg`; deliveries = messages × online members
 *          (the sender's own socket included: Parley pushes to it too).
 *   rest   `--pairs` senders as the app administrator (`POST /v4/openim/sendmsg`, SyncOtherMachine
 *          2) over `--connections` keep-alive connections, receivers online.
 * A message holds its window slot until it is acknowledged and received by every recipient (or
 * refused, or older than `--timeout`). After `--warmup` seconds the window of `--seconds` is
 * measured: deliveries/s, acknowledged messages/s, send → receive p50/p99 of each delivery, CPU
 * time of the server processes per delivery (process.cpuUsage over IPC; a cluster's three nodes
 * summed; apart from it NATS and Redis, whole and shared with anyone else using them, and the
 * PostgreSQL backends serving the nodes: bench/load-cpu.ts), of the load processes, and the
 * share of the machine's CPU used by processes outside the bench ("others"). Then
 * sending stops, in-flight messages drain, and the load client checks that every acknowledged
 * message reached each recipient exactly once (lost, duplicated, unexpected are printed).
 *
 * Parley targets are configured for load as bench/groups.ts and bench/rest.ts are: REST rate
 * limits raised, group frequency control off. What stays on: the gateway's per-socket flood
 * control (200 frames/s after a burst of 400, services/connector/flood.ts), so one sender socket
 * cannot go beyond 200 messages/s on Parley (refusals 60007 are counted and retried after 5 ms).
 *
 * Usage: npm run bench:load -- --mode c2c|group|rest[,…] [--pairs 50] [--window 10]
 *   [--seconds 10] [--warmup 2] [--runs 3] [--targets embedded,cluster,bare] [--group-size 20]
 *   [--procs 1] [--connections 64] [--timeout 10] [--drain 15] [--idle 2] [--pause 500]
 *   [--json out.json] [--profile DIR]
 *   [--pg postgres://postgres@127.0.0.1:5432/test] [--nats nats://127.0.0.1:4222] [--redis redis://127.0.0.1:6379]
 * PARLEY_* settings in the environment reach the Parley nodes (e.g. PARLEY_SQLITE_SYNC,
 * PARLEY_COMMIT_WINDOW_MS), except those the bench sets itself (port, data, transporter, store…).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { genUserSig } from '../services/auth/usersig';
import { clientPorts, infraBetween, machineSample, type MachineSample } from './load-cpu';
import type { GroupPlan, LoadResult, Mode, PairPlan, Plan } from './load-clients';
import { median, round, table } from './stats';

export type TargetName = 'embedded' | 'cluster' | 'bare';
export const TARGETS: readonly TargetName[] = ['embedded', 'cluster', 'bare'];
export const MODES: readonly Mode[] = ['c2c', 'group', 'rest'];

export interface LoadOptions {
  modes: Mode[];
  /** Pairs (c2c, rest) or groups (group). */
  pairs: number;
  /** Messages in flight per sender. */
  window: number;
  seconds: number;
  warmup: number;
  runs: number;
  targets: TargetName[];
  groupSize: number;
  /** Load-generator processes. */
  procs: number;
  /** REST: keep-alive connections per target (split over a cluster's nodes). */
  connections: number;
  /** Seconds a message may hold its window slot. */
  timeout: number;
  /** Seconds to wait for in-flight messages after the window. */
  drain: number;
  /** Milliseconds between runs (closed sockets settle). */
  pause: number;
  /** Seconds the idle CPU of each target is measured after its start. */
  idle: number;
  /** A folder: CPU profiles of every server process over each measured window go there. */
  profile?: string;
  clusterNodes: number;
  pg: string;
  nats: string;
  redis: string;
  log: (line: string) => void;
}

export const DEFAULTS: LoadOptions = {
  modes: ['c2c'],
  pairs: 50,
  window: 10,
  seconds: 10,
  warmup: 2,
  runs: 3,
  targets: ['embedded', 'cluster', 'bare'],
  groupSize: 20,
  procs: 1,
  connections: 64,
  timeout: 10,
  drain: 15,
  pause: 500,
  idle: 2,
  clusterNodes: 3,
  pg: 'postgres://postgres@127.0.0.1:5432/test',
  nats: 'nats://127.0.0.1:4222',
  redis: 'redis://127.0.0.1:6379',
  log: (line) => console.log(line),
};

/** One measured run of one target. */
export interface RunFigures {
  target: TargetName;
  round: number;
  /** Deliveries/s in the window (messages/s for c2c and rest). */
  rate: number;
  /** Acknowledged messages/s in the window. */
  acked: number;
  p50: number;
  p99: number;
  /** µs of CPU per delivery: the target's processes, the load processes, NATS+PostgreSQL+Redis (cluster). */
  serverCpu: number;
  /** Share of serverCpu spent in the kernel (socket writes and reads, loopback TCP), %. */
  serverKernelPct: number;
  loadCpu: number;
  infraCpu?: number;
  /** Cluster: transporter packets published by the nodes per delivery, by type. */
  packets?: Record<string, number>;
  /** Share of the machine's CPU (all cores) used by processes outside the bench during the window, %. */
  othersPct: number;
  loadavg: number;
  check: Pick<LoadResult, 'sent' | 'acked' | 'expected' | 'received' | 'lost' | 'duplicated' | 'unexpected' | 'unackedDelivered' | 'noReply' | 'timedOut' | 'refused'>;
}

export interface TargetSummary {
  target: TargetName;
  rate: number;
  acked: number;
  p50: number;
  p99: number;
  serverCpu: number;
  serverKernelPct: number;
  loadCpu: number;
  infraCpu?: number;
  packets?: Record<string, number>;
  othersPct: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  refused: number;
  noReply: number;
}

export interface ModeReport {
  mode: Mode;
  runs: RunFigures[];
  summary: TargetSummary[];
  /** name → ratio of medians, and the median of the per-round ratios. */
  ratios: { name: string; ofMedians: number; perRound: number }[];
}

// --- processes ---

const EXT = path.extname(__filename);
const EXEC_ARGV = EXT === '.ts' ? ['--require', 'tsx/cjs'] : [];
const SECRET = 'bench-load-secret-0123456789abcdef';
const ADMIN = 'administrator';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawn(script: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return fork(path.join(__dirname, script + EXT), [], { execArgv: EXEC_ARGV, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

let askId = 0;
/** Sends `msg` and resolves with the child's next message of `type` (with the same id when it echoes one). */
function ask<T>(child: ChildProcess, msg: object, type: string, timeoutMs = 120_000): Promise<T> {
  const id = ++askId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} from ${path.basename(String(child.spawnargs.at(-1)))} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string; id?: number }) => {
      if (m?.type === type && (m.id === undefined || m.id === id)) done(undefined, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`a bench process exited (${code}) while waiting for ${type}`));
    const done = (err?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ...msg, id });
  });
}

function waitReady(child: ChildProcess, what: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready after 120 s`)), 120_000);
    const onMessage = (m: { type?: string; port?: number }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ port: m.port as number });
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// --- targets ---

interface Target {
  name: TargetName;
  app: number;
  ports: number[];
  servers: ChildProcess[];
  /** Cluster: the PostgreSQL port, whose backends serving the nodes count as the target's infrastructure. */
  pgPort?: number;
  stop(): Promise<void>;
}

/** Settings the bench owns; every other PARLEY_* of the environment passes through. */
const OWN_SETTINGS = ['PARLEY_PORT', 'PARLEY_DATA', 'PARLEY_TRANSPORTER', 'PARLEY_DB', 'PARLEY_DB_SCHEMA', 'PARLEY_REDIS', 'PARLEY_NAMESPACE', 'PARLEY_NODE_ID', 'PARLEY_SDKAPPID', 'PARLEY_SECRET', 'PARLEY_ADMIN', 'PARLEY_CALLBACK_URL', 'PARLEY_CALLBACK_TOKEN'];

function nodeEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of OWN_SETTINGS) delete env[key];
  return { ...env, PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn', PARLEY_SECRET: SECRET, ...settings };
}

const randomApp = () => 1400000000 + Math.floor(Math.random() * 99_000_000);
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const LOAD_SETTINGS = { rateLimits: { default: 1_000_000, account: 1_000_000 }, groups: { messagesPerSecond: 0 } };

async function configure(node: ChildProcess, app: number): Promise<void> {
  const reply = await ask<{ error?: string }>(node, { type: 'configure', sdkAppId: app, settings: LOAD_SETTINGS }, 'configured');
  if (reply.error) throw new Error(`apps.update failed: ${reply.error}`);
}

async function startBare(): Promise<Target> {
  const child = spawn('bare-router');
  const { port } = await waitReady(child, 'the bare router');
  return { name: 'bare', app: randomApp(), ports: [port], servers: [child], stop: () => stopChild(child) };
}

async function startEmbedded(): Promise<Target> {
  const app = randomApp();
  const data = tempDir('parley-load-');
  const port = await freePort();
  const child = spawn('load-node', nodeEnv({ PARLEY_PORT: String(port), PARLEY_DATA: data, PARLEY_SDKAPPID: String(app), PARLEY_NODE_ID: `load-embedded-${process.pid}` }));
  await waitReady(child, 'the embedded node');
  await configure(child, app);
  return {
    name: 'embedded',
    app,
    ports: [port],
    servers: [child],
    async stop() {
      await stopChild(child);
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

async function startCluster(o: LoadOptions): Promise<Target> {
  const app = randomApp();
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `bench_load_${tag}`;
  const namespace = `bench-load-${tag}`;
  const ports: number[] = [];
  const dirs: string[] = [];
  const servers: ChildProcess[] = [];
  const nodeIds = Array.from({ length: o.clusterNodes }, (_, i) => `load-n${i + 1}-${process.pid}`);
  for (let i = 0; i < o.clusterNodes; i++) {
    ports.push(await freePort());
    dirs.push(tempDir('parley-load-cluster-'));
    servers.push(
      spawn(
        'load-node',
        nodeEnv({
          PARLEY_PORT: String(ports[i]),
          PARLEY_DATA: dirs[i],
          PARLEY_SDKAPPID: String(app),
          PARLEY_NODE_ID: nodeIds[i],
          PARLEY_NAMESPACE: namespace,
          PARLEY_TRANSPORTER: o.nats,
          PARLEY_DB: o.pg,
          PARLEY_DB_SCHEMA: schema,
          PARLEY_REDIS: o.redis,
        }),
      ),
    );
  }
  const target: Target = {
    name: 'cluster',
    app,
    ports,
    servers,
    pgPort: Number(new URL(o.pg).port || 5432),
    async stop() {
      // SIGKILL: the schema and presence keys go below, and three nodes stopping at once only
      // hand actors and webhook shards to each other while their stores close.
      await Promise.all(servers.map((s) => stopChild(s, 'SIGKILL')));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      await dropSchema(o.pg, schema).catch((err: Error) => o.log(`(could not drop schema ${schema}: ${err.message})`));
      await forgetPresence(o.redis, app, nodeIds).catch(() => undefined);
    },
  };
  try {
    await Promise.all(servers.map((s, i) => waitReady(s, `cluster node ${i + 1}`)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const seen = await Promise.all(servers.map((s) => ask<{ n: number }>(s, { type: 'connectors' }, 'connectors')));
      if (seen.every((r) => r.n === servers.length)) break;
      if (Date.now() > deadline) throw new Error(`cluster nodes see ${seen.map((r) => r.n).join('/')} gateways, not ${servers.length}`);
      await sleep(200);
    }
    await configure(servers[0], app);
  } catch (err) {
    await target.stop();
    throw err;
  }
  return target;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * The cluster's presence keys of the bench's app and of its nodes as holders (its devices are
 * gone with its killed nodes; left alone, another cluster's sweep would end them one day).
 */
async function forgetPresence(url: string, app: number, nodeIds: string[]): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const holders = (await redis.smembers('parley:presence:nodes')).filter((h) => nodeIds.includes(h.split('#')[0]));
    for (const holder of holders) {
      await redis.srem('parley:presence:nodes', holder);
      await redis.del(`parley:presence:on:${holder}`, `parley:presence:alive:${holder}`, `parley:presence:claim:${holder}`);
    }
    for (const pattern of [`parley:presence:${app}:*`, `parley:presence:order:${app}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

function startTarget(name: TargetName, o: LoadOptions): Promise<Target> {
  if (name === 'bare') return startBare();
  if (name === 'embedded') return startEmbedded();
  return startCluster(o);
}

// --- set-up through REST, as an app backend would ---

async function rest(target: Target, command: string, body: object): Promise<Record<string, unknown>> {
  const sig = genUserSig({ sdkAppId: target.app, secretKey: SECRET, identifier: ADMIN, expireSeconds: 86400 });
  const url = `http://127.0.0.1:${target.ports[0]}/v4/${command}?sdkappid=${target.app}&identifier=${ADMIN}&usersig=${encodeURIComponent(sig)}&random=${Math.floor(Math.random() * 1e9)}&contenttype=json`;
  const reply = (await (await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) })).json()) as Record<string, unknown>;
  if (reply.ErrorCode !== 0) throw new Error(`${command} on ${target.name}: ${JSON.stringify(reply).slice(0, 300)}`);
  return reply;
}

interface Workload {
  pairs?: { sender: string; receiver: string }[];
  groups?: { members: string[] }[];
  users: string[];
}

function workload(mode: Mode, o: LoadOptions): Workload {
  if (mode === 'group') {
    const groups = Array.from({ length: o.pairs }, (_, g) => ({ members: Array.from({ length: o.groupSize }, (_, m) => `lg${g}m${m}`) }));
    return { groups, users: groups.flatMap((g) => g.members) };
  }
  const p = mode === 'c2c' ? 'c' : 'r';
  const pairs = Array.from({ length: o.pairs }, (_, i) => ({ sender: `l${p}s${i}`, receiver: `l${p}r${i}` }));
  return { pairs, users: pairs.flatMap((x) => [x.sender, x.receiver]) };
}

/** Accounts imported ahead (not at first login, inside a run), groups created; returns group ids. */
async function setUp(target: Target, w: Workload): Promise<string[]> {
  const batches: string[][] = [];
  for (let i = 0; i < w.users.length; i += 100) batches.push(w.users.slice(i, i + 100));
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < batches.length) await rest(target, 'im_open_login_svc/multiaccount_import', { Accounts: batches[next++] });
  }));
  const ids: string[] = [];
  for (const g of w.groups ?? []) {
    const [owner, ...rest499] = g.members;
    const created = await rest(target, 'group_open_http_svc/create_group', { Owner_Account: owner, Type: 'Work', Name: `load ${ids.length}`, MemberList: rest499.slice(0, 499).map((m) => ({ Member_Account: m })) });
    const groupId = String(created.GroupId);
    for (let i = 499; i < rest499.length; i += 500) {
      await rest(target, 'group_open_http_svc/add_group_member', { GroupId: groupId, Silence: 1, MemberList: rest499.slice(i, i + 500).map((m) => ({ Member_Account: m })) });
    }
    ids.push(groupId);
  }
  return ids;
}

/** The plan of each load process: pairs and groups dealt round robin; in a cluster, sender and receiver on different nodes. */
function plans(mode: Mode, o: LoadOptions, target: Target, w: Workload, groupIds: string[], run: number): Plan[] {
  const n = target.ports.length;
  const base = (): Plan => ({
    mode,
    app: target.app,
    secret: SECRET,
    admin: ADMIN,
    run,
    window: o.window,
    timeoutMs: o.timeout * 1000,
    drainMs: o.drain * 1000,
    restConnections: Math.max(1, Math.ceil(o.connections / n / o.procs)),
    ...(mode === 'group' ? { groups: [] as GroupPlan[] } : { pairs: [] as PairPlan[] }),
  });
  const out = Array.from({ length: o.procs }, base);
  (w.pairs ?? []).forEach((pair, i) => out[i % o.procs].pairs!.push({ ...pair, senderPort: target.ports[i % n], receiverPort: target.ports[(i + 1) % n] }));
  (w.groups ?? []).forEach((g, i) => out[i % o.procs].groups!.push({ groupId: groupIds[i], members: g.members, ports: g.members.map((_, m) => target.ports[(i + m) % n]) }));
  return out;
}

// --- CPU accounting ---

interface Sample {
  server: number;
  /** Of which in the kernel. */
  serverSys: number;
  /** Transporter packets the target's nodes published, by type. */
  packets: Record<string, number>;
  machine: MachineSample;
  self: number;
  at: number;
}

async function sample(target: Target): Promise<Sample> {
  const cpus = await Promise.all(target.servers.map((s) => ask<{ cpu: NodeJS.CpuUsage; packets?: Record<string, number> }>(s, { type: 'cpu' }, 'cpu')));
  const packets: Record<string, number> = {};
  for (const r of cpus) for (const [type, n] of Object.entries(r.packets ?? {})) packets[type] = (packets[type] ?? 0) + n;
  const self = process.cpuUsage();
  const pgClients = target.pgPort ? clientPorts(target.servers.map((s) => s.pid ?? 0), target.pgPort) : undefined;
  return { server: cpus.reduce((a, r) => a + r.cpu.user + r.cpu.system, 0), serverSys: cpus.reduce((a, r) => a + r.cpu.system, 0), packets, machine: machineSample(pgClients), self: self.user + self.system, at: performance.now() };
}

/** CPU the target's processes use with no load (heartbeats, sweeps, probes), % of one core. */
async function idleCpu(target: Target, seconds = 2): Promise<number> {
  const a = await sample(target);
  await sleep(seconds * 1000);
  const b = await sample(target);
  return ((b.server - a.server) / ((b.at - a.at) * 1000)) * 100;
}

// --- one run ---

function sortedLatencies(results: LoadResult[]): Float64Array {
  const all = new Float64Array(results.reduce((a, r) => a + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  return all.sort();
}

function packetsPer(a: Record<string, number>, b: Record<string, number>, deliveries: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, n] of Object.entries(b)) if (n > (a[type] ?? 0)) out[type] = (n - (a[type] ?? 0)) / deliveries;
  return out;
}

const pct = (sorted: Float64Array, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);

async function runOnce(mode: Mode, o: LoadOptions, target: Target, loaders: ChildProcess[], w: Workload, groupIds: string[], round_: number, run: number): Promise<RunFigures> {
  const ps = plans(mode, o, target, w, groupIds, run);
  const connected = await Promise.all(loaders.map((l, j) => ask<{ failures: number }>(l, { type: 'connect', plan: ps[j] }, 'connected')));
  const failures = connected.reduce((a, c) => a + c.failures, 0);
  if (failures > 0) throw new Error(`${failures} sockets did not log in to ${target.name}`);
  const loadavg = os.loadavg()[0];
  for (const l of loaders) l.send({ type: 'start' });
  await sleep(o.warmup * 1000);
  const profiling = (action: 'start' | 'stop') =>
    Promise.all(
      target.servers.map((s, i) => {
        const file = o.profile && path.join(o.profile, `${mode}-${target.name}-round${round_}${target.servers.length > 1 ? `-node${i + 1}` : ''}.cpuprofile`);
        return o.profile ? ask(s, { type: 'profile', action, file }, 'profiled') : undefined;
      }),
    );
  if (o.profile) fs.mkdirSync(o.profile, { recursive: true });
  await profiling('start');
  const [s0] = await Promise.all([sample(target), ...loaders.map((l) => ask(l, { type: 'mark', at: 0 }, 'marked'))]);
  await sleep(o.seconds * 1000);
  const [s1] = await Promise.all([sample(target), ...loaders.map((l) => ask(l, { type: 'mark', at: 1 }, 'marked'))]);
  await profiling('stop');
  const results = await Promise.all(loaders.map((l) => ask<{ result: LoadResult }>(l, { type: 'stop' }, 'result', (o.drain + 60) * 1000).then((r) => r.result)));

  const windowSec = Math.max(...results.map((r) => r.windowMs)) / 1000;
  const deliveries = results.reduce((a, r) => a + r.windowDeliveries, 0);
  const per = (us: number) => (deliveries > 0 ? us / deliveries : NaN);
  const server = s1.server - s0.server;
  const loadUs = results.reduce((a, r) => a + r.cpuUs, 0);
  const infra = infraBetween(s0.machine, s1.machine);
  const ours = server + loadUs + (s1.self - s0.self) + (target.name === 'cluster' ? infra : 0);
  const capacity = ((s1.at - s0.at) / 1000) * 1e6 * os.cpus().length;
  const lat = sortedLatencies(results);
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const refused: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.refused)) refused[code] = (refused[code] ?? 0) + n;
  return {
    target: target.name,
    round: round_,
    rate: deliveries / windowSec,
    acked: sum((r) => r.windowAcked) / windowSec,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    serverCpu: per(server),
    serverKernelPct: (100 * (s1.serverSys - s0.serverSys)) / server,
    loadCpu: per(loadUs),
    ...(target.name === 'cluster' ? { infraCpu: per(infra), packets: packetsPer(s0.packets, s1.packets, deliveries) } : {}),
    othersPct: s1.machine.busy > 0 ? Math.max(0, ((s1.machine.busy - s0.machine.busy - ours) / capacity) * 100) : NaN,
    loadavg,
    check: {
      sent: sum((r) => r.sent),
      acked: sum((r) => r.acked),
      expected: sum((r) => r.expected),
      received: sum((r) => r.received),
      lost: sum((r) => r.lost),
      duplicated: sum((r) => r.duplicated),
      unexpected: sum((r) => r.unexpected),
      unackedDelivered: sum((r) => r.unackedDelivered),
      noReply: sum((r) => r.noReply),
      timedOut: sum((r) => r.timedOut),
      refused,
    },
  };
}

// --- report ---

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : round(n, digits).toLocaleString('en-US'));

function describeRun(mode: Mode, f: RunFigures): string {
  const c = f.check;
  const refused = Object.entries(c.refused).map(([code, n]) => `${code}×${n}`).join(' ');
  const unit = mode === 'group' ? 'deliveries/s' : 'msg/s';
  return (
    `  round ${f.round} ${f.target.padEnd(8)} ${fmt(f.rate).padStart(7)} ${unit}, p50 ${fmt(f.p50, 1)} ms, p99 ${fmt(f.p99, 1)} ms, server CPU ${fmt(f.serverCpu, 1)} µs (${fmt(f.serverKernelPct)}% kernel)` +
    `${f.infraCpu === undefined ? '' : ` (+ NATS, Redis, PG backends ${fmt(f.infraCpu, 1)})`}, load CPU ${fmt(f.loadCpu, 1)} µs; others ${fmt(f.othersPct)}% of the machine, load avg ${fmt(f.loadavg, 1)}; ` +
    `${f.packets ? `NATS packets per delivery ${Object.entries(f.packets).sort((x, y) => y[1] - x[1]).map(([t, n]) => `${t} ${fmt(n, 2)}`).join(', ')}; ` : ''}` +
    `sent ${c.sent}, acked ${c.acked}, lost ${c.lost}, dup ${c.duplicated}, unexpected ${c.unexpected}${refused ? `, refused ${refused}` : ''}${c.noReply ? `, unanswered ${c.noReply}` : ''}${c.timedOut ? `, held past timeout ${c.timedOut}` : ''}${c.unackedDelivered ? `, delivered unacked ${c.unackedDelivered}` : ''}`
  );
}

function summarise(runs: RunFigures[], targets: TargetName[]): TargetSummary[] {
  return targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const med = (f: (r: RunFigures) => number | undefined) => median(mine.map((r) => f(r) ?? NaN).filter((x) => !Number.isNaN(x)));
    const total = (f: (r: RunFigures) => number) => mine.reduce((a, r) => a + f(r), 0);
    return {
      target,
      rate: med((r) => r.rate),
      acked: med((r) => r.acked),
      p50: med((r) => r.p50),
      p99: med((r) => r.p99),
      serverCpu: med((r) => r.serverCpu),
      serverKernelPct: med((r) => r.serverKernelPct),
      loadCpu: med((r) => r.loadCpu),
      ...(target === 'cluster' ? { infraCpu: med((r) => r.infraCpu), packets: medianPackets(mine) } : {}),
      othersPct: med((r) => r.othersPct),
      lost: total((r) => r.check.lost),
      duplicated: total((r) => r.check.duplicated),
      unexpected: total((r) => r.check.unexpected),
      refused: total((r) => Object.values(r.check.refused).reduce((a, n) => a + n, 0)),
      noReply: total((r) => r.check.noReply),
    };
  });
}

function medianPackets(runs: RunFigures[]): Record<string, number> {
  const types = new Set(runs.flatMap((r) => Object.keys(r.packets ?? {})));
  return Object.fromEntries([...types].map((t) => [t, median(runs.map((r) => r.packets?.[t] ?? 0))]));
}

function ratios(runs: RunFigures[], summary: TargetSummary[]): ModeReport['ratios'] {
  const by = new Map(summary.map((s) => [s.target, s]));
  const pairs: [string, TargetName, TargetName, keyof TargetSummary][] = [
    ['embedded/bare deliveries/s', 'embedded', 'bare', 'rate'],
    ['embedded/bare p99', 'embedded', 'bare', 'p99'],
    ['embedded/bare server CPU per delivery', 'embedded', 'bare', 'serverCpu'],
    ['cluster/embedded deliveries/s', 'cluster', 'embedded', 'rate'],
    ['cluster/embedded p50', 'cluster', 'embedded', 'p50'],
    ['cluster/embedded server CPU per delivery', 'cluster', 'embedded', 'serverCpu'],
    ['cluster/bare deliveries/s', 'cluster', 'bare', 'rate'],
    ['cluster/bare server CPU per delivery', 'cluster', 'bare', 'serverCpu'],
  ];
  const out: ModeReport['ratios'] = [];
  for (const [name, a, b, key] of pairs) {
    const x = by.get(a);
    const y = by.get(b);
    if (!x || !y) continue;
    const rounds = [...new Set(runs.map((r) => r.round))];
    const perRound = rounds
      .map((rd) => {
        const ra = runs.find((r) => r.round === rd && r.target === a);
        const rb = runs.find((r) => r.round === rd && r.target === b);
        return ra && rb ? (ra[key as keyof RunFigures] as number) / (rb[key as keyof RunFigures] as number) : NaN;
      })
      .filter((v) => Number.isFinite(v));
    out.push({ name, ofMedians: (x[key] as number) / (y[key] as number), perRound: median(perRound) });
  }
  return out;
}

function describeMode(mode: Mode, o: LoadOptions): string {
  const shape = mode === 'group' ? `${o.pairs} Work groups of ${o.groupSize} members, all online, one sender each` : mode === 'rest' ? `${o.pairs} REST senders → ${o.pairs} online receivers, ${o.connections} keep-alive connections` : `${o.pairs} pairs`;
  return `${mode}: ${shape}, ${o.window} in flight per sender, ${o.runs} × ${o.seconds} s (after ${o.warmup} s warm-up), ${o.procs} load process${o.procs > 1 ? 'es' : ''}`;
}

function printReport(r: ModeReport, o: LoadOptions): void {
  const unit = r.mode === 'group' ? 'deliveries/s' : 'delivered msg/s';
  o.log(`\n${describeMode(r.mode, o)} — medians`);
  const infra = r.summary.some((s) => s.infraCpu !== undefined);
  const header = ['target', unit, 'acked msg/s', 'p50 ms', 'p99 ms', 'server CPU µs/delivery', 'kernel %', ...(infra ? ['NATS+Redis+PG µs'] : []), 'load CPU µs', 'others %', 'lost', 'dup', 'unexpected', 'refused', 'unanswered'];
  const rows = r.summary.map((s) => [
    s.target, round(s.rate), round(s.acked), round(s.p50, 1), round(s.p99, 1), round(s.serverCpu, 1), round(s.serverKernelPct), ...(infra ? [s.infraCpu === undefined ? '' : round(s.infraCpu, 1)] : []),
    round(s.loadCpu, 1), round(s.othersPct), s.lost, s.duplicated, s.unexpected, s.refused, s.noReply,
  ]);
  o.log(table(header, rows));
  for (const s of r.summary) {
    if (!s.packets) continue;
    const list = Object.entries(s.packets).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
    o.log(`${s.target}: transporter packets published per delivery (median) ${list.map(([t, n]) => `${t} ${fmt(n, 2)}`).join(', ')}`);
  }
  if (r.ratios.length > 0) {
    o.log(table(['ratio', 'of medians', 'median per round'], r.ratios.map((x) => [x.name, round(x.ofMedians, 2), round(x.perRound, 2)])));
  }
}

// --- the bench ---

export async function runLoadBench(options: Partial<LoadOptions> = {}): Promise<ModeReport[]> {
  const o: LoadOptions = { ...DEFAULTS, ...options };
  const targets: Target[] = [];
  const loaders: ChildProcess[] = [];
  const reports: ModeReport[] = [];
  o.log(`load bench ${new Date().toISOString()}: Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  try {
    for (const name of o.targets) {
      const t0 = Date.now();
      const target = await startTarget(name, o);
      targets.push(target);
      const started = (Date.now() - t0) / 1000;
      const idle = o.idle > 0 ? `; idle, its process${target.servers.length > 1 ? 'es use' : ' uses'} ${(await idleCpu(target, o.idle)).toFixed(1)}% of a core` : '';
      o.log(`${name} started in ${started.toFixed(1)} s${idle}`);
    }
    for (let j = 0; j < o.procs; j++) loaders.push(spawn('load-clients'));
    let run = 0;
    for (const mode of o.modes) {
      const w = workload(mode, o);
      const groupIds = new Map<TargetName, string[]>();
      for (const t of targets) groupIds.set(t.name, await setUp(t, w));
      o.log(`\n${describeMode(mode, o)}`);
      const runs: RunFigures[] = [];
      for (let rd = 1; rd <= o.runs; rd++) {
        for (const t of targets) {
          const figures = await runOnce(mode, o, t, loaders, w, groupIds.get(t.name) ?? [], rd, ++run);
          runs.push(figures);
          o.log(describeRun(mode, figures));
          await sleep(o.pause); // closed sockets settle before the next target starts
        }
      }
      const summary = summarise(runs, o.targets);
      const report = { mode, runs, summary, ratios: ratios(runs, summary) };
      printReport(report, o);
      reports.push(report);
    }
  } finally {
    for (const l of loaders) l.kill();
    await Promise.all(targets.map((t) => t.stop().catch((err: Error) => o.log(`(stopping ${t.name}: ${err.message})`))));
  }
  return reports;
}

export function parseLoadArgs(argv: string[]): { options: Partial<LoadOptions>; json?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: 'string', default: 'c2c' },
      pairs: { type: 'string' },
      groups: { type: 'string' },
      window: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
      targets: { type: 'string' },
      'group-size': { type: 'string' },
      procs: { type: 'string' },
      connections: { type: 'string' },
      timeout: { type: 'string' },
      drain: { type: 'string' },
      pg: { type: 'string' },
      nats: { type: 'string' },
      redis: { type: 'string' },
      json: { type: 'string' },
      profile: { type: 'string' },
      idle: { type: 'string' },
      pause: { type: 'string' },
    },
  });
  const num = (name: string, raw: string | undefined, integer = true, zero = false): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!(n > 0 || (zero && n === 0)) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
    return n;
  };
  const list = <T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined => {
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim()) as T[];
    for (const item of items) if (!allowed.includes(item)) throw new Error(`--${name}: "${item}" is not one of ${allowed.join(', ')}`);
    return items;
  };
  const options: Partial<LoadOptions> = {
    modes: list('mode', values.mode, MODES),
    pairs: num('pairs', values.pairs ?? values.groups),
    window: num('window', values.window),
    seconds: num('seconds', values.seconds, false),
    warmup: num('warmup', values.warmup, false, true),
    idle: num('idle', values.idle, false, true),
    pause: num('pause', values.pause, true, true),
    runs: num('runs', values.runs),
    targets: list('targets', values.targets, TARGETS),
    groupSize: num('group-size', values['group-size']),
    procs: num('procs', values.procs),
    connections: num('connections', values.connections),
    timeout: num('timeout', values.timeout, false),
    drain: num('drain', values.drain, false),
    pg: values.pg,
    nats: values.nats,
    redis: values.redis,
    profile: values.profile,
  };
  for (const key of Object.keys(options) as (keyof LoadOptions)[]) if (options[key] === undefined) delete options[key];
  if ((options.window ?? DEFAULTS.window) > 64) throw new Error('--window: Parley allows 64 requests in flight per socket');
  return { options, json: values.json };
}

if (require.main === module) {
  const { options, json } = parseLoadArgs(process.argv.slice(2));
  const started = new Date().toISOString();
  runLoadBench(options)
    .then((reports) => {
      if (json) fs.writeFileSync(json, JSON.stringify({ started, options: { ...DEFAULTS, ...options, log: undefined }, node: process.version, cpus: os.cpus().length, reports }, null, 2));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
