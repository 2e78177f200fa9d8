/**
 * Kept-alive connections to app backends, per origin: up to MAX_CONNECTIONS undici Clients of
 * one connection each (no pipelining: one POST per connection at a time, as Tencent sends
 * them), the idle ones reused newest first so a quiet period lets the oldest time out.
 *
 * A Client per connection rather than undici's Pool, because only then does a request know
 * whether its connection had answered before: the one retry of http.ts is for a kept-alive
 * connection the backend closed meanwhile, never for a fresh one that failed.
 */
import { Client } from 'undici';

// As many idle connections kept as may be busy: a burst must not close connections the next burst reopens.
const MAX_CONNECTIONS = 256;
/** Idle connections close after this (ms), or sooner when the backend's Keep-Alive header says so. */
const KEEP_ALIVE_MS = 60_000;
/** Longer than the longest timeoutMs (30 s): the request's own deadline ends a connect first. */
const CONNECT_TIMEOUT_MS = 30_000;
/** Origins remembered per lane; past this the least recently used idle one is closed. */
const MAX_ORIGINS = 64;

export class Connection {
  /** Answers completed on the current connection: 0 = the next request opens a fresh one. */
  answered = 0;

  constructor(readonly client: Client) {
    client.on('disconnect', () => (this.answered = 0));
  }
}

interface Waiter {
  use(c: Connection): void;
  cancelled: boolean;
}

const connect = (origin: string) => new Connection(new Client(origin, { pipelining: 1, keepAliveTimeout: KEEP_ALIVE_MS, connectTimeout: CONNECT_TIMEOUT_MS }));

class Origin {
  private readonly idle: Connection[] = [];
  private readonly waiting: Waiter[] = [];
  private size = 0;

  constructor(private readonly origin: string) {}

  get busy(): boolean {
    return this.idle.length < this.size;
  }

  /** Calls `use` with a connection, now or once one is released; the function returned gives up waiting. */
  acquire(use: (c: Connection) => void): () => void {
    const ready = this.idle.pop();
    if (ready) return use(ready), noop;
    if (this.size < MAX_CONNECTIONS) {
      this.size++;
      return use(connect(this.origin)), noop;
    }
    const waiter: Waiter = { use, cancelled: false };
    this.waiting.push(waiter);
    return () => (waiter.cancelled = true);
  }

  /** Hands a connection whose request is over to the next waiter, or keeps it idle. */
  release(c: Connection): void {
    // A Client destroyed to end a request stuck in connecting is replaced.
    const next = c.client.destroyed ? connect(this.origin) : c;
    for (let w = this.waiting.shift(); w; w = this.waiting.shift()) {
      if (!w.cancelled) return w.use(next);
    }
    this.idle.push(next);
  }

  close(): void {
    for (const c of this.idle.splice(0)) void c.client.close();
  }
}

const noop = () => undefined;

export class Connections {
  private readonly origins = new Map<string, Origin>();

  of(origin: string): Origin {
    let o = this.origins.get(origin);
    if (o) {
      // Map order is recency order: re-insert on use.
      this.origins.delete(origin);
    } else {
      o = new Origin(origin);
      if (this.origins.size >= MAX_ORIGINS) this.evict();
    }
    this.origins.set(origin, o);
    return o;
  }

  private evict(): void {
    for (const [key, o] of this.origins) {
      if (o.busy) continue;
      o.close();
      this.origins.delete(key);
      return;
    }
  }
}

export type { Origin };
