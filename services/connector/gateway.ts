/**
 * The SDK's WebSocket endpoint on the gateway's HTTP server: accepts sockets on `…/binfo`
 * (and `…/info`, text frames), keeps the node-local registry of sessions by user, drops dead
 * connections on a sweep, and hands every frame to the router (handlers.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { clientIpOf } from '../commands/commands';
import { deviceOf, type IdleTimes } from './platform';
import { Session } from './session';

/** RFC 6455 close code: the endpoint is going away (a server shutting down). */
const GOING_AWAY = 1001;

export interface GatewayOptions {
  /** Largest frame accepted from a client, bytes; larger ones close the socket with 1009. */
  maxFrameBytes: number;
  /** Bytes queued for one client before it is cut off as too slow. */
  maxBufferedBytes: number;
  /** How often idle sockets are looked for, ms. */
  sweepMs: number;
  /** Silence after which a connection is dropped, per platform class. */
  idle: IdleTimes;
}

export interface GatewayEvents {
  frame(session: Session, data: Buffer): void;
  closed(session: Session): void;
}

const PATH = /\/b?info$/;

export class Gateway {
  readonly wss: WebSocketServer;
  /** Logged-in sessions by `app\0user`. */
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly all = new Set<Session>();
  private sweeper: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  readonly counters = { accepted: 0, slow: 0, idle: 0, pushed: 0 };
  /** Frames served per known servcmd (stats; tests use it to catch request loops). */
  readonly served = new Map<string, number>();

  constructor(
    readonly options: GatewayOptions,
    private readonly events: GatewayEvents,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  }

  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.sweeper = setInterval(() => this.sweep(Date.now()), this.options.sweepMs);
    this.sweeper.unref();
  }

  /**
   * Graceful stop: no new upgrades, and every socket closed with 1001 (going away) so clients
   * and proxies see a clean close, not a reset. Tencent's SDK reconnects whatever the code (it
   * reads none: facts in docs/sdk-protocol.md), to whichever node the address now leads to.
   * Sockets that do not finish the closing handshake within `graceMs` are cut.
   */
  async close(graceMs = 1000): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    clearInterval(this.sweeper);
    const closing = [...this.all].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === s.ws.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          s.ws.close(GOING_AWAY, 'server shutting down');
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closing), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const s of this.all) s.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  get size(): number {
    return this.all.size;
  }

  get loggedIn(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Distinct logged-in users per app on this node (statistics' online samples). */
  usersByApp(): Map<number, number> {
    const out = new Map<number, number>();
    for (const key of this.byUser.keys()) {
      const app = Number(key.slice(0, key.indexOf('\u0000')));
      out.set(app, (out.get(app) ?? 0) + 1);
    }
    return out;
  }

  sessionsOf(app: number, userId: string): Session[] {
    return [...(this.byUser.get(`${app}\u0000${userId}`) ?? [])];
  }

  register(s: Session): void {
    const key = `${s.sdkAppId}\u0000${s.user!.userId}`;
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    set.add(s);
  }

  unregister(s: Session): void {
    if (!s.user) return;
    const key = `${s.sdkAppId}\u0000${s.user.userId}`;
    const set = this.byUser.get(key);
    set?.delete(s);
    if (set?.size === 0) this.byUser.delete(key);
  }

  send(s: Session, frame: Buffer): boolean {
    const sent = s.send(frame, this.options.maxBufferedBytes);
    if (!sent && s.closed) this.counters.slow++;
    return sent;
  }

  /** Writes a pre-built WebSocket frame (room fan-out). */
  write(s: Session, framed: Buffer): boolean {
    const sent = s.write(framed, this.options.maxBufferedBytes);
    if (!sent && s.closed) this.counters.slow++;
    return sent;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // This runs inside the HTTP parser's callback: a throw here is an uncaught exception that
    // ends the process. `new URL` throws on request targets such as `//a:99999/binfo` (read as
    // a host with a bad port), so one unauthenticated request used to kill the node.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      return refuseUpgrade(socket, '400 Bad Request');
    }
    if (!PATH.test(url.pathname)) {
      // Not ours: another upgrade handler may take it; with none, answer rather than leave the socket hanging.
      if (this.server && this.server.listenerCount('upgrade') === 1) refuseUpgrade(socket, '404 Not Found');
      return;
    }
    const sdkAppId = Number(url.searchParams.get('sdkappid'));
    const instId = url.searchParams.get('instanceid') ?? '';
    if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0 || !/^[A-Za-z0-9_-]{1,64}$/.test(instId)) return refuseUpgrade(socket, '400 Bad Request');
    const device = deviceOf(url.searchParams, this.options.idle);
    const text = !url.pathname.endsWith('/binfo');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, sdkAppId, instId, device, text, Date.now());
      session.ip = clientIpOf(req.socket.remoteAddress);
      this.accept(ws, session);
    });
  };

  private accept(ws: WebSocket, s: Session): void {
    this.counters.accepted++;
    this.all.add(s);
    ws.on('message', (data: RawData) => {
      s.lastSeen = Date.now();
      this.events.frame(s, Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
    });
    ws.on('error', () => ws.terminate()); // 1009 on oversize frames, resets: the close event follows
    ws.once('close', () => {
      s.closed = true;
      this.all.delete(s);
      this.events.closed(s);
    });
  }

  private sweep(now: number): void {
    for (const s of this.all) {
      if (now - s.lastSeen > s.device.idleMs) {
        this.counters.idle++;
        s.closed = true;
        s.ws.terminate();
      }
    }
  }
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}
