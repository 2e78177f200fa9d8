/**
 * What a page of history costs at the newest end of a conversation and deep inside it
 * (issue 15, item 6: a page at 90% depth within 1.5× a page at the newest end).
 *
 * One embedded node per store (SQLite in a temp folder with the production default
 * synchronous=FULL; PostgreSQL in a schema of its own, dropped afterwards). A group and a
 * one-to-one conversation are created through their services, then filled with --messages
 * messages each: the commands go through the actors' own decide/evolve (as the host runs them)
 * and their events are appended to the real store in chunks, so that filling 20,000 messages
 * takes seconds rather than minutes of one-at-a-time commits. Other events are interleaved as
 * in a live conversation: in the group a read report every 4 messages, a member leaving and
 * coming back (two tips) every 50, a recall every 100; in the conversation a read mark every 5
 * messages, a recall every 100, a modification every 150. The activations are then dropped,
 * so the pages below are served by actors rebuilt from the log, as after a restart.
 *
 * Pages are read through the services' actions, as the REST and WebSocket faces call them
 * (minus HTTP and the socket):
 * - group, SDK (group_msg_get): 20 messages below ReqMsgSeq, as a member;
 * - group, REST (group_msg_get_simple): 20 messages below ReqMsgSeq, as the administrator;
 * - one-to-one, SDK (getroammsg): 15 messages older than the cursor (MsgKey + LastMsgTime of
 *   the message above, as the SDK's getMessageList sends them);
 * - one-to-one, REST (admin_getroammsg): 20 messages below LastMsgKey, with MaxTime its time
 *   (the paging Tencent documents); and by MaxTime alone (the second before the message above).
 * Each run reads --pages pages at each depth (newest; 50%; 90%), at cursors spread over ±1% of
 * the conversation around that depth, interleaving the depths; a run's figure is the median
 * page time, the table shows the median over --runs runs and the ratio to the newest end.
 *
 * Message times are a second apart, in the past, and grow with sequences as live ones do.
 *
 * Usage: npx tsx bench/history-depth.ts [--messages 20000] [--runs 5] [--pages 20]
 *   [--only sqlite,postgres] [--pg postgres://postgres@127.0.0.1:5432/test]
 */
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { c2cKind, conversationKey, conversationStream, type C2CCommand, type C2CEvent } from '../actors/c2c';
import { groupKind, groupKey, groupStream, type GroupCommand, type GroupEvent } from '../actors/group';
import type { ActorKind } from '../runtime/kind';
import type { EventLog, FeedAppend, NewEvent } from '../runtime/eventlog';
import { runtimeOf } from '../runtime/moleculer/node-runtime';
import type { ActorHost } from '../runtime/host';
import { sendFields as groupSendFields } from '../services/groups/convert';
import { sendFields as c2cSendFields } from '../services/messages/send';
import { startEmbedded, REST_SERVICES, type Embedded } from '../test/support/embedded';
import { median, round, table } from './stats';

const { values: opt } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    pages: { type: 'string', default: '20' },
    only: { type: 'string', default: 'sqlite,postgres' },
    pg: { type: 'string', default: process.env.PARLEY_TEST_DB ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const MESSAGES = Number(opt.messages);
const RUNS = Number(opt.runs);
const PAGES = Number(opt.pages);
const admin = { kind: 'admin' as const, id: 'administrator' };
const USERS = ['alice', 'bob', 'carol', 'dave'];
const DEPTHS = [
  { name: 'newest', at: 0 },
  { name: '50%', at: 0.5 },
  { name: '90%', at: 0.9 },
];
/** Events appended per transaction while filling. */
const CHUNK = 500;

interface Pending {
  events: NewEvent[];
  feeds: Map<string, NewEvent[]>;
}

/**
 * Runs commands through a kind's decide and evolve, as the host does, and appends what they
 * produce to the stream in chunks (feeds too), starting from the stream as it is in the log.
 */
class Filler<S, C, E extends NewEvent> {
  private state!: S;
  private version = 0;
  private pending: Pending = { events: [], feeds: new Map() };

  constructor(
    private readonly log: EventLog,
    private readonly kind: ActorKind<S, C, E, unknown>,
    private readonly key: string,
  ) {}

  get stream(): string {
    return `${this.kind.name}:${this.key}`;
  }

  async load(): Promise<void> {
    this.state = this.kind.initialState(this.key);
    for (const e of await this.log.read(this.stream)) this.state = this.kind.evolve(this.state, e as unknown as E);
    this.version = await this.log.version(this.stream);
  }

  async run(command: C): Promise<unknown> {
    const d = this.kind.decide(this.state, command);
    for (const e of d.events) this.state = this.kind.evolve(this.state, e);
    this.pending.events.push(...d.events);
    for (const f of d.feeds ?? []) this.pending.feeds.set(f.stream, [...(this.pending.feeds.get(f.stream) ?? []), ...f.events]);
    if (this.pending.events.length >= CHUNK) await this.flush();
    return d.reply;
  }

  async flush(): Promise<void> {
    const { events, feeds } = this.pending;
    if (events.length === 0) return;
    this.pending = { events: [], feeds: new Map() };
    const feedAppends: FeedAppend[] = [...feeds].map(([stream, e]) => ({ stream, events: e }));
    this.version = (await this.log.append(this.stream, this.version, events, feedAppends)).version;
  }
}

interface Target {
  name: string;
  groupId: string;
  /** Seq → MsgKey and time of the one-to-one messages. */
  c2c: Map<number, { msgKey: string; time: number }>;
  groupTop: number;
  c2cTop: number;
}

async function fill(server: Embedded, name: string): Promise<Target> {
  const { broker } = server;
  const app = server.app.sdkAppId;
  const log = runtimeOf(broker).store;
  await broker.call('apps.update', { sdkAppId: app, settings: { groups: { messagesPerSecond: 0 } } });
  await broker.call('accounts.multiImport', { app, caller: admin, body: { Accounts: USERS } });
  const { GroupId } = await broker.call<{ GroupId: string }, object>('groups.create', {
    app,
    caller: admin,
    body: { Owner_Account: 'alice', Type: 'Public', Name: 'depth', MemberList: USERS.slice(1).map((u) => ({ Member_Account: u })) },
  });
  dropActivations(server);

  const start = Date.now() - (MESSAGES + 100) * 1000;
  const text = (i: number) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: `message ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}` } }];
  const t0 = performance.now();

  const group = new Filler<unknown, GroupCommand, GroupEvent>(log, groupKind as ActorKind<unknown, GroupCommand, GroupEvent, unknown>, groupKey(app, GroupId));
  await group.load();
  for (let i = 1; i <= MESSAGES; i++) {
    const now = start + i * 1000;
    const from = USERS[i % USERS.length];
    const message = groupSendFields(from, { GroupId, Random: i, MsgBody: text(i) }, false);
    const sent = (await group.run({ op: 'send', by: { id: from, admin: false }, message, onlineOnly: false, now })) as { seq: number };
    if (i % 4 === 0) await group.run({ op: 'read', user: USERS[(i + 1) % USERS.length], seq: sent.seq, now });
    if (i % 50 === 0) {
      await group.run({ op: 'quit', user: 'dave', now });
      await group.run({ op: 'invite', by: { id: 'administrator', admin: true }, users: ['dave'], silence: false, now });
    }
    if (i % 100 === 0) await group.run({ op: 'recall', by: { id: 'administrator', admin: true }, seqs: [sent.seq - 1], limitSeconds: 120, now });
  }
  await group.flush();

  const c2c = new Filler<unknown, C2CCommand, C2CEvent>(log, c2cKind as ActorKind<unknown, C2CCommand, C2CEvent, unknown>, conversationKey(app, 'alice', 'bob'));
  await c2c.load();
  const keys = new Map<number, { msgKey: string; time: number }>();
  for (let i = 1; i <= MESSAGES; i++) {
    const now = start + i * 1000;
    const [from, to] = i % 2 ? ['alice', 'bob'] : ['bob', 'alice'];
    const message = c2cSendFields(from, to, { MsgRandom: i, MsgBody: text(i) }, { syncToSender: true, byAdmin: false });
    const sent = (await c2c.run({ op: 'send', message, now })) as { seq: number; msgKey: string; time: number };
    keys.set(sent.seq, { msgKey: sent.msgKey, time: sent.time });
    if (i % 5 === 0) await c2c.run({ op: 'read', reader: to, now });
    if (i % 100 === 0) await c2c.run({ op: 'recall', msgKey: keys.get(sent.seq - 1)!.msgKey, by: 'administrator', admin: true, limitSeconds: 120, now });
    if (i % 150 === 0) await c2c.run({ op: 'modify', msgKey: keys.get(sent.seq - 2)!.msgKey, body: JSON.stringify(text(-i)), now });
  }
  await c2c.flush();
  console.log(`${name}: filled ${MESSAGES} group and ${MESSAGES} one-to-one messages in ${round((performance.now() - t0) / 1000, 1)} s (group stream at version ${await log.version(groupStream(app, GroupId))}, conversation at ${await log.version(conversationStream(app, 'alice', 'bob'))})`);
  dropActivations(server);
  const groupTop = (await broker.call<{ RspMsgList: { MsgSeq: number }[] }, object>('groups.historySimple', { app, caller: admin, body: { GroupId, ReqMsgNumber: 1 } })).RspMsgList[0].MsgSeq;
  return { name, groupId: GroupId, c2c: keys, groupTop, c2cTop: Math.max(...keys.keys()) };
}

/** Forgets every activation: the pages are served by actors rebuilt from the log. */
function dropActivations(server: Embedded): void {
  for (const name of ['groups', 'messages', 'inboxes']) {
    const svc = server.broker.getLocalService(name) as unknown as { actorHost?: ActorHost<unknown, unknown, NewEvent, unknown> } | undefined;
    svc?.actorHost?.passivateWhere(() => true);
  }
}

type Reader = (depth: number, spread: number) => Promise<unknown>;

function readers(server: Embedded, t: Target): Record<string, Reader> {
  const { broker } = server;
  const app = server.app.sdkAppId;
  /** The sequence `depth` of the way down from `top`, moved by `spread` (−1…1) within ±1%. */
  const seqAt = (top: number, depth: number, spread: number) => Math.max(2, Math.min(top, Math.round(top * (1 - depth) + top * 0.01 * spread * (depth === 0 ? 0 : 1))));
  return {
    'group, SDK group_msg_get': (depth, spread) =>
      broker.call('groups.history', { app, caller: { kind: 'user', id: 'bob' }, body: { GroupId: t.groupId, ReqMsgNumber: 20, ...(depth === 0 ? {} : { ReqMsgSeq: seqAt(t.groupTop, depth, spread) }) } }),
    'group, REST group_msg_get_simple': (depth, spread) =>
      broker.call('groups.historySimple', { app, caller: admin, body: { GroupId: t.groupId, ReqMsgNumber: 20, ...(depth === 0 ? {} : { ReqMsgSeq: seqAt(t.groupTop, depth, spread) }) } }),
    'one-to-one, SDK getroammsg': (depth, spread) => {
      const cursor = depth === 0 ? undefined : t.c2c.get(seqAt(t.c2cTop, depth, spread))!;
      return broker.call('messages.sdkRoam', { app, caller: { kind: 'user', id: 'alice' }, body: { Peer_Account: 'bob', MaxCnt: 15, ...(cursor ? { MsgKey: cursor.msgKey, LastMsgTime: cursor.time } : { LastMsgTime: 0 }) } });
    },
    'one-to-one, REST admin_getroammsg': (depth, spread) => {
      const cursor = depth === 0 ? undefined : t.c2c.get(seqAt(t.c2cTop, depth, spread))!;
      const paging = cursor ? { MaxTime: cursor.time, LastMsgKey: cursor.msgKey } : { MaxTime: Math.floor(Date.now() / 1000) };
      return broker.call('messages.roam', { app, caller: admin, body: { Operator_Account: 'alice', Peer_Account: 'bob', MaxCnt: 20, MinTime: 0, ...paging } });
    },
    'one-to-one, REST by MaxTime alone': (depth, spread) => {
      const maxTime = depth === 0 ? Math.floor(Date.now() / 1000) : t.c2c.get(seqAt(t.c2cTop, depth, spread))!.time - 1;
      return broker.call('messages.roam', { app, caller: admin, body: { Operator_Account: 'alice', Peer_Account: 'bob', MaxCnt: 20, MinTime: 0, MaxTime: maxTime } });
    },
  };
}

async function measure(server: Embedded, t: Target): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  for (const [what, read] of Object.entries(readers(server, t))) {
    // Warm-up: activations, statement caches, the OS page cache.
    for (const d of DEPTHS) for (let i = 0; i < 3; i++) await read(d.at, 0);
    const perRun = DEPTHS.map(() => [] as number[]);
    for (let run = 0; run < RUNS; run++) {
      const times = DEPTHS.map(() => [] as number[]);
      for (let p = 0; p < PAGES; p++) {
        const spread = PAGES === 1 ? 0 : (2 * p) / (PAGES - 1) - 1;
        for (let d = 0; d < DEPTHS.length; d++) {
          const began = performance.now();
          await read(DEPTHS[d].at, spread);
          times[d].push(performance.now() - began);
        }
      }
      times.forEach((ts, d) => perRun[d].push(median(ts)));
    }
    const medians = perRun.map(median);
    rows.push([
      t.name,
      what,
      ...medians.map((m) => round(m, 2)),
      `${round(Math.min(...perRun[2]), 2)}–${round(Math.max(...perRun[2]), 2)}`,
      round(medians[1] / medians[0], 2),
      round(medians[2] / medians[0], 2),
    ]);
  }
  return rows;
}

async function withServer(name: string, env: Record<string, string>, cleanup: () => Promise<void> = async () => undefined) {
  const server = await startEmbedded({ env, services: [...REST_SERVICES, 'groups', 'messages', 'inboxes', 'conversations', 'friends'] });
  try {
    const target = await fill(server, name);
    return await measure(server, target);
  } finally {
    await server.stop();
    await cleanup();
  }
}

async function main(): Promise<void> {
  const only = new Set(opt.only!.split(','));
  const rows: (string | number)[][] = [];
  if (only.has('sqlite')) rows.push(...(await withServer('SQLite', { PARLEY_SQLITE_SYNC: 'FULL' })));
  if (only.has('postgres')) {
    const schema = `bench_depth_${process.pid}_${Date.now().toString(36)}`;
    const drop = async () => {
      const client = new Client({ connectionString: opt.pg });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    };
    rows.push(...(await withServer('PostgreSQL', { PARLEY_DB: opt.pg!, PARLEY_DB_SCHEMA: schema }, drop)));
  }
  console.log(`\n${MESSAGES} messages; page times in ms, median of ${RUNS} runs (each the median of ${PAGES} pages per depth)\n`);
  console.log(table(['store', 'history', 'newest', '50%', '90%', '90% min–max', '50%/newest', '90%/newest'], rows));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
