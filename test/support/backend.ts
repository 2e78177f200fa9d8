/**
 * A real HTTP server standing in for an app backend in webhook tests: records every callback
 * request (query, body, arrival time) and answers what the test says — JSON, garbage, an
 * HTTP error, a slow answer or a dropped connection.
 */
import http from 'node:http';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  query: Record<string, string>;
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

export interface Reply {
  status?: number;
  /** An object is sent as JSON, a string as is. Default: Tencent's OK envelope. */
  body?: unknown;
  delayMs?: number;
  /** Close the connection without answering. */
  destroy?: boolean;
}

export type Responder = (request: Received) => Reply | Promise<Reply>;

export const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

export class TestBackend {
  readonly received: Received[] = [];
  respond: Responder = () => ({});
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/im/callback`;
  }

  /** Listens on `port` (0 = any free one; the same one again after stop(), for restarts). */
  async start(port = this.port): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  of(command: string): Received[] {
    return this.received.filter((r) => r.query.CallbackCommand === command);
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${this.received.length})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://backend');
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // recorded raw; the test looks at it
    }
    const received: Received = { path: url.pathname, query: Object.fromEntries(url.searchParams), raw, body, at: Date.now() };
    this.received.push(received);
    const reply = await this.respond(received);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.destroy) return void req.socket.destroy();
    const payload = reply.body === undefined ? JSON.stringify(OK) : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' }).end(payload);
  }
}

/** The parts of a broker `configureCallbacks` calls: apps.update and apps.get. */
interface AppsCaller {
  call<T, P>(action: string, params: P): Promise<T>;
}

/**
 * Changes an app's callback settings as the console would (apps.update) and waits until the
 * node's app directory serves them, so the next request already uses them.
 */
export async function configureCallbacks(broker: AppsCaller, sdkAppId: number, callback: Record<string, unknown>): Promise<void> {
  const app = await broker.call<{ settings: unknown }, object>('apps.update', { sdkAppId, settings: { callback } });
  const want = JSON.stringify(app.settings);
  const deadline = Date.now() + 5000;
  while (JSON.stringify((await broker.call<{ settings: unknown } | null, object>('apps.get', { sdkAppId }))?.settings) !== want) {
    if (Date.now() > deadline) throw new Error('the app directory did not take the new callback settings');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A callback's body without CallbackCommand and EventTime, after checking those two once. */
export function callbackFields(r: Received): Record<string, unknown> {
  const { CallbackCommand, EventTime, ...rest } = r.body;
  expect(CallbackCommand).to.equal(r.query.CallbackCommand);
  expect(EventTime).to.be.a('number');
  return rest;
}
