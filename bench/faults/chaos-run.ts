/**
 * One chaos run: an installation in child processes under one-to-one and group load, a node
 * SIGKILLed and started again (same data folder, or same node id in the cluster) `kills`
 * times, then everything acknowledged checked against the store (chaos-verify.ts).
 */
import { Load, type Face, type KillWindow, type LoadOptions, type Stream } from './chaos-load';
import { deviceCookie, verifyStreams, verifySync, type Verdict } from './chaos-verify';
import { Installation, type Mode } from './installation';

export interface ChaosOptions extends LoadOptions {
  mode: Mode;
  kills: number;
  /** One-to-one conversations (sender → receiver) under load. */
  pairs: number;
  /** Public groups under load, and members sending in each. */
  groups: number;
  members: number;
  /** Which face the sends use: REST, the SDK's socket, or both (streams alternate). */
  via: Face | 'both';
  /** Load before the first kill, ms. */
  warmupMs: number;
  /** Load between a restarted node's readiness and the next kill, ms. */
  intervalMs: number;
  /** How long a killed node stays down before it is started again, ms. */
  downMs: number;
  /** Load after the last restart, ms. */
  settleMs: number;
  echo?: boolean;
  pg?: string;
  nats?: string;
  redis?: string;
  log?: (line: string) => void;
}

export const CHAOS_DEFAULTS: ChaosOptions = {
  mode: 'embedded',
  kills: 3,
  pairs: 4,
  groups: 2,
  members: 3,
  via: 'both',
  workers: 8,
  giveUpMs: 30_000,
  attemptTimeoutMs: 10_000,
  warmupMs: 3000,
  intervalMs: 5000,
  downMs: 500,
  settleMs: 3000,
};

export interface KillReport {
  victim: string;
  /** Sends acknowledged before this kill. */
  ackedBefore: number;
  /** Kill → the node answered ready again, ms. */
  restartMs: number;
  /** Kill → first acknowledgement of a send attempted after the kill, ms. */
  firstAckMs?: number;
  /** Kill → every conversation and group acknowledged a send attempted after the kill, ms (undefined: not before the next kill). */
  allStreamsMs?: number;
}

export interface ChaosReport {
  mode: Mode;
  verdict: Verdict;
  clientErrors: number;
  errorReasons: [string, number][];
  kills: KillReport[];
  loadMs: number;
  /** Exits of nodes nobody killed. */
  crashes: string[];
  /** Lines the nodes logged at ERROR level (failover may log some: a call to the dead node). */
  nodeErrorLines: number;
  firstNodeErrors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: Partial<ChaosOptions> & Pick<ChaosOptions, 'mode'>): Promise<ChaosReport> {
  const o: ChaosOptions = { ...CHAOS_DEFAULTS, ...options };
  const log = o.log ?? (() => undefined);
  const installation = await Installation.create(o.mode, { echo: o.echo, pg: o.pg, nats: o.nats, redis: o.redis });
  const crashes: string[] = [];
  for (const node of installation.nodes) node.onCrash = (code, signal) => crashes.push(`${node.name} exited with ${code ?? signal}`);
  let load: Load | undefined;
  try {
    log(`${o.mode}: starting ${installation.nodes.length} node(s)`);
    await installation.start();
    await installation.unthrottle();
    const { c2c, groups } = await createStreams(installation, o);
    const setupNode = installation.nodes[0];
    const devices = await Promise.all(c2c.map((s) => deviceCookie(installation, setupNode, s)));

    load = new Load(installation, [...c2c, ...groups], o);
    const loadStart = Date.now();
    load.start();
    await sleep(o.warmupMs);
    for (let k = 0; k < o.kills; k++) {
      const victim = installation.nodes[(k + 1) % installation.nodes.length];
      load.available.delete(victim.name);
      // kill() sends SIGKILL before it first yields; the window opens once the signal is sent.
      const gone = victim.kill();
      const window: KillWindow = { victim: victim.name, killAt: Date.now(), ackedBefore: load.acked, streamAcks: new Map() };
      load.windows.push(window);
      await gone;
      log(`${o.mode}: kill ${k + 1}/${o.kills}: ${victim.name} killed (${window.ackedBefore} sends acknowledged so far)`);
      await sleep(o.downMs);
      await victim.start();
      window.readyAt = Date.now();
      load.available.add(victim.name);
      log(`${o.mode}: ${victim.name} ready again after ${window.readyAt - window.killAt} ms`);
      await sleep(o.intervalMs);
    }
    await sleep(o.settleMs);
    const loadEnd = Date.now();
    await load.stop();
    log(`${o.mode}: load stopped; verifying`);

    const streams = load.streams.length;
    const via = installation.nodes.find((n) => n.up) ?? setupNode;
    const verdict = await verifyStreams(installation, via, load.streams);
    for (const device of devices) await verifySync(installation, via, device, verdict);
    return {
      mode: o.mode,
      verdict,
      clientErrors: load.clientErrors,
      errorReasons: [...load.errors].sort((a, b) => b[1] - a[1]),
      kills: load.windows.map((w, i, all) => killReport(w, all[i + 1]?.killAt ?? loadEnd, streams)),
      loadMs: loadEnd - loadStart,
      crashes,
      nodeErrorLines: installation.nodes.reduce((n, node) => n + node.errorLines, 0),
      firstNodeErrors: installation.nodes.flatMap((node) => node.firstErrors.slice(0, 3).map((line) => `${node.name}: ${line}`)),
    };
  } finally {
    load?.abort();
    await installation.stop();
  }
}

function killReport(w: KillWindow, windowEnd: number, streams: number): KillReport {
  const acks = [...w.streamAcks.values()].filter((at) => at <= windowEnd);
  return {
    victim: w.victim,
    ackedBefore: w.ackedBefore,
    restartMs: (w.readyAt ?? NaN) - w.killAt,
    firstAckMs: w.firstAckAt === undefined ? undefined : w.firstAckAt - w.killAt,
    allStreamsMs: acks.length === streams ? Math.max(...acks) - w.killAt : undefined,
  };
}

/** Accounts, and the conversations and groups the load sends to. UserIDs: letters and digits only. */
async function createStreams(installation: Installation, o: ChaosOptions): Promise<{ c2c: Stream[]; groups: Stream[] }> {
  const node = installation.nodes[0];
  const via = (i: number): Face => (o.via === 'both' ? (i % 2 === 0 ? 'rest' : 'ws') : o.via);
  const c2c: Stream[] = Array.from({ length: o.pairs }, (_, i) => ({ id: `c2c${i}-${via(i)}`, kind: 'c2c', via: via(i), users: [`chaos${i}s`, `chaos${i}r`], sends: new Map() }));
  const groups: Stream[] = Array.from({ length: o.groups }, (_, j) => ({
    id: `group${j}-${via(j)}`,
    kind: 'group',
    via: via(j),
    users: Array.from({ length: o.members }, (_, k) => `chaosg${j}m${k}`),
    sends: new Map(),
  }));
  const accounts = [...c2c, ...groups].flatMap((s) => s.users);
  for (let i = 0; i < accounts.length; i += 100) {
    const answer = await installation.rest(node, 'im_open_login_svc/multiaccount_import', { Accounts: accounts.slice(i, i + 100) });
    if (answer.ErrorCode !== 0) throw new Error(`import: ${answer.ErrorCode} ${answer.ErrorInfo}`);
  }
  for (const g of groups) {
    const created = await installation.rest<{ ErrorCode: number; ErrorInfo: string; GroupId: string }>(node, 'group_open_http_svc/create_group', {
      Owner_Account: g.users[0],
      Type: 'Public',
      Name: g.id,
      MemberList: g.users.slice(1).map((u) => ({ Member_Account: u })),
    });
    if (created.ErrorCode !== 0) throw new Error(`create_group: ${created.ErrorCode} ${created.ErrorInfo}`);
    g.groupId = created.GroupId;
  }
  return { c2c, groups };
}
