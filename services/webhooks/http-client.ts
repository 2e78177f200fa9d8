/**
 * The HTTP client of webhooks, as it runs in the webhooks' worker thread (http-worker.ts):
 * undici connections kept alive (Tencent keeps persistent connections too), a hard deadline
 * per request and a cap on the answer's size.
 *
 * undici rather than node:http: measured on this project's 2-core machine, a keep-alive POST
 * with its answer cost ~80-90 µs of client CPU through node:http's Agent and ~35 µs through
 * undici's dispatch API (and the backend ~50 vs ~32 µs: the request arrives in one write).
 */
import { Connections, type Connection } from './pool';
import type { CallbackTarget } from './request';

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Why a request got no answer: the deadline passed, or the backend could not be reached. */
export class CallbackTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** Answers above this are not read: no callback answer of Tencent's is anywhere near it. */
const MAX_ANSWER_BYTES = 1 << 20;

/**
 * Which pool of connections a request uses. Before-callbacks hold a send until answered, so
 * they never wait in a queue behind a backlog of after-callbacks being delivered.
 */
export type Lane = 'before' | 'after';

const lanes: Record<Lane, Connections> = { before: new Connections(), after: new Connections() };
const HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** POSTs a JSON body; resolves with any HTTP answer, rejects only with CallbackTransportError. */
export async function postJson(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane = 'before'): Promise<HttpAnswer> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await once(url, body, timeoutMs, lane);
  } catch (err) {
    // A kept-alive connection the backend closed meanwhile fails at once: one more try, on a
    // fresh connection (a Client reconnects after its socket closed).
    if (!(err as { reusedSocket?: boolean }).reusedSocket || Date.now() >= deadline) throw err;
    return once(url, body, deadline - Date.now(), lane);
  }
}

/** Socket-level failures of a request on a connection that may have been closed by the backend while idle. */
const STALE = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function once(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const origin = lanes[lane].of(url.origin);
    let settled = false;
    let abort: ((err: Error) => void) | undefined;
    let conn: Connection | undefined;
    const fail = (err: CallbackTransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const timer = setTimeout(() => {
      const err = new CallbackTransportError('timeout', `no answer within ${timeoutMs} ms`);
      fail(err);
      if (abort) abort(err);
      else if (conn) void conn.client.destroy(err); // still connecting
      else cancel();
    }, timeoutMs);
    const cancel = origin.acquire((c) => {
      conn = c;
      if (settled) return origin.release(c);
      const reused = c.answered > 0;
      let status = 0;
      let size = 0;
      const chunks: Buffer[] = [];
      c.client.dispatch(
        { path: url.path, method: 'POST', headers: HEADERS, body, headersTimeout: 0, bodyTimeout: 0 },
        {
          onConnect: (a) => (settled ? a(new Error('deadline passed')) : (abort = a)),
          onHeaders: (s) => ((status = s), true),
          onData: (chunk) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) abort?.(new CallbackTransportError('unreachable', `answer larger than ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
            return true;
          },
          onComplete: () => {
            c.answered++;
            origin.release(c);
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status, text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8') });
          },
          onError: (err: Error & { code?: string }) => {
            origin.release(c);
            // Node's codes (ECONNREFUSED) as before; undici's own (UND_ERR_SOCKET) say less than their message.
            const why = err.code && !err.code.startsWith('UND_ERR') ? err.code : err.message;
            const failure = err instanceof CallbackTransportError ? err : new CallbackTransportError('unreachable', why);
            fail(Object.assign(failure, { reusedSocket: reused && status === 0 && STALE.has(err.code ?? '') }));
          },
        },
      );
    });
  });
}
