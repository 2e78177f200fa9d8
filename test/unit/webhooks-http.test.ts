/**
 * The webhooks' HTTP client against a real local server: the stale-connection retry, the
 * deadline, the answer cap and the two pools.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'chai';
import { CallbackTransportError, HttpWorker, postJson } from '../../services/webhooks/http';

interface Backend {
  origin: string;
  requests: number;
  connections: number;
  close(): Promise<void>;
}

/** `answer` handles the n-th request (from 1); the backend counts requests and connections. */
async function backend(answer: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Backend> {
  const sockets = new Set<Socket>();
  const state = { requests: 0, connections: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(++state.requests, req, res));
  });
  server.on('connection', (s: Socket) => (state.connections++, sockets.add(s)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  });
}

const ok = (res: http.ServerResponse) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ActionStatus":"OK","ErrorCode":0}');

describe('webhook HTTP client', () => {
  it('retries once on a fresh connection when a kept-alive one turns out closed', async () => {
    // The second request finds its kept-alive connection dropped, as when the backend's idle timeout races it.
    const b = await backend((n, req, res) => (n === 2 ? req.socket.destroy() : ok(res)));
    try {
      const url = { origin: b.origin, path: '/cb' };
      // Deadlines far above the answer's time: a worker thread starting on a loaded machine took over 3 s.
      expect((await postJson(url, '{}', 10_000)).status).to.equal(200);
      expect((await postJson(url, '{}', 10_000)).status).to.equal(200);
      expect([b.requests, b.connections]).to.deep.equal([3, 2]);
    } finally {
      await b.close();
    }
  });

  it('does not retry a fresh connection that fails', async () => {
    const b = await backend((_n, req) => req.socket.destroy());
    try {
      const err = await postJson({ origin: b.origin, path: '/cb' }, '{}', 2000, 'after').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CallbackTransportError).and.to.include({ kind: 'unreachable' });
      expect(b.requests).to.equal(1);
    } finally {
      await b.close();
    }
  });

  it('gives up at the deadline when the backend never answers', async () => {
    const b = await backend(() => undefined);
    try {
      const t0 = Date.now();
      const err = await postJson({ origin: b.origin, path: '/cb' }, '{}', 150).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CallbackTransportError).and.to.include({ kind: 'timeout' });
      expect(Date.now() - t0).to.be.within(140, 1000);
    } finally {
      await b.close();
    }
  });

  it('refuses an answer larger than 1 MiB', async () => {
    const b = await backend((_n, _req, res) => res.writeHead(200).end(Buffer.alloc(2 << 20, 0x20)));
    try {
      const err = await postJson({ origin: b.origin, path: '/cb' }, '{}', 2000).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CallbackTransportError).and.to.have.property('message').that.matches(/larger than/);
    } finally {
      await b.close();
    }
  });

  it('answers a before-callback while every after-callback connection is taken', async () => {
    const held: http.ServerResponse[] = [];
    const b = await backend((_n, req, res) => (req.url === '/after' ? held.push(res) : ok(res)));
    try {
      const after = Array.from({ length: 300 }, () => postJson({ origin: b.origin, path: '/after' }, '{}', 5000, 'after'));
      while (held.length < 256) await new Promise((r) => setTimeout(r, 10));
      expect((await postJson({ origin: b.origin, path: '/before' }, '{}', 1000, 'before')).status).to.equal(200);
      const more = () => held.splice(0).forEach(ok);
      const timer = setInterval(more, 10);
      await Promise.all(after);
      clearInterval(timer);
    } finally {
      await b.close();
    }
  });

  it('fails the requests of a worker that stopped as unreachable, and starts a new one for the next', async () => {
    const b = await backend((n, _req, res) => (n === 1 ? setTimeout(() => ok(res), 3000) : ok(res)));
    const worker = new HttpWorker();
    try {
      const first = worker.post({ origin: b.origin, path: '/cb' }, '{}', 5000, 'after').catch((e: unknown) => e);
      for (const deadline = Date.now() + 2000; b.requests === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
      await worker.stop();
      expect(await first).to.be.instanceOf(CallbackTransportError).and.to.include({ kind: 'unreachable' });
      expect((await worker.post({ origin: b.origin, path: '/cb' }, '{}', 10_000, 'after')).status).to.equal(200);
    } finally {
      await worker.stop();
      await b.close();
    }
  });
});
