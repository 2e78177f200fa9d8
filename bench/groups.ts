/**
 * Group messages on one embedded node, the SDK's sockets in child processes
 * (bench/group-clients.ts) so that reading 2,000 frames per message does not run on the
 * server's event loop. On a 2-core machine they still share the cores: the figures include
 * the clients' cost.
 *
 * fanout: a Work group of 2,000 members, all online. Messages are sent through the groups
 *   service as the administrator (REST send_group_msg minus HTTP) in up to four ways (--modes):
 *   one: one every --gap ms, each fan-out alone; rate: --rate a second, open loop (sent on time
 *   whatever the acknowledgements do); back: the next after the acknowledgement; inflight:
 *   --in-flight at once. Latency is send → frame read by a client, over every delivery.
 * many: --groups groups of --size members, --online of each online; one sender per group sends
 *   into its own group for --seconds, all at once. Counts acknowledged (durable) messages.
 *
 * Frequency control is off for the app: the figures are the server's, not the limit's.
 * Usage: npx tsx bench/groups.ts [--only fanout,many] [--runs 3] [--members 2000]
 *   [--messages 200] [--modes one,rate,back,inflight] [--gap 200] [--rate 20] [--in-flight 4]
 *   [--groups 1000] [--size 20] [--online 5] [--seconds 5]
 *   [--procs 2] [--redis redis://127.0.0.1:6379] (Redis presence directory)
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { freePort } from '../test/support/embedded';
import { tempDir } from '../test/support/stores';
import { median, percentile, round, table } from './stats';
import { SERVICES_DIR } from '../services/locate';

const { values: opt } = parseArgs({
  options: {
    only: { type: 'string', default: 'fanout,many' },
    runs: { type: 'string', default: '3' },
    members: { type: 'string', default: '2000' },
    messages: { type: 'string', default: '200' },
    gap: { type: 'string', default: '200' },
    'in-flight': { type: 'string', default: '4' },
    rate: { type: 'string', default: '20' },
    modes: { type: 'string', default: 'one,rate,back' },
    groups: { type: 'string', default: '1000' },
    size: { type: 'string', default: '20' },
    online: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    procs: { type: 'string', default: '2' },
    redis: { type: 'string' },
  },
});
const n = (name: keyof typeof opt) => Number(opt[name]);
const APP = 1400000000 + Math.floor(Math.random() * 9_000_000);
const SECRET = 'bench-groups-secret';
const admin = { kind: 'admin' as const, id: 'administrator' };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Reply = { type: string; n?: number; values?: number[]; open?: number; failures?: number };

class Clients {
  private readonly procs: ChildProcess[];

  constructor(count: number) {
    this.procs = Array.from({ length: count }, () => fork(path.join(__dirname, 'group-clients.ts'), [], { execArgv: ['--require', 'tsx/cjs'] }));
  }

  private ask(child: ChildProcess, msg: object, type: string): Promise<Reply> {
    return new Promise((resolve) => {
      const on = (reply: Reply) => {
        if (reply.type !== type) return;
        child.off('message', on);
        resolve(reply);
      };
      child.on('message', on);
      child.send(msg);
    });
  }

  /** Spreads the users over the processes and logs them all in. */
  async connect(port: number, users: string[]): Promise<void> {
    const per = Math.ceil(users.length / this.procs.length);
    const replies = await Promise.all(this.procs.map((p, i) => this.ask(p, { type: 'connect', port, app: APP, secret: SECRET, users: users.slice(i * per, (i + 1) * per), concurrency: 50 }, 'connected')));
    const open = replies.reduce((a, r) => a + (r.open ?? 0), 0);
    if (open !== users.length) throw new Error(`only ${open} of ${users.length} sockets logged in`);
  }

  /** Waits until `expected` pushes arrived (or 30 s passed), then takes their latencies. */
  async collect(expected: number): Promise<number[]> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const counts = await Promise.all(this.procs.map((p) => this.ask(p, { type: 'count' }, 'count')));
      if (counts.reduce((a, r) => a + (r.n ?? 0), 0) >= expected) break;
      await sleep(20);
    }
    const parts = await Promise.all(this.procs.map((p) => this.ask(p, { type: 'collect' }, 'latencies')));
    return parts.flatMap((r) => r.values ?? []);
  }

  stop(): void {
    for (const p of this.procs) p.kill();
  }
}

async function startServer(): Promise<{ broker: ServiceBroker; port: number }> {
  const port = await freePort();
  const config = loadConfig({
    PARLEY_PORT: String(port),
    PARLEY_DATA: tempDir('parley-groups-bench-'),
    PARLEY_SDKAPPID: String(APP),
    PARLEY_SECRET: SECRET,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_WEB_IDLE_SEC: '3600',
    ...(opt.redis ? { PARLEY_REDIS: opt.redis } : {}),
    ...(process.env.PARLEY_SQLITE_SYNC ? { PARLEY_SQLITE_SYNC: process.env.PARLEY_SQLITE_SYNC } : {}),
  });
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, '**/*.service' + path.extname(__filename));
  await broker.start();
  await broker.call('apps.update', { sdkAppId: APP, settings: { groups: { messagesPerSecond: 0 } } });
  return { broker, port };
}

async function importAccounts(broker: ServiceBroker, users: string[]): Promise<void> {
  for (let i = 0; i < users.length; i += 400) {
    await Promise.all([0, 100, 200, 300].map((d) => users.slice(i + d, i + d + 100)).filter((s) => s.length > 0).map((Accounts) => broker.call('accounts.multiImport', { app: APP, caller: admin, body: { Accounts } })));
  }
}

/** `at`: the instant the message was due (open loop), so a late start counts as latency. */
function send(broker: ServiceBroker, GroupId: string, from: string, random: number, at = now()): Promise<{ MsgSeq: number }> {
  const body = { GroupId, From_Account: from, Random: random, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${at}` } }] };
  return broker.call('groups.sendMessage', { app: APP, caller: admin, body });
}

/** CPU time of this (the server's) process since `from`, ms: steadier than wall time on a shared machine. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const summary = (lat: number[]) => [round(percentile(lat, 50), 1), round(percentile(lat, 99), 1), round(lat.reduce((a, b) => Math.max(a, b), 0), 1)];

async function fanout(broker: ServiceBroker, port: number, clients: Clients): Promise<void> {
  const members = n('members');
  const users = Array.from({ length: members }, (_, i) => `f${i}`);
  await importAccounts(broker, users);
  const { GroupId } = await broker.call<{ GroupId: string }, object>('groups.create', { app: APP, caller: admin, body: { Owner_Account: users[0], Type: 'Work', Name: 'fanout' } });
  for (let i = 1; i < members; i += 500) {
    await broker.call('groups.addMembers', { app: APP, caller: admin, body: { GroupId, Silence: 1, MemberList: users.slice(i, i + 500).map((u) => ({ Member_Account: u })) } });
  }
  await clients.connect(port, users);
  await send(broker, GroupId, users[1], 0);
  await clients.collect(members);

  const messages = n('messages');
  let random = 1;
  const inFlight = async (count: number, k: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: k }, async () => {
      while (next++ < count) await send(broker, GroupId, users[1 + (next % 50)], random++);
    }));
  };
  /**
   * Open loop: one message due every `gap` ms whatever the acknowledgements do, timed from when
   * it was due, so a server that holds up its own timers cannot hide the wait (coordinated omission).
   */
  const paced = async (count: number, gap: number) => {
    const sends: Promise<unknown>[] = [];
    const t0 = now();
    for (let i = 0; i < count; i++) {
      await sleep(Math.max(0, t0 + i * gap - now()));
      sends.push(send(broker, GroupId, users[1 + (i % 50)], random++, t0 + i * gap));
    }
    await Promise.all(sends);
  };
  const wanted = new Set(opt.modes.split(','));
  type Mode = { key: string; name: string; count: number; run: (count: number) => Promise<void> };
  const modes: Mode[] = ([
    { key: 'one', name: `one at a time (every ${opt.gap} ms)`, count: Math.min(messages, 50), run: (count) => paced(count, n('gap')) },
    { key: 'rate', name: `${opt.rate}/s, open loop`, count: Math.min(messages, 100), run: (count) => paced(count, 1000 / n('rate')) },
    { key: 'back', name: 'back to back (next after ack)', count: messages, run: (count) => inFlight(count, 1) },
    { key: 'inflight', name: `${opt['in-flight']} in flight`, count: messages, run: (count) => inFlight(count, n('in-flight')) },
  ] satisfies Mode[]).filter((m) => wanted.has(m.key));
  const rows: (string | number)[][] = [];
  for (const mode of modes) {
    const runs: { rate: number; delivered: number; lat: number[]; cpu: number }[] = [];
    for (let r = 0; r < n('runs'); r++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await mode.run(mode.count);
      const sendMs = performance.now() - t0;
      const lat = await clients.collect(mode.count * members);
      runs.push({ rate: mode.count / (sendMs / 1000), delivered: lat.length, lat, cpu: cpuMs(cpu0) / mode.count });
    }
    const med = (f: (x: (typeof runs)[number]) => number) => median(runs.map(f));
    rows.push([mode.name, mode.count, round(med((x) => x.rate)), `${med((x) => x.delivered)}/${mode.count * members}`,
      round(med((x) => percentile(x.lat, 50)), 1), round(med((x) => percentile(x.lat, 99)), 1), round(med((x) => summary(x.lat)[2]), 1),
      runs.map((x) => round(percentile(x.lat, 99))).join('/'), round(med((x) => x.cpu), 1)]);
  }
  console.log(`\nfan-out: Work group of ${members} members, all online (${opt.procs} client processes), medians of ${opt.runs} runs`);
  console.log(table(['mode', 'messages', 'acked msg/s', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'p99 per run', 'server CPU ms/msg'], rows));
}

async function many(broker: ServiceBroker, port: number, clients: Clients): Promise<void> {
  const groups = n('groups');
  const size = n('size');
  const onlinePer = n('online');
  const userOf = (g: number, k: number) => `g${g}u${k}`;
  await importAccounts(broker, Array.from({ length: groups * size }, (_, i) => userOf(Math.floor(i / size), i % size)));
  const ids: string[] = new Array(groups);
  let next = 0;
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < groups) {
      const g = next++;
      const MemberList = Array.from({ length: size - 1 }, (_, k) => ({ Member_Account: userOf(g, k + 1) }));
      ids[g] = (await broker.call<{ GroupId: string }, object>('groups.create', { app: APP, caller: admin, body: { Owner_Account: userOf(g, 0), Type: 'Public', Name: `g${g}`, MemberList } })).GroupId;
    }
  }));
  await clients.connect(port, Array.from({ length: groups * onlinePer }, (_, i) => userOf(Math.floor(i / onlinePer), i % onlinePer)));

  const rows: (string | number)[][] = [];
  const runs: { rate: number; ack: number[]; lat: number[]; expected: number; cpu: number }[] = [];
  let random = 1;
  for (let r = 0; r < n('runs'); r++) {
    const ack: number[] = [];
    let acked = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const end = t0 + n('seconds') * 1000;
    await Promise.all(ids.map(async (GroupId, g) => {
      for (let k = 0; performance.now() < end; k++) {
        const at = performance.now();
        const reply = await send(broker, GroupId, userOf(g, 1 + (k % (size - 1))), random++);
        ack.push(performance.now() - at);
        if (reply.MsgSeq > 0) acked++;
      }
    }));
    const rate = acked / ((performance.now() - t0) / 1000);
    const lat = await clients.collect(acked * onlinePer);
    const cpu = (cpuMs(cpu0) * 1000) / acked;
    runs.push({ rate, ack, lat, expected: acked * onlinePer, cpu });
  }
  const med = (f: (x: (typeof runs)[number]) => number) => median(runs.map(f));
  rows.push([groups, size, onlinePer, round(med((x) => x.rate)), runs.map((x) => round(x.rate)).join('/'), round(med((x) => percentile(x.ack, 50)), 1), round(med((x) => percentile(x.ack, 99)), 1),
    `${med((x) => x.lat.length)}/${med((x) => x.expected)}`, round(med((x) => percentile(x.lat, 50)), 1), round(med((x) => percentile(x.lat, 99)), 1), round(med((x) => x.cpu))]);
  console.log(`\nmany groups: one sender per group, all at once for ${opt.seconds} s, medians of ${opt.runs} runs`);
  console.log(table(['groups', 'members', 'online', 'acked msg/s', 'per run', 'ack p50 ms', 'ack p99 ms', 'delivered', 'push p50 ms', 'push p99 ms', 'server CPU µs/msg'], rows));
}

async function main(): Promise<void> {
  const only = new Set(opt.only.split(','));
  for (const [name, scenario] of [['fanout', fanout], ['many', many]] as const) {
    if (!only.has(name)) continue;
    const { broker, port } = await startServer();
    const clients = new Clients(n('procs'));
    try {
      await scenario(broker, port, clients);
    } finally {
      clients.stop();
      await broker.stop();
    }
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
