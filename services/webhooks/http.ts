/**
 * The webhooks' HTTP client as the rest of Parley calls it: `postJson` hands each request to
 * one worker thread per process (http-worker.ts, running http-client.ts) and resolves with its
 * answer. Measured on the 2-core machine, a request costs the main thread a few µs of message
 * passing instead of ~35–40 µs of HTTP work, and the actors' event loop keeps that time.
 *
 * The worker's deadline is the request's; this side also gives up a little later, so a worker
 * that died or hangs fails its requests as unreachable instead of holding their sends. A worker
 * that exits is replaced at the next request.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CallbackTransportError, type HttpAnswer, type Lane } from './http-client';
import type { CallbackTarget } from './request';

export { CallbackTransportError, type HttpAnswer, type Lane } from './http-client';

export interface WorkerRequest {
  id: number;
  origin: string;
  path: string;
  body: string;
  timeoutMs: number;
  lane: Lane;
}

export type WorkerAnswer = { id: number } & (HttpAnswer | { error: { kind: CallbackTransportError['kind']; message: string } });

/** How much later than the request's deadline this side gives up on the worker. */
const GRACE_MS = 1000;

interface Pending {
  resolve(answer: HttpAnswer): void;
  reject(err: CallbackTransportError): void;
  timer: NodeJS.Timeout;
}

/** One worker thread and the requests it has in hand. */
export class HttpWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  post(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane): Promise<HttpAnswer> {
    const worker = this.worker ?? this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, { id, error: { kind: 'timeout', message: `no answer within ${timeoutMs} ms (worker)` } }), timeoutMs + GRACE_MS);
      this.pending.set(id, { resolve, reject, timer });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, origin: url.origin, path: url.path, body, timeoutMs, lane } satisfies WorkerRequest);
    });
  }

  /** Ends the worker; its requests fail as unreachable, and the next request starts a new one. */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private start(): Worker {
    // Built, the worker is dist/…/http-worker.js; from the sources (tests, benches under tsx) it
    // registers tsx's CommonJS hook first, as mocha does. No flags of the main thread's
    // (tsx's ESM loader, --eval) are passed on: the script below is all the worker runs.
    const ext = path.extname(__filename);
    const entry = path.join(__dirname, `http-worker${ext}`);
    const script = ext === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});` : `require(${JSON.stringify(entry)});`;
    const worker = new Worker(script, { eval: true, execArgv: [] });
    worker.unref();
    worker.on('message', (a: WorkerAnswer) => this.settle(a.id, a));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const id of [...this.pending.keys()]) this.settle(id, { id, error: { kind: 'unreachable', message: `callback worker ${why}` } });
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited with ${code}`));
    this.worker = worker;
    return worker;
  }

  private settle(id: number, a: WorkerAnswer): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in a) p.reject(new CallbackTransportError(a.error.kind, a.error.message));
    else p.resolve({ status: a.status, text: a.text });
  }
}

const shared = new HttpWorker();

/** POSTs a JSON body; resolves with any HTTP answer, rejects only with CallbackTransportError. */
export function postJson(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane = 'before'): Promise<HttpAnswer> {
  return shared.post(url, body, timeoutMs, lane);
}
