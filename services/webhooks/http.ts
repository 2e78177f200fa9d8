/**
 * The HTTP client of webhooks: Node's http/https with keep-alive agents (Tencent keeps
 * persistent connections too), a hard deadline per request and a cap on the answer's size.
 */
import http from 'node:http';
import https from 'node:https';
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

// As many idle sockets kept as may be busy: a burst must not close connections the next burst reopens.
const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 256, scheduling: 'lifo' as const };

/**
 * Which pool of connections a request uses. Before-callbacks hold a send until answered, so
 * they never wait in a queue behind a backlog of after-callbacks being delivered.
 */
export type Lane = 'before' | 'after';

const agents: Record<Lane, { http: http.Agent; https: https.Agent }> = {
  before: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
  after: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
};

/** POSTs a JSON body; resolves with any HTTP answer, rejects only with CallbackTransportError. */
export async function postJson(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane = 'before'): Promise<HttpAnswer> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await once(url, body, timeoutMs, lane);
  } catch (err) {
    // A kept-alive socket the backend closed meanwhile fails at once: one more try on a fresh one.
    if (!(err as { reusedSocket?: boolean }).reusedSocket || Date.now() >= deadline) throw err;
    return once(url, body, deadline - Date.now(), lane);
  }
}

function once(url: CallbackTarget, body: string, timeoutMs: number, lane: Lane): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const { secure, hostname, port, path } = url;
    const req = (secure ? https : http).request({
      hostname,
      port,
      path,
      method: 'POST',
      agent: secure ? agents[lane].https : agents[lane].http,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => req.destroy(new CallbackTransportError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const failure = err instanceof CallbackTransportError ? err : new CallbackTransportError('unreachable', err.code ?? err.message);
      reject(Object.assign(failure, { reusedSocket: req.reusedSocket && err.code === 'ECONNRESET' }));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new CallbackTransportError('unreachable', `answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => undefined); // surfaces through req 'error'
    });
    req.end(body);
  });
}
