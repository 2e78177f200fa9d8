/**
 * The worker thread that makes every callback request of this process (http.ts starts it):
 * one POST per message from the main thread, answered with the status and body or the
 * failure. HTTP's per-request CPU (undici, the parser, buffers, their garbage) then runs on a
 * core the actors' event loop does not need.
 */
import { parentPort } from 'node:worker_threads';
import { CallbackTransportError, postJson } from './http-client';
import type { WorkerAnswer, WorkerRequest } from './http';

parentPort?.on('message', (r: WorkerRequest) => {
  postJson({ origin: r.origin, path: r.path }, r.body, r.timeoutMs, r.lane).then(
    (answer) => parentPort?.postMessage({ id: r.id, ...answer } satisfies WorkerAnswer),
    (err: unknown) => {
      const kind = err instanceof CallbackTransportError ? err.kind : 'unreachable';
      parentPort?.postMessage({ id: r.id, error: { kind, message: (err as Error).message } } satisfies WorkerAnswer);
    },
  );
});
