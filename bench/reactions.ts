/**
 * Reactions per second on one hot group message from --users users (issue 19: 1,000), and
 * whether the stored counts are exactly the adds that succeeded.
 *
 * One embedded node in its own process (bench/bench-kit.ts). A Public group holds the users and
 * a host, who sends a new hot message before each measurement. User i adds reaction `r<i mod
 * --reactions>` --repeat times, every request at once. Tencent's limits bound what can succeed:
 * 10 reactions per message and 100 users per reaction, so 1,000 users over 10 reactions all
 * succeed, fewer reactions leave some refused with 23006, and a repeat is refused with 23007.
 * Two ways to react (--via), each measured with its own same-run baseline:
 * - sdk: every user online with an SDK socket in --procs client processes
 *   (bench/reaction-clients.ts), sending `openim_msg_ext_http_svc.group_reaction_add` as
 *   addMessageReaction does; each change is pushed to every member's devices, so 1,000 reactions
 *   are ~1,000,000 pushes. Baseline: each user sends one group message over its socket at once.
 * - rest: the app administrator's `group_reaction_add` with Add_Account over --connections
 *   keep-alive connections, nobody online: the reaction path without its fan-out. Baseline: the
 *   same users' send_group_msg over REST.
 * Reactions and baseline take turns (which goes first alternates per run). Figures: successful
 * adds/s from the first request to the last reply (and messages/s for the baseline), reply p50
 * and p99, the node's CPU per request, and the checks: the stored counts
 * (group_reaction_multi_stat) and users (group_reaction_iterate, every page) equal the successful
 * adds per reaction, with no user twice; with sdk, every socket was last shown the final count
 * of each reaction (pushes may arrive in any order; the highest count shown is compared).
 *
 * Usage: npx tsx bench/reactions.ts [--users 1000] [--reactions 10] [--repeat 1]
 *   [--via rest,sdk] [--runs 3] [--procs 2] [--connections 32] [--what reactions,messages]
 *   [--profile DIR] (a .cpuprofile of the node over each measured burst, bench/load-profile.ts)
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childrenCpuUs, importAccounts, MachineLoad, processCpuUs, SECRET, startNode, type Body, type Node } from './bench-kit';
import { ask, spawn, stopChild } from './load-targets';
import { median, percentile, round, table } from './stats';

const { values: opt } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    reactions: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '1' },
    via: { type: 'string', default: 'rest,sdk' },
    runs: { type: 'string', default: '3' },
    procs: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    what: { type: 'string', default: 'reactions,messages' },
    profile: { type: 'string' },
  },
});
const n = (name: keyof typeof opt) => Number(opt[name]);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  code: number;
  sentAt: number;
  at: number;
}
interface Seen {
  minSeen: Record<string, number>;
  reactionFrames: number;
  lastReactionAt: number;
  messages: number;
  lastMessageAt: number;
  latencies: number[];
}
interface Figures {
  rate: number;
  ok: number;
  refused: Record<string, number>;
  p50: number;
  p99: number;
  cpuUs: number;
  /** sdk: ms from the first request until every push had arrived. */
  settledMs?: number;
  pushP99?: number;
  /** sdk reactions: frames carrying reaction summaries per member socket (1 per change when unmerged). */
  framesPerMember?: number;
  checks?: string;
}

let random = 1;
const reactionOf = (i: number) => `r${i % n('reactions')}`;

class Clients {
  constructor(readonly procs: ChildProcess[]) {}

  static async start(count: number, node: Node, users: string[]): Promise<Clients> {
    const procs = Array.from({ length: count }, () => spawn('reaction-clients'));
    const per = Math.ceil(users.length / count);
    const replies = await Promise.all(procs.map((p, i) => ask<{ open: number }>(p, { type: 'connect', port: node.port, app: node.app, secret: SECRET, users: users.slice(i * per, (i + 1) * per), concurrency: 50 }, 'connected')));
    const open = replies.reduce((a, r) => a + r.open, 0);
    if (open !== users.length) throw new Error(`only ${open} of ${users.length} sockets logged in`);
    return new Clients(procs);
  }

  /** Each request from its user's socket, all at once; `users` says which process holds whom. */
  async fire(requests: { user: string; servcmd: string; body: object }[], per: number, index: Map<string, number>): Promise<Result[]> {
    const parts = this.procs.map(() => [] as typeof requests);
    for (const r of requests) parts[Math.floor(index.get(r.user)! / per)].push(r);
    const replies = await Promise.all(this.procs.map((p, i) => ask<{ results: Result[] }>(p, { type: 'fire', requests: parts[i] }, 'fired')));
    return replies.flatMap((r) => r.results);
  }

  async seen(): Promise<Seen> {
    const parts = await Promise.all(this.procs.map((p) => ask<Seen>(p, { type: 'seen' }, 'seen')));
    const minSeen: Record<string, number> = {};
    for (const p of parts) for (const [r, c] of Object.entries(p.minSeen)) minSeen[r] = Math.min(minSeen[r] ?? Infinity, c);
    return {
      minSeen,
      reactionFrames: parts.reduce((a, p) => a + p.reactionFrames, 0),
      lastReactionAt: Math.max(...parts.map((p) => p.lastReactionAt)),
      messages: parts.reduce((a, p) => a + p.messages, 0),
      lastMessageAt: Math.max(...parts.map((p) => p.lastMessageAt)),
      latencies: parts.flatMap((p) => p.latencies),
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.procs.map((p) => ask(p, { type: 'reset' }, 'reset')));
  }

  stop(): Promise<void[]> {
    return Promise.all(this.procs.map((p) => stopChild(p)));
  }
}

/** REST requests, all at once over the pool; times as the client processes give them. */
async function fireRest(node: Node, requests: { command: string; body: object }[]): Promise<Result[]> {
  return Promise.all(
    requests.map(async (r) => {
      const sentAt = now();
      const { reply } = await node.rest.call(r.command, r.body);
      return { code: Number(reply.ErrorCode ?? 0), sentAt, at: now() };
    }),
  );
}

function figuresOf(results: Result[], cpuUs: number): Figures {
  const ok = results.filter((r) => r.code === 0).length;
  const refused: Record<string, number> = {};
  for (const r of results) if (r.code !== 0) refused[r.code] = (refused[r.code] ?? 0) + 1;
  const first = Math.min(...results.map((r) => r.sentAt));
  const last = Math.max(...results.map((r) => r.at));
  const ms = results.map((r) => r.at - r.sentAt);
  return { rate: ok / ((last - first) / 1000), ok, refused, p50: percentile(ms, 50), p99: percentile(ms, 99), cpuUs: cpuUs / results.length };
}

/** Stored counts and users of each reaction against the adds that succeeded; '' when all agree. */
async function check(node: Node, groupId: string, seq: number, results: Result[], requests: { user: string; reaction: string }[]): Promise<string> {
  const expected = new Map<string, Set<string>>();
  results.forEach((r, i) => {
    if (r.code !== 0) return;
    const { user, reaction } = requests[i];
    const set = expected.get(reaction) ?? new Set<string>();
    if (set.has(user)) throw new Error(`${user} got two successful adds of ${reaction}`);
    expected.set(reaction, set.add(user));
  });
  const problems: string[] = [];
  const stat = await node.rest.ok('openim_msg_ext_http_svc/group_reaction_multi_stat', { GroupId: groupId, MsgSeqList: [seq], Count: 10 });
  const summaries = ((stat.Results as Body[])[0].MsgReactionSummary as { Reaction: string; Count: number }[]) ?? [];
  const stored = new Map(summaries.map((s) => [s.Reaction, s.Count]));
  for (const reaction of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(reaction) ?? new Set<string>();
    if ((stored.get(reaction) ?? 0) !== want.size) problems.push(`${reaction}: stored count ${stored.get(reaction) ?? 0}, successful adds ${want.size}`);
    const listed: string[] = [];
    for (let NextSeq = 0; ; ) {
      const page = await node.rest.ok('openim_msg_ext_http_svc/group_reaction_iterate', { GroupId: groupId, MsgSeq: seq, Reaction: reaction, NextSeq, Count: 100 });
      listed.push(...((page.Reaction_Account as string[]) ?? []));
      NextSeq = Number(page.NextSeq ?? 0);
      if (NextSeq === 0) break;
    }
    if (new Set(listed).size !== listed.length) problems.push(`${reaction}: a user listed twice`);
    if (listed.length !== want.size || listed.some((u) => !want.has(u))) problems.push(`${reaction}: ${listed.length} users listed, ${want.size} added`);
  }
  return problems.join('; ');
}

async function measure(node: Node, via: 'sdk' | 'rest', groupId: string, users: string[], clients: Clients | undefined, what: 'reactions' | 'messages'): Promise<Figures> {
  const per = Math.ceil(users.length / n('procs'));
  const index = new Map(users.map((u, i) => [u, i]));
  await clients?.reset();
  const cpu0 = await node.cpuUs();
  if (what === 'messages') {
    const seq0 = await nextSeq(node, groupId);
    const t0 = now();
    const results = via === 'sdk'
      ? await clients!.fire(users.map((user) => ({ user, servcmd: 'group_open_http_svc.send_group_msg', body: { GroupId: groupId, Random: random++, MsgPriority: 'Normal' } })), per, index)
      : await fireRest(node, users.map((u) => ({ command: 'group_open_http_svc/send_group_msg', body: { GroupId: groupId, From_Account: u, Random: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'm' } }] } })));
    const f = figuresOf(results, (await node.cpuUs()) - cpu0);
    if (clients) {
      const expected = f.ok * users.length;
      let s = await clients.seen();
      for (const deadline = Date.now() + 60_000; s.messages < expected && Date.now() < deadline; s = await clients.seen()) await sleep(100);
      f.settledMs = s.lastMessageAt - t0;
      f.pushP99 = percentile(s.latencies, 99);
      f.checks = `${s.messages}/${expected} delivered`;
    }
    // Sends answered with an error may still be stored: count what the group's sequence says.
    let stored = (await nextSeq(node, groupId)) - seq0;
    for (;;) {
      await sleep(1000);
      const later = (await nextSeq(node, groupId)) - seq0;
      if (later === stored) break;
      stored = later;
    }
    f.checks = [f.checks, `${stored} stored, ${f.ok} answered OK`].filter(Boolean).join(', ');
    return f;
  }
  const { MsgSeq: seq } = (await node.rest.ok('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'host', Random: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hot' } }] })) as { MsgSeq: number };
  const requests = users.flatMap((user, i) => Array.from({ length: n('repeat') }, () => ({ user, reaction: reactionOf(i) })));
  const t0 = now();
  const results = via === 'sdk'
    ? await clients!.fire(requests.map((r) => ({ user: r.user, servcmd: 'openim_msg_ext_http_svc.group_reaction_add', body: { GroupId: groupId, MsgSeq: seq, Reaction: r.reaction, Add_Account: [r.user] } })), per, index)
    : await fireRest(node, requests.map((r) => ({ command: 'openim_msg_ext_http_svc/group_reaction_add', body: { GroupId: groupId, MsgSeq: seq, Reaction: r.reaction, Add_Account: [r.user] } })));
  const f = figuresOf(results, (await node.cpuUs()) - cpu0);
  // Results come back per process in request order only for rest; sdk results are re-ordered to match.
  const ordered = via === 'sdk' ? reorder(results, requests, per, index) : results;
  const problems: string[] = [];
  if (clients) {
    // Pushes first: the node is still writing them after the last reply, and the reads below queue behind them.
    const final = new Map<string, number>();
    ordered.forEach((r, i) => r.code === 0 && final.set(requests[i].reaction, (final.get(requests[i].reaction) ?? 0) + 1));
    let s = await clients.seen();
    const settled = () => [...final].every(([r, c]) => s.minSeen[r] === c);
    for (const deadline = Date.now() + 90_000; !settled() && Date.now() < deadline; s = await clients.seen()) await sleep(200);
    f.settledMs = s.lastReactionAt - t0;
    if (!settled()) problems.push(`some sockets were never shown the final counts: ${JSON.stringify(s.minSeen)}`);
    f.checks = `${s.reactionFrames} reaction frames`;
    f.framesPerMember = s.reactionFrames / users.length;
  }
  problems.push(await check(node, groupId, seq, ordered, requests));
  f.checks = [f.checks, problems.filter(Boolean).join('; ') || 'counts = successful adds'].filter(Boolean).join(', ');
  return f;
}

/** The group's next sequence; asked again while the group is too busy to answer in time (10002). */
async function nextSeq(node: Node, groupId: string): Promise<number> {
  for (let tries = 0; ; tries++) {
    const { reply } = await node.rest.call('group_open_http_svc/get_group_info', { GroupIdList: [groupId], ResponseFilter: { GroupBaseInfoFilter: ['NextMsgSeq'] } });
    const group = (reply.GroupInfo as Body[] | undefined)?.[0];
    if (!reply.ErrorCode && !group?.ErrorCode) return Number(group?.NextMsgSeq);
    if (tries >= 10) throw new Error(`get_group_info: ${String(reply.ErrorCode)} ${String(reply.ErrorInfo)}`);
  }
}

/** The sdk results arrive grouped by client process; put them back in request order. */
function reorder(results: Result[], requests: { user: string }[], per: number, index: Map<string, number>): Result[] {
  const byProc = new Map<number, number[]>();
  requests.forEach((r, i) => {
    const p = Math.floor(index.get(r.user)! / per);
    byProc.set(p, [...(byProc.get(p) ?? []), i]);
  });
  const out: Result[] = new Array(requests.length);
  let k = 0;
  for (const p of [...byProc.keys()].sort((a, b) => a - b)) for (const i of byProc.get(p)!) out[i] = results[k++];
  return out;
}

async function main(): Promise<void> {
  const users = Array.from({ length: n('users') }, (_, i) => `u${i}`);
  const node = await startNode(n('connections'));
  let clients: Clients | undefined;
  const load = new MachineLoad();
  try {
    await importAccounts(node.rest, ['host', ...users]);
    const { GroupId } = (await node.rest.ok('group_open_http_svc/create_group', { Owner_Account: 'host', Type: 'Public', Name: 'hot', MaxMemberCount: users.length + 1 })) as { GroupId: string };
    for (let i = 0; i < users.length; i += 500) await node.rest.ok('group_open_http_svc/add_group_member', { GroupId, Silence: 1, MemberList: users.slice(i, i + 500).map((Member_Account) => ({ Member_Account })) });
    const rows: (string | number)[][] = [];
    const ratios: string[] = [];
    for (const via of opt.via.split(',') as ('sdk' | 'rest')[]) {
      if (via === 'sdk') clients = await Clients.start(n('procs'), node, users);
      const runs: Record<'reactions' | 'messages', Figures[]> = { reactions: [], messages: [] };
      load.begin((await node.cpuUs()) + processCpuUs() + childrenCpuUs(clients?.procs ?? []));
      for (let r = 0; r < n('runs'); r++) {
        const order = r % 2 === 0 ? (['reactions', 'messages'] as const) : (['messages', 'reactions'] as const);
        for (const what of order.filter((w) => opt.what.split(',').includes(w))) {
          const server = node.target.servers[0];
          if (opt.profile) await ask(server, { type: 'profile', action: 'start' }, 'profiled');
          const f = await measure(node, via, GroupId, users, clients, what);
          if (opt.profile) await ask(server, { type: 'profile', action: 'stop', file: path.join(opt.profile, `reactions-${via}-${what}-${r + 1}.cpuprofile`) }, 'profiled');
          runs[what].push(f);
          console.log(`${via} ${what} run ${r + 1}: ${round(f.rate)}/s, ${f.ok} ok, refused ${JSON.stringify(f.refused)}, p99 ${round(f.p99)} ms${f.settledMs ? `, settled ${round(f.settledMs)} ms` : ''}${f.framesPerMember ? `, ${round(f.framesPerMember, 1)} frames/member` : ''}; ${f.checks ?? ''}`);
        }
      }
      const machine = load.end((await node.cpuUs()) + processCpuUs() + childrenCpuUs(clients?.procs ?? []));
      for (const what of (['reactions', 'messages'] as const).filter((w) => runs[w].length > 0)) {
        const m = (f: (x: Figures) => number) => median(runs[what].map(f));
        rows.push([via, what, round(m((x) => x.rate)), runs[what].map((x) => round(x.rate)).join('/'), m((x) => x.ok), round(m((x) => x.p50)), round(m((x) => x.p99)), round(m((x) => x.cpuUs)),
          via === 'sdk' ? round(m((x) => x.settledMs ?? NaN)) : '–', what === 'reactions' && via === 'sdk' ? round(m((x) => x.framesPerMember ?? NaN), 1) : '–', `${round(machine.othersPct)} % / ${round(machine.loadavg, 1)}`, runs[what].map((x) => x.checks ?? '').filter(Boolean)[0] ?? '']);
      }
      if (runs.messages.length > 0 && runs.reactions.length > 0) ratios.push(`${via}: reactions/s ÷ messages/s = ${round(median(runs.reactions.map((x) => x.rate)) / median(runs.messages.map((x) => x.rate)), 2)} (per run ${runs.reactions.map((x, i) => round(x.rate / runs.messages[i].rate, 2)).join(', ')})`);
      await clients?.stop();
      clients = undefined;
    }
    console.log(`\n${users.length} users on one message of a ${users.length + 1}-member Public group, ${opt.reactions} reactions, each add sent ${opt.repeat}×, medians of ${opt.runs} runs`);
    console.log(table(['via', 'what', 'ok/s', 'per run', 'ok', 'p50 ms', 'p99 ms', 'node CPU µs/request', 'all pushes in, ms', 'reaction frames/member', 'others / load', 'checks (first run)'], rows));
    for (const line of ratios) console.log(line);
  } finally {
    await clients?.stop();
    await node.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
