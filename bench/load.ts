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
 *   [--seconds 10] [--warmup 2] [--runs 3] [--targets embedded,cluster,bare,nostats] [--group-size 20]
 *   [--procs 1] [--connections 64] [--timeout 10] [--drain 15] [--idle 2] [--pause 500]
 *   [--json out.json] [--profile DIR] [--heap-profile]
 *   [--pg postgres://postgres@127.0.0.1:5432/test] [--nats nats://127.0.0.1:4222] [--redis redis://127.0.0.1:6379]
 * PARLEY_* settings in the environment reach the Parley nodes (e.g. PARLEY_SQLITE_SYNC,
 * PARLEY_COMMIT_WINDOW_MS), except those the bench sets itself (port, data, transporter, store…).
 * Target nostats: the embedded node with its statistics follower off (PARLEY_STATS_TAIL_MS=0),
 * so `--targets embedded,nostats` gives what the statistics cost in the same run.
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { genUserSig } from '../services/auth/usersig';
import { clientPorts, infraBetween, machineSample, type MachineSample } from './load-cpu';
import type { GroupPlan, LoadResult, Mode, PairPlan, Plan } from './load-clients';

import { DEFAULTS, MODES, TARGETS, type LoadOptions, type ModeReport, type RunFigures, type TargetName } from './load-types';
import { ADMIN, ask, SECRET, sleep, spawn, startTarget, type Target } from './load-targets';
import { describeMode, describeRun, printReport, ratios, summarise } from './load-report';

export * from './load-types';

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
        return o.profile ? ask(s, { type: 'profile', action, file, heap: o.heapProfile }, 'profiled') : undefined;
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
      'heap-profile': { type: 'boolean' },
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
    heapProfile: values['heap-profile'],
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
