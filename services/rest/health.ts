/**
 * GET /healthz and GET /readyz, answered straight from the HTTP server.
 *
 * /healthz (liveness, and the convention tools rely on): 200 once the node serves requests, that
 * is once every service of the node has started — the SDK WebSocket attaches to the HTTP server
 * after the gateway listens, so "listening" alone answered 200 about a second before a client
 * could connect. 503 while starting and while stopping.
 *
 * /readyz (readiness, for a load balancer): 200 only when /healthz would be and the event log,
 * Redis and the transporter answer too; 503 with the failing check named otherwise, and from the
 * moment a graceful stop begins, so traffic moves away while the node drains its sockets.
 * Dependency checks are cached for a second: a load balancer polling many times a second costs
 * one store read and one Redis PING per second, not one per poll.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';

type Check = 'ok' | string;

type Checks = Record<string, Check>;

const CACHE_MS = 1000;
const CHECK_TIMEOUT_MS = 2000;

export class HealthHandler {
  private probe: { at: number; checks: Promise<Checks> } | undefined;

  /** Moleculer clears `started` as a stop begins, before it sets `stopping`: remember having served. */
  private served = false;

  constructor(private readonly broker: ServiceBroker) {
    broker.localBus.once('$broker.started', () => (this.served = true));
  }

  /** True when the request was one of ours (and is answered). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !req.url) return false;
    const path = req.url.split('?')[0];
    if (path === '/healthz') void this.liveness(res);
    else if (path === '/readyz') void this.readiness(res);
    else return false;
    return true;
  }

  private state(): 'starting' | 'stopping' | 'serving' {
    const b = this.broker as unknown as { started: boolean; stopping: boolean };
    if (b.started && !b.stopping) return 'serving';
    return this.served ? 'stopping' : 'starting';
  }

  private liveness(res: ServerResponse): void {
    const state = this.state();
    const { config } = runtimeOf(this.broker);
    const body = { status: state === 'serving' ? 'ok' : state, nodeID: this.broker.nodeID, mode: config.transporter ? 'cluster' : 'embedded', store: config.db ? 'postgres' : 'sqlite', uptimeSec: Math.round(process.uptime()) };
    send(res, state === 'serving' ? 200 : 503, body);
  }

  private async readiness(res: ServerResponse): Promise<void> {
    const state = this.state();
    if (state !== 'serving') return send(res, 503, { ready: false, status: state, nodeID: this.broker.nodeID });
    const checks = await this.dependencies();
    const ready = Object.values(checks).every((c) => c === 'ok') && this.state() === 'serving';
    send(res, ready ? 200 : 503, { ready, status: this.state(), nodeID: this.broker.nodeID, checks });
  }

  private dependencies(): Promise<Checks> {
    const now = Date.now();
    if (!this.probe || now - this.probe.at > CACHE_MS) this.probe = { at: now, checks: this.runChecks() };
    return this.probe.checks;
  }

  private async runChecks(): Promise<Checks> {
    const runtime = runtimeOf(this.broker);
    const checks: Checks = {};
    const tasks: Promise<void>[] = [check(checks, 'store', () => runtime.store.version('readyz:probe'))];
    if (runtime.redis) tasks.push(check(checks, 'redis', () => runtime.redis!.ping()));
    if (runtime.config.transporter) {
      const transit = (this.broker as unknown as { transit?: { connected: boolean } }).transit;
      checks.transporter = transit?.connected ? 'ok' : 'not connected';
    }
    await Promise.all(tasks);
    return checks;
  }
}

async function check(checks: Checks, name: string, run: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([run(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)))]);
    checks[name] = 'ok';
  } catch (err) {
    // The reason, never a URL: an adapter's error may name its server.
    checks[name] = (err as Error).message.replace(/[a-z]+:\/\/\S+/gi, '<url>');
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
