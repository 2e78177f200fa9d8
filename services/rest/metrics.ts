/**
 * GET /metrics: this node's Prometheus metrics (runtime/metrics.ts) in the text exposition
 * format, answered straight from the HTTP server like /healthz. With PARLEY_METRICS_TOKEN set,
 * only a scraper presenting `Authorization: Bearer <token>` is answered (401 otherwise); unset,
 * the endpoint is open, for a port reachable from the private network only.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registry } from '../../runtime/metrics';

export class MetricsHandler {
  private readonly token: Buffer | undefined;

  constructor(token: string | undefined) {
    this.token = token === undefined ? undefined : digest(token);
  }

  /** True when the request was ours (and is answered). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return false;
    if (!this.authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('a bearer token is required (PARLEY_METRICS_TOKEN)\n');
      return true;
    }
    registry
      .metrics()
      .then((text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
        res.end(text);
      })
      .catch((err: Error) => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`metrics failed: ${err.message}\n`);
      });
    return true;
  }

  /** Compares digests, so the comparison takes the same time whatever the guess. */
  private authorized(header: string | undefined): boolean {
    if (!this.token) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return !!match && crypto.timingSafeEqual(digest(match[1]), this.token);
  }
}

const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
