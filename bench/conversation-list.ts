/**
 * A user with many conversations (issue 19: 10,000): what the first page of the conversation list
 * and a full sync cost, in time and bytes, asked as Tencent's web SDK asks them over its socket.
 *
 * One embedded node in its own process (bench/bench-kit.ts). Before the runs, each of --peers
 * accounts sends the user one message over REST (openim/sendmsg as the administrator,
 * SyncOtherMachine 2), so the user has --peers one-to-one conversations, each unread, each with a
 * last message; `--fill batch` has the user send batchsendmsg to 500 peers at a time instead
 * (faster; nothing unread). `--groups` Public groups with one message each join the list. A
 * second user with --small peers, filled the same way, is the same-run baseline: the two users
 * take turns in every run, and the ratio says what the list's size costs.
 *
 * Each run logs a fresh socket in (a device after a reinstall) and times, as the SDK sends them:
 * - first page: recentcontact.page_get with every cursor 0 (what the SDK asks at login);
 * - full list: the pages that follow, each echoing the last reply's TimeStamp, StartIndex,
 *   TopTimeStamp and TopStartIndex, until CompleteFlag is 1; then get_contact_group;
 * - message sync: openim.getmsg from an empty Cookie (IsOnlineSync 0) until SyncFlag 2;
 * then --incremental new messages arrive from as many peers, and a second fresh socket asks what
 * the SDK asks after a reconnect: page_get from the cursor the full list ended with (its TimeStamp
 * and TopTimeStamp; StartIndex and TopStartIndex end at 0), and getmsg
 * from the Cookie the message sync ended with. Last, the REST face: recentcontact/get_list paged
 * until CompleteFlag 1. Figures: wall time, bytes of the reply frames (or HTTP bodies), pages,
 * items, and the node's CPU for each phase; medians of --runs runs.
 *
 * Usage: npx tsx bench/conversation-list.ts [--peers 10000] [--small 100] [--groups 0]
 *   [--runs 3] [--incremental 10] [--fill send|batch] [--in-flight 32]
 */
import { parseArgs } from 'node:util';
import { importAccounts, inParallel, MachineLoad, processCpuUs, SECRET, startNode, type Body, type Node } from './bench-kit';
import { SdkSocket, type Reply } from './sdk-socket';
import { median, round, table } from './stats';

const { values: opt } = parseArgs({
  options: {
    peers: { type: 'string', default: '10000' },
    small: { type: 'string', default: '100' },
    groups: { type: 'string', default: '0' },
    runs: { type: 'string', default: '3' },
    incremental: { type: 'string', default: '10' },
    fill: { type: 'string', default: 'send' },
    'in-flight': { type: 'string', default: '32' },
  },
});
const n = (name: keyof typeof opt) => Number(opt[name]);

/** One phase of one run: wall ms, reply bytes, requests, items, node CPU ms. */
interface Phase {
  ms: number;
  bytes: number;
  pages: number;
  items: number;
  cpuMs: number;
}
type RunFigures = Record<string, Phase>;

const PAGE_GET = { TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, OrderType: 1, MsgAssistFlags: 15, AssistFlags: 31 };
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
let random = 1;

async function fill(node: Node, user: string, peers: string[], groups: number): Promise<void> {
  if (opt.fill === 'batch') {
    for (let i = 0; i < peers.length; i += 500) await node.rest.ok('openim/batchsendmsg', { SyncOtherMachine: 1, From_Account: user, To_Account: peers.slice(i, i + 500), MsgRandom: random++, MsgBody: text(`hello ${i}`) });
  } else {
    await inParallel(peers.length, n('in-flight'), (i) => node.rest.ok('openim/sendmsg', { SyncOtherMachine: 2, From_Account: peers[i], To_Account: user, MsgRandom: random++, MsgBody: text(`hello from ${peers[i]}`) }).then(() => undefined));
  }
  for (let g = 0; g < groups; g++) {
    const { GroupId } = (await node.rest.ok('group_open_http_svc/create_group', { Owner_Account: peers[g % peers.length], Type: 'Public', Name: `g${g}`, MemberList: [{ Member_Account: user }] })) as { GroupId: string };
    await node.rest.ok('group_open_http_svc/send_group_msg', { GroupId, From_Account: peers[g % peers.length], Random: random++, MsgBody: text(`group ${g}`) });
  }
}

/** Times `work` and the node's CPU over it. */
async function phase(node: Node, work: () => Promise<Omit<Phase, 'ms' | 'cpuMs'>>): Promise<Phase> {
  const cpu0 = await node.cpuUs();
  const t0 = performance.now();
  const r = await work();
  const ms = performance.now() - t0;
  return { ...r, ms, cpuMs: ((await node.cpuUs()) - cpu0) / 1000 };
}

/** page_get from `cursor` until CompleteFlag 1 (or one page when `onePage`); answers the figures and the last reply. */
async function pageAll(s: SdkSocket, user: string, cursor: Body, onePage: boolean): Promise<Omit<Phase, 'ms' | 'cpuMs'> & { last: Body }> {
  let bytes = 0;
  let pages = 0;
  let items = 0;
  let last: Body = {};
  for (let body: Body = { From_Account: user, ...PAGE_GET, ...cursor }; ; ) {
    const r: Reply = await s.request('recentcontact.page_get', body);
    if (r.body.ErrorCode) throw new Error(`page_get: ${String(r.body.ErrorCode)} ${String(r.body.ErrorInfo)}`);
    bytes += r.bytes;
    pages++;
    items += (r.body.SessionItem as unknown[]).length;
    last = r.body;
    if (onePage || r.body.CompleteFlag === 1) break;
    const { TimeStamp, StartIndex, TopTimeStamp, TopStartIndex } = r.body;
    body = { ...body, TimeStamp, StartIndex, TopTimeStamp, TopStartIndex };
  }
  return { bytes, pages, items, last };
}

async function getmsgAll(s: SdkSocket, cookie: string): Promise<Omit<Phase, 'ms' | 'cpuMs'> & { cookie: string }> {
  let bytes = 0;
  let pages = 0;
  let items = 0;
  for (;;) {
    const r = await s.request('openim.getmsg', { Cookie: cookie, SyncFlag: 0, NeedAbstract: 1, IsOnlineSync: 0, NeedSignaling: 1, NeedCachedMsg: 1 });
    if (r.body.ErrorCode) throw new Error(`getmsg: ${String(r.body.ErrorCode)} ${String(r.body.ErrorInfo)}`);
    bytes += r.bytes;
    pages++;
    items += ((r.body.MsgList as unknown[] | undefined) ?? []).length;
    cookie = String(r.body.Cookie);
    if (r.body.SyncFlag === 2) return { bytes, pages, items, cookie };
  }
}

async function restListAll(node: Node, user: string): Promise<Omit<Phase, 'ms' | 'cpuMs'>> {
  let bytes = 0;
  let pages = 0;
  let items = 0;
  // Each page echoes the last reply's cursor fields, as Tencent's reference asks.
  for (let cursor: Body = { TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 }; ; ) {
    const r = await node.rest.call('recentcontact/get_list', { From_Account: user, ...cursor, AssistFlags: 7 });
    if (r.reply.ErrorCode) throw new Error(`get_list: ${String(r.reply.ErrorCode)} ${String(r.reply.ErrorInfo)}`);
    bytes += r.bytes;
    pages++;
    items += (r.reply.SessionItem as unknown[]).length;
    if (r.reply.CompleteFlag === 1) return { bytes, pages, items };
    const { TimeStamp, StartIndex, TopTimeStamp, TopStartIndex } = r.reply;
    cursor = { TimeStamp, StartIndex, TopTimeStamp, TopStartIndex };
  }
}

async function measure(node: Node, user: string, peers: string[]): Promise<RunFigures> {
  const at = { port: node.port, app: node.app, secret: SECRET };
  const s = await SdkSocket.login(at, user);
  const f: RunFigures = {};
  f['first page (page_get)'] = await phase(node, () => pageAll(s, user, {}, true));
  let lastList: Body = {};
  f['full list (page_get until CompleteFlag 1)'] = await phase(node, async () => {
    const r = await pageAll(s, user, {}, false);
    lastList = r.last;
    return r;
  });
  f['get_contact_group'] = await phase(node, async () => {
    const r = await s.request('recentcontact.get_contact_group', { From_Account: user, StartIndex: 0 });
    return { bytes: r.bytes, pages: 1, items: ((r.body.ContactItem as unknown[] | undefined) ?? []).length };
  });
  let cookie = '';
  f['message sync (getmsg from empty Cookie)'] = await phase(node, async () => {
    const r = await getmsgAll(s, '');
    cookie = r.cookie;
    return r;
  });
  s.close();
  const k = n('incremental');
  await inParallel(k, k, (i) => node.rest.ok('openim/sendmsg', { SyncOtherMachine: 2, From_Account: peers[(i * 7919) % peers.length], To_Account: user, MsgRandom: random++, MsgBody: text('new') }).then(() => undefined));
  const again = await SdkSocket.login(at, user);
  const cursor = { TimeStamp: lastList.TimeStamp, TopTimeStamp: lastList.TopTimeStamp };
  f[`after reconnect: page_get from the last TimeStamp (${k} new)`] = await phase(node, () => pageAll(again, user, cursor, false));
  f[`after reconnect: getmsg from the last Cookie (${k} new)`] = await phase(node, () => getmsgAll(again, cookie));
  again.close();
  f['REST get_list, all pages'] = await phase(node, () => restListAll(node, user));
  return f;
}

const kb = (bytes: number) => round(bytes / 1024, 1);

async function main(): Promise<void> {
  const peersBig = Array.from({ length: n('peers') }, (_, i) => `p${i}`);
  const peersSmall = Array.from({ length: n('small') }, (_, i) => `q${i}`);
  const users = [
    { name: 'big', user: 'many', peers: peersBig },
    { name: 'small', user: 'few', peers: peersSmall },
  ];
  const node = await startNode();
  const load = new MachineLoad();
  try {
    const t0 = performance.now();
    await importAccounts(node.rest, [...peersBig, ...peersSmall, 'many', 'few']);
    for (const u of users) await fill(node, u.user, u.peers, n('groups'));
    console.log(`filled ${peersBig.length} + ${peersSmall.length} conversations (${opt.fill}), ${n('groups')} groups each, in ${round((performance.now() - t0) / 1000, 1)} s`);
    const byUser: Record<string, RunFigures[]> = { big: [], small: [] };
    load.begin((await node.cpuUs()) + processCpuUs());
    for (let r = 0; r < n('runs'); r++) {
      // Alternate which user goes first, so a burst of load elsewhere falls on both.
      for (const u of r % 2 === 0 ? users : [...users].reverse()) byUser[u.name].push(await measure(node, u.user, u.peers));
    }
    const machine = load.end((await node.cpuUs()) + processCpuUs());
    const med = (runs: RunFigures[], key: string, f: (p: Phase) => number) => median(runs.map((x) => f(x[key])));
    const rows = Object.keys(byUser.big[0]).map((key) => {
      const b = (f: (p: Phase) => number) => med(byUser.big, key, f);
      const s = (f: (p: Phase) => number) => med(byUser.small, key, f);
      return [key, b((p) => p.pages), b((p) => p.items), round(b((p) => p.ms), 1), kb(b((p) => p.bytes)), round(b((p) => p.cpuMs), 1), byUser.big.map((x) => round(x[key].ms)).join('/'),
        s((p) => p.items), round(s((p) => p.ms), 1), kb(s((p) => p.bytes)), round(b((p) => p.ms) / s((p) => p.ms), 1)];
    });
    console.log(`\n${peersBig.length} conversations (+${n('groups')} groups) against ${peersSmall.length}, medians of ${opt.runs} runs`);
    console.log(table(['phase', 'requests', 'items', 'ms', 'KB', 'node CPU ms', 'ms per run', 'small: items', 'small: ms', 'small: KB', 'ms big/small'], rows));
    console.log(`\nmachine: others ${round(machine.othersPct)} % of both cores outside the node and this bench; load average ${round(machine.loadavg, 1)}`);
  } finally {
    await node.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
