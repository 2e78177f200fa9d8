/**
 * A load-generator process of bench/load.ts: SDK-frame clients (the web SDK's binary JSON frames
 * over `ws`, UserSig login in the head) and, in REST mode, an app backend's keep-alive HTTP pool
 * (undici). Never in a server's process.
 *
 * A *flow* is one sender with a window of messages in flight: a pair's sender socket
 * (`openim.sendmsg`), a group's first member (`group_open_http_svc.send_group_msg`), or a REST
 * sender (`POST /v4/openim/sendmsg` as the administrator, SyncOtherMachine 2). A message stays in
 * flight until it is acknowledged *and* received by every recipient (closed loop: the load never
 * runs ahead of delivery), refused, or older than the message timeout; then the flow sends the
 * next. MsgRandom is `base + k` (k the flow's counter, `base` distinct per run), which identifies
 * each push item, so the client checks that every acknowledged message reached each recipient
 * exactly once and times send → receive in one process (performance.now()).
 *
 * IPC (structured clone), parent → child → parent:
 *   {type:'connect', plan}  → {type:'connected', failures}
 *   {type:'start'}          (sending begins)
 *   {type:'mark', at:0|1}   → {type:'marked'}  (opens and closes the measured window)
 *   {type:'stop'}           → {type:'result', result}  (stops sending, drains, verifies, closes)
 */
import { Pool } from 'undici';
import { WebSocket } from 'ws';
import { genUserSig } from '../services/auth/usersig';

export type Mode = 'c2c' | 'group' | 'rest';

export interface PairPlan {
  sender: string;
  receiver: string;
  /** Gateway port of the sender's socket (c2c) or of its REST calls (rest). */
  senderPort: number;
  receiverPort: number;
}

export interface GroupPlan {
  groupId: string;
  /** Every member is online; the first one sends. */
  members: string[];
  /** Gateway port of each member's socket. */
  ports: number[];
}

export interface Plan {
  mode: Mode;
  app: number;
  secret: string;
  admin: string;
  /** Distinct per run against the same target: MsgRandom base, instance ids. */
  run: number;
  window: number;
  timeoutMs: number;
  drainMs: number;
  /** REST: keep-alive connections per gateway port. */
  restConnections: number;
  pairs?: PairPlan[];
  groups?: GroupPlan[];
}

export interface LoadResult {
  flows: number;
  sent: number;
  acked: number;
  /** Refusals by ErrorCode (or "http" for a failed request). */
  refused: Record<string, number>;
  /** Sent, never answered (within the run and its drain). */
  noReply: number;
  /** Messages that held a window slot past the message timeout. */
  timedOut: number;
  /** Acknowledged messages × their recipients. */
  expected: number;
  /** Of those, received (first copies). */
  received: number;
  lost: number;
  duplicated: number;
  /** Push items naming no message this run sent. */
  unexpected: number;
  /** Receipts of messages never acknowledged (refused or unanswered). */
  unackedDelivered: number;
  windowMs: number;
  windowDeliveries: number;
  windowAcked: number;
  /** Send → receive of each first receipt inside the window, ms. */
  latencies: Float64Array;
  /** This process's CPU over the window, µs. */
  cpuUs: number;
  loginFailures: number;
}

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Randoms of run r start at (r % 200 + 1) · 2^24: unique per sender within Parley's dedup window. */
const randomBase = (run: number) => ((run % 200) + 1) * 2 ** 24;
const TOO_FREQUENT = 60007;

type Body = Record<string, unknown>;
type PushItem = { From_Account?: string; ToGroupId?: string; MsgRandom?: number };

/** One SDK socket: replies matched by seq, everything else is a push. */
class Conn {
  private seq = 0;
  private readonly pending = new Map<number, (body: Body) => void>();
  private head = '';
  onPush: (body: Body) => void = () => undefined;

  constructor(
    readonly ws: WebSocket,
    readonly user: string,
  ) {
    ws.on('message', (data: Buffer) => {
      let frame: { head?: { seq?: number }; body?: Body };
      try {
        frame = JSON.parse(data.toString('utf8')) as typeof frame;
      } catch {
        return;
      }
      const seq = frame.head?.seq;
      const reply = seq === undefined ? undefined : this.pending.get(seq);
      if (reply) {
        this.pending.delete(seq as number);
        reply(frame.body ?? {});
      } else if (frame.body) this.onPush(frame.body);
    });
    ws.on('error', () => undefined);
  }

  static open(port: number, plan: Plan, user: string): Promise<Conn> {
    const url = `ws://127.0.0.1:${port}/binfo?sdkappid=${plan.app}&instanceid=load${plan.run}x${user}&platform=7&random=${Math.random()}`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Conn(ws, user)));
      ws.once('error', reject);
    });
  }

  /** wslogin with the UserSig in the head, as the SDK's first login; the later head carries the reply's A2Key and TinyId. */
  login(plan: Plan): Promise<void> {
    const usersig = genUserSig({ sdkAppId: plan.app, secretKey: plan.secret, identifier: this.user, expireSeconds: 86400 });
    const base = { ver: 'v4', platform: 7, websdkappid: 537048168, websdkversion: '1.7.3', sdkappid: plan.app, contenttype: 'json', reqtime: Math.floor(Date.now() / 1000) };
    const seq = ++this.seq;
    const head = { ...base, identifier: this.user, usersig, status_instid: 0, servcmd: 'im_open_status.wslogin', seq, cs: 0 };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`login of ${this.user} unanswered`)), 30_000);
      this.pending.set(seq, (body) => {
        clearTimeout(timer);
        if (body.ErrorCode) return reject(new Error(`login of ${this.user}: ${body.ErrorCode} ${String(body.ErrorInfo)}`));
        const after = { ...base, a2: body.A2Key, tinyid: body.TinyId, status_instid: body.InstId, sdkability: 75689843, sdkability_ext: '', cappid: 0 };
        this.head = JSON.stringify(after).slice(1, -1);
        resolve();
      });
      this.ws.send(Buffer.from(JSON.stringify({ head, body: { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' } })));
    });
  }

  /** One request; `body` is already JSON (the hot path builds it as a string). */
  request(servcmd: string, body: string, onReply: (body: Body) => void): void {
    const seq = ++this.seq;
    this.pending.set(seq, onReply);
    this.ws.send(Buffer.from(`{"head":{${this.head},"servcmd":"${servcmd}","seq":${seq},"cs":0},"body":${body}}`));
  }

  close(): void {
    this.ws.terminate();
  }
}

const PENDING = 0;
const ACKED = 1;
const REFUSED = 2;

/** One sender and what happened to each of its messages, indexed by k (MsgRandom − base). */
class Flow {
  readonly sentAt: number[] = [];
  readonly state: number[] = [];
  /** First receipts (distinct recipients). */
  readonly got: number[] = [];
  readonly finished: boolean[] = [];
  /** Group flows: which member already received message k. */
  readonly seen: Uint8Array[] = [];
  readonly inFlight = new Set<number>();

  constructor(
    readonly recipients: number,
    readonly issue: (flow: Flow, k: number) => void,
  ) {}
}

class Load {
  private readonly flows: Flow[] = [];
  private readonly conns: Conn[] = [];
  private readonly pools: Pool[] = [];
  private readonly refused: Record<string, number> = {};
  private running = false;
  private inWindow = false;
  private t0 = 0;
  private t1 = 0;
  private cpu0: NodeJS.CpuUsage = { user: 0, system: 0 };
  private cpuUs = 0;
  private latencies: number[] = [];
  private windowDeliveries = 0;
  private windowAcked = 0;
  private duplicated = 0;
  private unexpected = 0;
  private timedOut = 0;
  loginFailures = 0;
  private readonly base: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(readonly plan: Plan) {
    this.base = randomBase(plan.run);
  }

  async connect(): Promise<void> {
    const p = this.plan;
    const sockets: { user: string; port: number; bind: (c: Conn) => void }[] = [];
    if (p.mode === 'c2c' || p.mode === 'rest') {
      const bySender = new Map<string, Flow>();
      const pools = new Map<number, Pool>();
      const adminSig = genUserSig({ sdkAppId: p.app, secretKey: p.secret, identifier: p.admin, expireSeconds: 86400 });
      let requests = 0;
      for (const pair of p.pairs ?? []) {
        let flow: Flow;
        if (p.mode === 'c2c') {
          let conn: Conn | undefined;
          flow = new Flow(1, (f, k) => {
            const body = `{"From_Account":"${pair.sender}","To_Account":"${pair.receiver}","MsgSeq":${k + 1},"MsgRandom":${this.base + k},"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"load ${k}"}}],"CloudCustomData":"","From_AccountNick":"","From_AccountHeadurl":"","MsgClientTime":${Math.floor(Date.now() / 1000)},"IsNeedReadReceipt":0,"SupportMessageExtension":0,"IsRelayMsg":0}`;
            conn!.request('openim.sendmsg', body, (reply) => this.onAck(f, k, Number(reply.ErrorCode ?? 0)));
          });
          sockets.push({ user: pair.sender, port: pair.senderPort, bind: (c) => (conn = c) });
        } else {
          let pool = pools.get(pair.senderPort);
          if (!pool) {
            pools.set(pair.senderPort, (pool = new Pool(`http://127.0.0.1:${pair.senderPort}`, { connections: p.restConnections, pipelining: 1 })));
            this.pools.push(pool);
          }
          const sendPool = pool;
          const query = `sdkappid=${p.app}&identifier=${p.admin}&usersig=${encodeURIComponent(adminSig)}&contenttype=json&random=`;
          flow = new Flow(1, (f, k) => {
            const body = `{"SyncOtherMachine":2,"From_Account":"${pair.sender}","To_Account":"${pair.receiver}","MsgRandom":${this.base + k},"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"load ${k}"}}]}`;
            sendPool
              .request({ method: 'POST', path: `/v4/openim/sendmsg?${query}${++requests}`, body, headers: { 'content-type': 'application/json' } })
              .then((res) => res.body.json() as Promise<Body>)
              .then(
                (reply) => this.onAck(f, k, Number(reply.ErrorCode ?? 0)),
                () => this.onAck(f, k, -1),
              );
          });
        }
        bySender.set(pair.sender, flow);
        this.flows.push(flow);
        sockets.push({
          user: pair.receiver,
          port: pair.receiverPort,
          bind: (c) => (c.onPush = (body) => this.onPush(body, 'C2cMsgArray', (item) => (item.From_Account === undefined ? undefined : bySender.get(item.From_Account)), 0)),
        });
      }
    } else {
      for (const g of p.groups ?? []) {
        let sender: Conn | undefined;
        const flow = new Flow(g.members.length, (f, k) => {
          const body = `{"GroupId":"${g.groupId}","Random":${this.base + k},"MsgPriority":"Normal","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"load ${k}"}}],"From_Account":"${g.members[0]}","OnlineOnlyFlag":0,"CloudCustomData":"","MsgClientTime":${Math.floor(Date.now() / 1000)}}`;
          sender!.request('group_open_http_svc.send_group_msg', body, (reply) => this.onAck(f, k, Number(reply.ErrorCode ?? 0)));
        });
        this.flows.push(flow);
        g.members.forEach((user, m) =>
          sockets.push({
            user,
            port: g.ports[m],
            bind: (c) => {
              if (m === 0) sender = c;
              c.onPush = (body) => this.onPush(body, 'GroupMsgArray', (item) => (item.ToGroupId === g.groupId ? flow : undefined), m);
            },
          }),
        );
      }
    }
    // Log everyone in, 50 at a time.
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < sockets.length) {
          const s = sockets[next++];
          try {
            const conn = await Conn.open(s.port, p, s.user);
            this.conns.push(conn);
            s.bind(conn);
            await conn.login(p);
          } catch (err) {
            if (this.loginFailures++ === 0) console.error(`load client: ${(err as Error).message}`);
          }
        }
      }),
    );
    // An SDK sends heartbeat.alive after 10 s without downlink frames; an idle receiver would be dropped at 60 s.
    this.timers.push(setInterval(() => this.conns.forEach((c) => c.request('heartbeat.alive', '{}', () => undefined)), 10_000));
  }

  start(): void {
    this.running = true;
    this.timers.push(setInterval(() => this.sweep(), 100));
    for (const flow of this.flows) for (let i = 0; i < this.plan.window; i++) this.send(flow);
  }

  private send(flow: Flow): void {
    if (!this.running) return;
    const k = flow.sentAt.length;
    flow.sentAt.push(now());
    flow.state.push(PENDING);
    flow.got.push(0);
    flow.finished.push(false);
    if (flow.recipients > 1) flow.seen.push(new Uint8Array(flow.recipients));
    flow.inFlight.add(k);
    flow.issue(flow, k);
  }

  private finish(flow: Flow, k: number): void {
    if (flow.finished[k]) return;
    flow.finished[k] = true;
    flow.inFlight.delete(k);
    if (!this.running) return;
    // A flood refusal frees the slot a little later, so a refused sender does not spin.
    if (flow.state[k] === REFUSED) setTimeout(() => this.send(flow), 5);
    else this.send(flow);
  }

  private onAck(flow: Flow, k: number, code: number): void {
    if (code === 0) {
      flow.state[k] = ACKED;
      if (this.inWindow) this.windowAcked++;
      if (flow.got[k] >= flow.recipients) this.finish(flow, k);
    } else {
      const key = code === -1 ? 'http' : String(code);
      this.refused[key] = (this.refused[key] ?? 0) + 1;
      flow.state[k] = REFUSED;
      if (code !== TOO_FREQUENT && this.refused[key] === 1) console.error(`load client: a send was refused with ${key}`);
      this.finish(flow, k);
    }
  }

  private onPush(body: Body, key: 'C2cMsgArray' | 'GroupMsgArray', flowOf: (item: PushItem) => Flow | undefined, member: number): void {
    const events = body.EventArray as Record<string, unknown>[] | undefined;
    if (!Array.isArray(events)) return;
    const at = now();
    for (const event of events) {
      const items = event[key] as PushItem[] | undefined;
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const flow = flowOf(item);
        const k = Number(item.MsgRandom) - this.base;
        if (!flow || !(k >= 0 && k < flow.sentAt.length)) {
          this.unexpected++;
          continue;
        }
        if (flow.recipients > 1) {
          const seen = flow.seen[k];
          if (seen[member]++ > 0) {
            this.duplicated++;
            continue;
          }
        } else if (flow.got[k] > 0) {
          this.duplicated++;
          continue;
        }
        flow.got[k]++;
        if (this.inWindow) {
          this.windowDeliveries++;
          this.latencies.push(at - flow.sentAt[k]);
        }
        if (flow.state[k] === ACKED && flow.got[k] >= flow.recipients) this.finish(flow, k);
      }
    }
  }

  /** Frees the slots of messages older than the timeout (they still count as lost if never received). */
  private sweep(): void {
    const limit = now() - this.plan.timeoutMs;
    for (const flow of this.flows) {
      for (const k of flow.inFlight) {
        if (flow.sentAt[k] > limit) continue;
        this.timedOut++;
        this.finish(flow, k);
      }
    }
  }

  mark(at: 0 | 1): void {
    if (at === 0) {
      this.inWindow = true;
      this.t0 = now();
      this.cpu0 = process.cpuUsage();
      this.latencies = [];
      this.windowDeliveries = 0;
      this.windowAcked = 0;
    } else {
      this.inWindow = false;
      this.t1 = now();
      const cpu = process.cpuUsage(this.cpu0);
      this.cpuUs = cpu.user + cpu.system;
    }
  }

  async stop(): Promise<LoadResult> {
    this.running = false;
    const deadline = now() + this.plan.drainMs;
    while (now() < deadline && this.flows.some((f) => f.inFlight.size > 0)) await sleep(20);
    await sleep(300); // late duplicates
    for (const t of this.timers) clearInterval(t);
    const r: LoadResult = {
      flows: this.flows.length,
      sent: 0,
      acked: 0,
      refused: this.refused,
      noReply: 0,
      timedOut: this.timedOut,
      expected: 0,
      received: 0,
      lost: 0,
      duplicated: this.duplicated,
      unexpected: this.unexpected,
      unackedDelivered: 0,
      windowMs: this.t1 - this.t0,
      windowDeliveries: this.windowDeliveries,
      windowAcked: this.windowAcked,
      latencies: Float64Array.from(this.latencies),
      cpuUs: this.cpuUs,
      loginFailures: this.loginFailures,
    };
    for (const flow of this.flows) {
      r.sent += flow.sentAt.length;
      flow.state.forEach((state, k) => {
        if (state === ACKED) {
          r.acked++;
          r.expected += flow.recipients;
          r.received += flow.got[k];
          r.lost += flow.recipients - flow.got[k];
        } else {
          if (state === PENDING) r.noReply++;
          r.unackedDelivered += flow.got[k];
        }
      });
    }
    for (const c of this.conns) c.close();
    await Promise.all(this.pools.map((p) => p.close()));
    return r;
  }
}

if (require.main === module) {
  let load: Load | undefined;
  type In = { type: 'connect'; plan: Plan } | { type: 'start' } | { type: 'mark'; at: 0 | 1 } | { type: 'stop' };
  process.on('message', (msg: In) => {
    const reply = (m: object) => process.send?.(m);
    if (msg.type === 'connect') {
      load = new Load(msg.plan);
      void load.connect().then(() => reply({ type: 'connected', failures: load?.loginFailures ?? 0 }));
    } else if (msg.type === 'start') load?.start();
    else if (msg.type === 'mark') {
      load?.mark(msg.at);
      reply({ type: 'marked' });
    } else if (msg.type === 'stop') void load?.stop().then((result) => reply({ type: 'result', result }));
  });
  process.on('disconnect', () => process.exit(0));
}
