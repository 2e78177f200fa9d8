/**
 * The bare router of the load bench (bench/load.ts): the protocol's ceiling on this machine. It
 * speaks the same frames as Parley for what the load uses, with plain `ws` + node:http, keeps
 * nothing but the routing tables in memory, stores nothing and checks nothing beyond parsing:
 *
 * - WebSocket `/binfo`: `im_open_status.wslogin` (the reply fields the SDK needs: TinyId, A2Key,
 *   InstId, HelloInterval, TimeStamp), `heartbeat.alive` and `im_open_status.wshello` (empty
 *   success), `openim.sendmsg` (reply + `im_open_push.msg_push` event 1 to the recipient's sockets
 *   and the sender's other sockets) and `group_open_http_svc.send_group_msg` (reply + push event 3
 *   to every member socket, the sender's included, as Parley does); other servcmds get 60009.
 * - REST `POST /v4/{service}/{command}` with the Tencent envelope: `openim/sendmsg`,
 *   `group_open_http_svc/send_group_msg`, and for the bench's set-up `create_group`,
 *   `add_group_member`, `multiaccount_import`, `account_import` (no-ops but for group members).
 *
 * Reply and push bodies have the fields and order of Parley's (services/messages/wire.ts,
 * services/groups/wire.ts, services/connector/replies.ts), so both put the same bytes on the
 * wire. Pushes are serialised once and written with `ws.send` to each socket.
 *
 * Run by bench/load.ts as a child process (IPC: `{type:'ready', port}`, answers `{type:'cpu'}`
 * and `{type:'profile'}`),
 * or alone: `npx tsx bench/bare-router.ts [--port 8090]`.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { profile, type ProfileRequest } from './load-profile';

interface Frame {
  head: { servcmd?: unknown; seq?: unknown; identifier?: unknown };
  body: Record<string, unknown>;
}

interface Group {
  type: string;
  members: Set<string>;
  seq: number;
}

const PUSH_HEAD = '{"head":{"servcmd":"im_open_push.msg_push"},"body":';
const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
const TINY_BASE = 1n << 57n;

export class BareRouter {
  /** Online sockets by user. */
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly users = new WeakMap<WebSocket, string>();
  private readonly tinyIds = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  private groupCounter = 0;
  private c2cSeq = 0;
  private requestSeq = 0;
  readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });

  constructor() {
    this.server = http.createServer((req, res) => this.http(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('upgrade', (req, socket, head) => {
      if (!(req.url ?? '').split('?')[0].endsWith('/binfo')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private tinyId(user: string): string {
    let id = this.tinyIds.get(user);
    if (!id) {
      const hash = createHash('sha256').update(user).digest();
      this.tinyIds.set(user, (id = (TINY_BASE + (hash.readBigUInt64BE(0) % (1n << 48n))).toString()));
    }
    return id;
  }

  // --- WebSocket ---

  private accept(ws: WebSocket): void {
    ws.on('message', (data: RawData) => this.frame(ws, data as Buffer));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      const user = this.users.get(ws);
      if (user === undefined) return;
      const set = this.sockets.get(user);
      set?.delete(ws);
      if (set?.size === 0) this.sockets.delete(user);
    });
  }

  private reply(ws: WebSocket, servcmd: string, seq: unknown, body: object): void {
    ws.send(Buffer.from(JSON.stringify({ head: { servcmd, seq }, body })));
  }

  private frame(ws: WebSocket, data: Buffer): void {
    let frame: Frame;
    try {
      frame = JSON.parse(data.toString('utf8')) as Frame;
    } catch {
      return this.reply(ws, 'parley.frame_error', 0, { ActionStatus: 'FAIL', ErrorCode: 60003, ErrorInfo: 'the frame is not JSON' });
    }
    const head = frame?.head;
    const servcmd = head?.servcmd;
    if (typeof servcmd !== 'string') return this.reply(ws, 'parley.frame_error', 0, { ActionStatus: 'FAIL', ErrorCode: 60002, ErrorInfo: 'no head.servcmd' });
    const body = frame.body && typeof frame.body === 'object' ? frame.body : {};
    const user = this.users.get(ws);
    switch (servcmd) {
      case 'heartbeat.alive':
      case 'im_open_status.wshello':
        return this.reply(ws, servcmd, head.seq, OK);
      case 'im_open_status.wslogin':
        return this.login(ws, head, servcmd);
      case 'openim.sendmsg':
        if (user === undefined) break;
        return this.reply(ws, servcmd, head.seq, this.sendC2C(user, body, ws));
      case 'group_open_http_svc.send_group_msg':
        if (user === undefined) break;
        return this.reply(ws, servcmd, head.seq, this.sendGroup(user, body));
    }
    const code = user === undefined ? 6014 : 60009;
    this.reply(ws, servcmd, head.seq, { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: user === undefined ? 'not logged in' : `unknown command ${servcmd}` });
  }

  private login(ws: WebSocket, head: Frame['head'], servcmd: string): void {
    const user = typeof head.identifier === 'string' ? head.identifier : '';
    if (!user) return this.reply(ws, servcmd, head.seq, { ActionStatus: 'FAIL', ErrorCode: 70003, ErrorInfo: 'no identifier' });
    const previous = this.users.get(ws);
    if (previous !== undefined) this.sockets.get(previous)?.delete(ws);
    this.users.set(ws, user);
    let set = this.sockets.get(user);
    if (!set) this.sockets.set(user, (set = new Set()));
    set.add(ws);
    const instId = randomBytes(6).readUIntBE(0, 6) % 2 ** 47 || 1;
    const now = Math.floor(Date.now() / 1000);
    this.reply(ws, servcmd, head.seq, { ...OK, TinyId: this.tinyId(user), A2Key: `bare.${user}.${instId}`, InstId: instId, HelloInterval: 120, TimeStamp: now });
  }

  // --- the two sends, shared by both faces ---

  /**
   * One-to-one: the push to the recipient's sockets and the sender's other sockets (not
   * `except`); from REST not with SyncOtherMachine 2, as Parley does.
   */
  private sendC2C(from: string, b: Record<string, unknown>, except?: WebSocket, syncSender = true): object {
    const to = String(b.To_Account ?? '');
    const time = Math.floor(Date.now() / 1000);
    const random = Number(b.MsgRandom ?? 0);
    const clientSeq = b.MsgSeq === undefined ? ++this.c2cSeq : Number(b.MsgSeq);
    const msgKey = `${clientSeq}_${random}_${time}`;
    const item = {
      From_Account: from,
      To_Account: to,
      MsgSeq: clientSeq,
      MsgRandom: random,
      MsgTimeStamp: time,
      MsgClientTime: Number(b.MsgClientTime ?? 0) || time,
      TinyId: this.tinyId(from),
      MsgKey: msgKey,
      MsgBody: Array.isArray(b.MsgBody) ? b.MsgBody : [],
      CloudCustomData: String(b.CloudCustomData ?? ''),
      From_AccountNick: '',
      From_AccountHeadurl: '',
      IsNeedReadReceipt: b.IsNeedReadReceipt ? 1 : 0,
    };
    const frame = Buffer.from(PUSH_HEAD + JSON.stringify({ EventArray: [{ Event: 1, C2cMsgArray: [item] }] }) + '}');
    for (const ws of this.sockets.get(to) ?? []) ws.send(frame);
    if (from !== to && syncSender) for (const ws of this.sockets.get(from) ?? []) if (ws !== except) ws.send(frame);
    return { ...OK, MsgTime: time, MsgKey: msgKey, MsgSeq: clientSeq, MsgId: msgKey };
  }

  /** Group: the push to every member's sockets, the sender's included (as Parley does). */
  private sendGroup(from: string, b: Record<string, unknown>): object {
    const groupId = String(b.GroupId ?? '');
    const group = this.groups.get(groupId);
    if (!group) return { ActionStatus: 'FAIL', ErrorCode: 10010, ErrorInfo: 'group not found' };
    const seq = ++group.seq;
    const time = Math.floor(Date.now() / 1000);
    const item = {
      GroupInfo: { GroupId: groupId, GroupType: group.type, From_AccountNick: '', From_AccountHeadurl: '', MsgFrom_AccountExtraInfo: { NameCard: '' } },
      ToGroupId: groupId,
      From_Account: from,
      MsgSeq: seq,
      MsgRandom: Number(b.Random ?? 0),
      MsgTimeStamp: time,
      MsgClientTime: Number(b.MsgClientTime ?? 0) || time,
      TinyId: this.tinyId(from),
      MsgBody: Array.isArray(b.MsgBody) ? b.MsgBody : [],
      CloudCustomData: String(b.CloudCustomData ?? ''),
      MsgPriority: 2,
      IsPlaceMsg: 0,
      OnlineOnlyFlag: b.OnlineOnlyFlag ? 1 : 0,
      GroupAtInfo: [],
    };
    const frame = Buffer.from(PUSH_HEAD + JSON.stringify({ EventArray: [{ Event: 3, GroupMsgArray: [item] }] }) + '}');
    for (const member of group.members) for (const ws of this.sockets.get(member) ?? []) ws.send(frame);
    return { ...OK, MsgTime: time, MsgSeq: seq };
  }

  // --- REST ---

  private http(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://bare');
      if (url.pathname === '/healthz') return this.answer(res, 200, { status: 'ok' });
      const match = /^\/v4\/([a-z_]+)\/([a-z_]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) return this.answer(res, 404, this.envelope(60009, 'no such command'));
      // Parsed, never checked: the bare router has no apps and no UserSigs.
      const admin = url.searchParams.get('identifier') ?? '';
      void url.searchParams.get('sdkappid');
      void url.searchParams.get('usersig');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return this.answer(res, 200, this.envelope(90001, 'the body is not JSON'));
      }
      this.answer(res, 200, this.command(`${match[1]}/${match[2]}`, body, admin));
    });
  }

  private envelope(code: number, info: string, fields: object = {}): object {
    return { ActionStatus: code ? 'FAIL' : 'OK', ErrorInfo: info, ErrorCode: code, RequestId: `Id-bare-O-Seq-${++this.requestSeq}`, ...fields };
  }

  private command(command: string, b: Record<string, unknown>, admin: string): object {
    switch (command) {
      case 'openim/sendmsg': {
        const { ActionStatus: _a, ErrorCode: _c, ErrorInfo: _i, ...fields } = this.sendC2C(String(b.From_Account ?? admin), b, undefined, Number(b.SyncOtherMachine) !== 2) as Record<string, unknown>;
        return this.envelope(0, '', fields);
      }
      case 'group_open_http_svc/send_group_msg': {
        const reply = this.sendGroup(String(b.From_Account ?? admin), b) as Record<string, unknown>;
        if (reply.ErrorCode) return this.envelope(Number(reply.ErrorCode), String(reply.ErrorInfo));
        return this.envelope(0, '', { MsgTime: reply.MsgTime, MsgSeq: reply.MsgSeq });
      }
      case 'group_open_http_svc/create_group': {
        const groupId = `@TGS#2BARE${++this.groupCounter}`;
        const members = new Set<string>([String(b.Owner_Account ?? admin)]);
        for (const m of (b.MemberList as { Member_Account: string }[] | undefined) ?? []) members.add(m.Member_Account);
        const type = String(b.Type ?? 'Public');
        this.groups.set(groupId, { type: type === 'Work' ? 'Private' : type, members, seq: 0 });
        return this.envelope(0, '', { GroupId: groupId, Type: type, HugeGroupFlag: 0 });
      }
      case 'group_open_http_svc/add_group_member': {
        const group = this.groups.get(String(b.GroupId ?? ''));
        if (!group) return this.envelope(10010, 'group not found');
        const list = (b.MemberList as { Member_Account: string }[] | undefined) ?? [];
        for (const m of list) group.members.add(m.Member_Account);
        return this.envelope(0, '', { MemberList: list.map((m) => ({ Member_Account: m.Member_Account, Result: 1 })) });
      }
      case 'im_open_login_svc/multiaccount_import':
        return this.envelope(0, '', { FailAccounts: [] });
      case 'im_open_login_svc/account_import':
        return this.envelope(0, '');
      default:
        return this.envelope(60009, `unknown command ${command}`);
    }
  }

  private answer(res: http.ServerResponse, status: number, body: object): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const router = new BareRouter();
  const port = await router.listen(i > 0 ? Number(process.argv[i + 1]) : 0);
  if (!process.send) {
    console.log(`bare router on ws://127.0.0.1:${port} (REST /v4/…)`);
    return;
  }
  process.send({ type: 'ready', port });
  process.on('message', (msg: { type: 'cpu'; id?: number } | ProfileRequest) => {
    if (msg.type === 'cpu') process.send?.({ type: 'cpu', id: msg.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss() });
    else if (msg.type === 'profile') void profile(msg).then((reply) => process.send?.(reply), (err: Error) => process.send?.({ type: 'profiled', id: msg.id, error: err.message }));
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => void router.close().then(() => process.exit(0)));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
