/**
 * Messages per second into the topics of one community, and the p99 of their delivery (issue 18:
 * 200 topics, 2,000 online members spread over them).
 *
 * One embedded node in its own process (bench/bench-kit.ts). A Community with SupportTopic holds
 * --members members and --topics topics; member j belongs to topic j mod --topics, and the first
 * member of each topic sends into it. Every member is online with an SDK socket in --procs client
 * processes (bench/group-clients.ts: the SDK's frames, each push timestamped as it is read). A
 * topic's message reaches every member of the community, as at Tencent, so each message is
 * --members deliveries.
 *
 * Messages go in as the app administrator's REST send_group_msg with TopicId and the sender as
 * From_Account, --in-flight at a time (closed loop: the next as soon as one is acknowledged),
 * message k into topic k mod --topics, --messages per run. The same-run baseline sends the same
 * messages from the same senders into the community itself (no TopicId): the same actor, members
 * and sockets, so the ratio is what topics cost. The two take turns, the first alternating per run.
 * Figures: acknowledged messages/s (first send to last acknowledgement), deliveries/s (first send
 * to last push read), delivery p50/p99 from the send to the push's read, the node's CPU per
 * message, and how busy the rest of the machine was. Medians of --runs runs.
 *
 * Usage: npx tsx bench/topics.ts [--members 2000] [--topics 200] [--messages 100]
 *   [--in-flight 8] [--runs 3] [--procs 2]
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { childrenCpuUs, importAccounts, inParallel, MachineLoad, processCpuUs, SECRET, startNode, type Node } from './bench-kit';
import { ask, spawn, stopChild } from './load-targets';
import { median, percentile, round, table } from './stats';

const { values: opt } = parseArgs({
  options: {
    members: { type: 'string', default: '2000' },
    topics: { type: 'string', default: '200' },
    messages: { type: 'string', default: '100' },
    'in-flight': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    procs: { type: 'string', default: '2' },
  },
});
const n = (name: keyof typeof opt) => Number(opt[name]);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Figures {
  acked: number;
  rate: number;
  deliveries: number;
  deliveryRate: number;
  p50: number;
  p99: number;
  cpuMs: number;
}

let random = 1;

async function connect(procs: ChildProcess[], node: Node, users: string[]): Promise<void> {
  const per = Math.ceil(users.length / procs.length);
  const replies = await Promise.all(procs.map((p, i) => ask<{ open: number }>(p, { type: 'connect', port: node.port, app: node.app, secret: SECRET, users: users.slice(i * per, (i + 1) * per), concurrency: 50 }, 'connected', 300_000)));
  const open = replies.reduce((a, r) => a + r.open, 0);
  if (open !== users.length) throw new Error(`only ${open} of ${users.length} sockets logged in`);
}

/** Waits until `expected` pushes were read (or 60 s passed); answers their latencies. */
async function collect(procs: ChildProcess[], expected: number): Promise<number[]> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
    const counts = await Promise.all(procs.map((p) => ask<{ n: number }>(p, { type: 'count' }, 'count')));
    if (counts.reduce((a, r) => a + r.n, 0) >= expected) break;
  }
  const parts = await Promise.all(procs.map((p) => ask<{ values: number[] }>(p, { type: 'collect' }, 'latencies')));
  return parts.flatMap((r) => r.values);
}

async function run(node: Node, procs: ChildProcess[], groupId: string, topics: string[] | undefined, senders: string[], count = n('messages')): Promise<Figures> {
  const cpu0 = await node.cpuUs();
  const t0 = now();
  let acked = 0;
  let lastAck = t0;
  await inParallel(count, n('in-flight'), async (k) => {
    const t = k % senders.length;
    const body = { GroupId: groupId, ...(topics ? { TopicId: topics[t] } : {}), From_Account: senders[t], Random: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${now()}` } }] };
    const { reply } = await node.rest.call('group_open_http_svc/send_group_msg', body);
    if (reply.ErrorCode) throw new Error(`send_group_msg: ${String(reply.ErrorCode)} ${String(reply.ErrorInfo)}`);
    acked++;
    lastAck = now();
  });
  const cpuMs = ((await node.cpuUs()) - cpu0) / 1000;
  const lat = await collect(procs, acked * n('members'));
  // Until every push was counted (collect polls every 50 ms, so this is up to 50 ms late).
  const settled = now() - t0;
  return { acked, rate: acked / ((lastAck - t0) / 1000), deliveries: lat.length, deliveryRate: lat.length / (settled / 1000), p50: percentile(lat, 50), p99: percentile(lat, 99), cpuMs: cpuMs / acked };
}

async function main(): Promise<void> {
  const members = Array.from({ length: n('members') }, (_, i) => `m${i}`);
  const node = await startNode();
  const procs = Array.from({ length: n('procs') }, () => spawn('group-clients'));
  const load = new MachineLoad();
  try {
    const t0 = performance.now();
    await importAccounts(node.rest, ['owner', ...members]);
    const { GroupId } = (await node.rest.ok('group_open_http_svc/create_group', { Owner_Account: 'owner', Type: 'Community', Name: 'town', SupportTopic: 1 })) as { GroupId: string };
    for (let i = 0; i < members.length; i += 500) await node.rest.ok('group_open_http_svc/add_group_member', { GroupId, Silence: 1, MemberList: members.slice(i, i + 500).map((Member_Account) => ({ Member_Account })) });
    const topics: string[] = [];
    for (let t = 0; t < n('topics'); t++) topics.push(String((await node.rest.ok('million_group_open_http_svc/create_topic', { GroupId, TopicName: `topic ${t}` })).TopicId));
    // Member j is in topic j mod topics; the first member of each topic sends into it.
    const senders = topics.map((_, t) => members[t % members.length]);
    await connect(procs, node, members);
    console.log(`community of ${members.length} members, ${topics.length} topics, all online, set up in ${round((performance.now() - t0) / 1000, 1)} s`);
    // A few messages each way first: the first fan-outs warm the presence lookup and the sockets.
    await run(node, procs, GroupId, topics, senders, 8);
    await run(node, procs, GroupId, undefined, senders, 8);

    const runs: Record<'topics' | 'community', Figures[]> = { topics: [], community: [] };
    load.begin((await node.cpuUs()) + processCpuUs() + childrenCpuUs(procs));
    for (let r = 0; r < n('runs'); r++) {
      for (const mode of r % 2 === 0 ? (['topics', 'community'] as const) : (['community', 'topics'] as const)) {
        const f = await run(node, procs, GroupId, mode === 'topics' ? topics : undefined, senders);
        runs[mode].push(f);
        console.log(`${mode} run ${r + 1}: ${round(f.rate)} msg/s, ${f.deliveries}/${f.acked * members.length} delivered at ${round(f.deliveryRate)}/s, p50 ${round(f.p50)} ms, p99 ${round(f.p99)} ms, ${round(f.cpuMs, 1)} ms CPU/msg`);
      }
    }
    const machine = load.end((await node.cpuUs()) + processCpuUs() + childrenCpuUs(procs));
    const rows = (['topics', 'community'] as const).map((mode) => {
      const m = (f: (x: Figures) => number) => median(runs[mode].map(f));
      return [mode === 'topics' ? `${topics.length} topics` : 'the community itself', round(m((x) => x.rate)), runs[mode].map((x) => round(x.rate)).join('/'), `${m((x) => x.deliveries)}/${m((x) => x.acked) * members.length}`,
        round(m((x) => x.deliveryRate)), round(m((x) => x.p50)), round(m((x) => x.p99)), runs[mode].map((x) => round(x.p99)).join('/'), round(m((x) => x.cpuMs), 1)];
    });
    console.log(`\n${members.length} members online, ${n('messages')} messages per run, ${opt['in-flight']} in flight, medians of ${opt.runs} runs`);
    console.log(table(['into', 'acked msg/s', 'per run', 'delivered', 'deliveries/s', 'p50 ms', 'p99 ms', 'p99 per run', 'node CPU ms/msg'], rows));
    const ratio = (f: (x: Figures) => number) => round(median(runs.topics.map(f)) / median(runs.community.map(f)), 2);
    console.log(`topics ÷ community: msg/s ${ratio((x) => x.rate)}, p99 ${ratio((x) => x.p99)}, CPU/msg ${ratio((x) => x.cpuMs)}; per run msg/s ${runs.topics.map((x, i) => round(x.rate / runs.community[i].rate, 2)).join(', ')}`);
    console.log(`machine: others ${round(machine.othersPct)} % of both cores outside the node and this bench; load average ${round(machine.loadavg, 1)}`);
  } finally {
    await Promise.all(procs.map((p) => stopChild(p)));
    await node.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
