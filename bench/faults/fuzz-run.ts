/**
 * One fuzz run against an embedded node in a child process: set-up (accounts, groups of every
 * type, a few messages, lifted rate limits), then `cases` cases from seed `seed` with
 * `concurrency` in flight — REST bodies, raw bodies and URLs (fuzz-rest.ts), WebSocket frames,
 * logins and upgrades (fuzz-ws.ts) — watching for HTTP 5xx, internal-error codes, hangs, a
 * crash of the node, and its memory.
 */
import { httpCase, judgeHttp, sendHttp, type CommandInfo, type HttpCase, type Target } from './fuzz-rest';
import { runWsCase, wsCase, type WsCase } from './fuzz-ws';
import type { JsonSchema } from './fuzz-values';
import { ADMIN, Installation } from './installation';
import type { NodeProcess } from './node-process';
import { caseRng } from './prng';

export interface FuzzOptions {
  cases: number;
  seed: number;
  concurrency: number;
  /** Run only these cases (as generated in a full run of the seed); one is printed in full. */
  only?: number[];
  /** A case unanswered this long is a hang, ms. */
  timeoutMs: number;
  /** Sample the node's memory every this many cases. */
  sampleEvery: number;
  /** Bounds: peak RSS, and heap growth after a full GC from set-up to the end. */
  maxRssMb: number;
  maxHeapGrowthMb: number;
  echo?: boolean;
  /** Node options for the node under test (e.g. --cpu-prof to find what made a case slow). */
  nodeArgs?: string[];
  log?: (line: string) => void;
}

export const FUZZ_DEFAULTS: Omit<FuzzOptions, 'seed'> = { cases: 10_000, concurrency: 8, timeoutMs: 20_000, sampleEvery: 250, maxRssMb: 1024, maxHeapGrowthMb: 128 };

type Kind = HttpCase['kind'] | WsCase['kind'];

export interface Failure {
  index: number;
  kind: Kind;
  why: string;
  note: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  byKind: Record<string, number>;
  failures: Failure[];
  /** Failures by class: 5xx, internal, hang, connection, socket. */
  classes: Record<string, number>;
  /** Requests sent again on a fresh connection after the server closed an idle pooled one. */
  retried: number;
  /** How cases were answered (REST and WS error codes, HTTP and upgrade statuses), most frequent first. */
  answers: [string, number][];
  /** The slowest cases: a case that blocks the node shows as the earliest of a cluster of slow ones. */
  slowest: SlowCase[];
  crash?: string;
  memory: { rssStartMb: number; rssPeakMb: number; rssEndMb: number; heapStartMb: number; heapEndMb: number; bounded: boolean };
  durationMs: number;
  nodeErrorLines: number;
  firstNodeErrors: string[];
}

const MB = 1024 * 1024;
const POOL_USERS = ['fuzza', 'fuzzb', 'fuzzc', 'fuzzd', 'fuzze'];

export type FuzzCase = { http: HttpCase } | { ws: WsCase };

/** Case `index` of run `seed`, generated from its own PRNG. */
export function fuzzCase(seed: number, index: number, target: Target): FuzzCase {
  const rng = caseRng(seed, index);
  return rng.chance(0.7) ? { http: httpCase(rng, target) } : { ws: wsCase(rng, target) };
}

export async function runFuzz(options: Partial<FuzzOptions> & Pick<FuzzOptions, 'seed'>): Promise<FuzzReport> {
  const o: FuzzOptions = { ...FUZZ_DEFAULTS, ...options };
  const log = o.log ?? (() => undefined);
  const installation = await Installation.create('embedded', { echo: o.echo, exposeGc: true, nodeArgs: o.nodeArgs });
  const node = installation.nodes[0];
  const run = new Run(o, log);
  node.onCrash = (code, signal) => (run.crash = `the node exited with ${code ?? signal} while cases ${[...run.inFlight].join(', ')} were in flight`);
  try {
    await installation.start();
    await installation.unthrottle();
    const target = await setUp(installation);
    const indices = o.only ?? Array.from({ length: o.cases }, (_, i) => i);
    log(`fuzz: seed ${o.seed}, ${target.commands.length} commands, ${indices.length} case(s), ${o.concurrency} in flight`);
    const start = await node.memory(true);
    run.rssPeak = start.rss;
    const began = Date.now();
    await Promise.all(Array.from({ length: o.concurrency }, (_, w) => run.worker(w, indices, target, node, began)));
    const durationMs = Date.now() - began;
    const end = run.crash ? undefined : await node.memory(true).catch(() => undefined);
    return { ...run.report(start, end), durationMs, nodeErrorLines: node.errorLines, firstNodeErrors: node.firstErrors };
  } finally {
    await installation.stop();
  }
}

/** The state of one run: what its workers share, and the report made of it. */
class Run {
  crash: string | undefined;
  readonly inFlight = new Set<number>();
  rssPeak = 0;
  private readonly failures: Failure[] = [];
  private readonly byKind: Record<string, number> = {};
  private readonly counters: Counters = { retried: 0, answers: new Map() };
  private readonly slowest: SlowCase[] = [];
  private next = 0;
  private done = 0;

  constructor(
    private readonly o: FuzzOptions,
    private readonly log: (line: string) => void,
  ) {}

  async worker(w: number, indices: number[], target: Target, node: NodeProcess, began: number): Promise<void> {
    while (this.next < indices.length && !this.crash) {
      const index = indices[this.next++];
      let c: FuzzCase;
      try {
        c = fuzzCase(this.o.seed, index, target);
      } catch (err) {
        // A fault of the bench, not of the node: reported, and the run goes on.
        this.failures.push({ index, kind: 'rest-body', why: `bench: generating the case failed: ${(err as Error).message}`, note: '' });
        continue;
      }
      const kind = 'http' in c ? c.http.kind : c.ws.kind;
      this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
      this.inFlight.add(index);
      const caseStart = Date.now();
      const why = await runCase(c, target, `fuzzws${w}`, this.o.timeoutMs, this.counters);
      this.inFlight.delete(index);
      noteSlow(this.slowest, { index, ms: Date.now() - caseStart, at: caseStart - began, kind });
      if (why) this.failures.push({ index, kind, why, note: 'http' in c ? `${c.http.method} ${c.http.path.split('?')[0].slice(0, 80)} ${c.http.note}` : c.ws.note });
      if (this.o.only?.length === 1) this.log(`case ${index}: ${describe(c)}`);
      if (++this.done % this.o.sampleEvery === 0 && !this.crash) await this.sample(node, indices.length);
    }
  }

  private async sample(node: NodeProcess, total: number): Promise<void> {
    const m = await node.memory().catch(() => undefined);
    if (m) this.rssPeak = Math.max(this.rssPeak, m.rss);
    this.log(`fuzz: ${this.done}/${total} cases, ${this.failures.length} failure(s), RSS ${Math.round((m?.rss ?? 0) / MB)} MB`);
  }

  report(start: Memory, end: Memory | undefined): Omit<FuzzReport, 'durationMs' | 'nodeErrorLines' | 'firstNodeErrors'> {
    const o = this.o;
    const rssPeak = Math.max(this.rssPeak, end?.rss ?? 0);
    const classes: Record<string, number> = {};
    for (const f of this.failures) classes[classOf(f.why)] = (classes[classOf(f.why)] ?? 0) + 1;
    return {
      seed: o.seed,
      cases: this.done,
      byKind: this.byKind,
      failures: this.failures.sort((a, b) => a.index - b.index),
      classes,
      retried: this.counters.retried,
      answers: [...this.counters.answers].sort((a, b) => b[1] - a[1]),
      slowest: this.slowest,
      crash: this.crash,
      memory: {
        rssStartMb: Math.round(start.rss / MB),
        rssPeakMb: Math.round(rssPeak / MB),
        rssEndMb: Math.round((end?.rss ?? NaN) / MB),
        heapStartMb: Math.round(start.heapUsed / MB),
        heapEndMb: Math.round((end?.heapUsed ?? NaN) / MB),
        bounded: end !== undefined && rssPeak / MB <= o.maxRssMb && (end.heapUsed - start.heapUsed) / MB <= o.maxHeapGrowthMb,
      },
    };
  }
}

type Memory = { rss: number; heapUsed: number };

/** A case in full, for `--only`. */
function describe(c: FuzzCase): string {
  return JSON.stringify('http' in c ? { ...c.http, body: c.http.body?.toString('utf8').slice(0, 2000) } : { ...c.ws, data: c.ws.data.toString('utf8').slice(0, 2000) });
}

export interface SlowCase {
  index: number;
  kind: Kind;
  /** Duration, and start after the first case, ms. */
  ms: number;
  at: number;
}

function noteSlow(slowest: SlowCase[], c: SlowCase): void {
  if (slowest.length >= 8 && c.ms <= slowest[slowest.length - 1].ms) return;
  slowest.push(c);
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 8);
}

function classOf(why: string): string {
  if (why.startsWith('bench')) return 'bench';
  if (why.startsWith('HTTP 5')) return '5xx';
  if (why.startsWith('internal')) return 'internal';
  if (/no reply|no answer|not answered|within/.test(why)) return 'hang';
  if (/socket|closed|heartbeat/.test(why)) return 'socket';
  return 'connection';
}

interface Counters {
  retried: number;
  answers: Map<string, number>;
}

async function runCase(c: FuzzCase, target: Target, wsUser: string, timeoutMs: number, counters: Counters): Promise<string | undefined> {
  const tally = (what: string) => counters.answers.set(what, (counters.answers.get(what) ?? 0) + 1);
  if ('ws' in c) return runWsCase(c.ws, target, wsUser, timeoutMs, tally).catch((err: Error) => `socket: ${err.message}`);
  const outcome = await sendHttp(target.port, c.http, timeoutMs, counters).catch((err: Error) => err);
  if (outcome instanceof Error) {
    if (c.http.oversize && /EPIPE|ECONNRESET|socket hang up/.test(outcome.message)) return undefined;
    return `connection: ${outcome.message}`;
  }
  return judgeHttp(c.http, outcome, tally);
}

/** Accounts, a group of every type, a few messages; the served commands from /openapi.json. */
async function setUp(installation: Installation): Promise<Target> {
  const node = installation.nodes[0];
  const ok = async (command: string, body: object) => {
    const answer = await installation.rest<{ ErrorCode: number; ErrorInfo: string; GroupId?: string }>(node, command, body);
    if (answer.ErrorCode !== 0) throw new Error(`set-up ${command}: ${answer.ErrorCode} ${answer.ErrorInfo}`);
    return answer;
  };
  await ok('im_open_login_svc/multiaccount_import', { Accounts: POOL_USERS });
  const groups: string[] = [];
  for (const Type of ['Public', 'Work', 'Meeting', 'AVChatRoom', 'Community']) {
    const members = Type === 'AVChatRoom' ? [] : POOL_USERS.slice(1, 3).map((Member_Account) => ({ Member_Account }));
    groups.push((await ok('group_open_http_svc/create_group', { Owner_Account: POOL_USERS[0], Type, Name: `fuzz ${Type}`, MemberList: members })).GroupId!);
  }
  const text = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'seed' } }];
  for (let i = 0; i < 3; i++) {
    await ok('openim/sendmsg', { From_Account: POOL_USERS[0], To_Account: POOL_USERS[1], MsgRandom: i + 1, MsgBody: text });
    await ok('group_open_http_svc/send_group_msg', { GroupId: groups[0], From_Account: POOL_USERS[0], Random: i + 1, MsgBody: text });
  }
  const doc = (await (await fetch(`${node.baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: JsonSchema } } }; 'x-tencent-error-codes': { internal: number } } }>;
  };
  const commands: CommandInfo[] = Object.entries(doc.paths).map(([path, { post }]) => ({
    name: path.replace(/^\/v4\//, ''),
    schema: post.requestBody.content['application/json'].schema,
    internalCode: post['x-tencent-error-codes'].internal,
  }));
  if (commands.length < 20) throw new Error(`only ${commands.length} commands served`);
  return { port: node.port, sdkAppId: installation.sdkAppId, secret: installation.secret, admin: ADMIN, commands, pool: { users: POOL_USERS, groups } };
}
