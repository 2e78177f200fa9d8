/**
 * api — the HTTP gateway (moleculer-web) on PARLEY_PORT.
 * Routes: GET /healthz and GET /readyz (services/rest/health.ts); GET /metrics (Prometheus,
 * services/rest/metrics.ts); GET /download/… (get_history's files, services/downloads/http.ts);
 * /media/… and POST /v4/parley_media/upload (media files, services/media/http.ts);
 * POST /v4/{service}/{command}
 * (Tencent's REST API, services/rest/, served ahead of moleculer-web's routing — see
 * serveRestFirst); the web console under /console (services/console/, served the same way);
 * GET /openapi.json (what this node serves).
 * The SDK WebSocket attaches to the same server.
 * Emits nothing; consumes nothing.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import ApiGateway from 'moleculer-web';
import { appDirectory } from '../apps/registry';
import { sigVerifier } from '../auth';
import { ConsoleHandler, isConsolePath } from '../console/http';
import { DownloadHandler, isDownloadPath } from '../downloads/http';
import { isMediaPath, MediaHandler } from '../media/http';
import { commandTable } from '../commands/commands';
import { fail, newRequestId } from '../commands/envelope';
import { REST } from './admin-auth';
import { RestHandler } from './http';
import { openApiDocument } from './openapi';
import { LocalRateLimiter, RedisRateLimiter } from './rate-limit';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { HealthHandler } from './health';
import { MetricsHandler } from './metrics';

type ApiService = Service & { rest: RestHandler; webConsole: ConsoleHandler; server: Server };

/**
 * `/v4/…` is answered by the REST handler straight from the HTTP server, ahead of
 * moleculer-web's routing, which serves everything else on the port. Measured on this
 * machine: moleculer-web's route pipeline alone capped a trivial route at about 4,400 calls/s
 * against 7,600–10,000 for bare Node HTTP; the REST handler does its own parsing, auth,
 * validation and envelope, so it needs none of that pipeline. The console (`/console`) is
 * served the same way: it sets its own security headers, which that pipeline would not.
 */
function serveRestFirst(server: Server, rest: RestHandler, webConsole: ConsoleHandler, downloads: DownloadHandler, media: MediaHandler): void {
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isConsolePath(req.url)) return webConsole.handle(req, res);
    if (isDownloadPath(req.url)) return downloads.handle(req, res);
    if (isMediaPath(req.url)) return media.handle(req, res);
    if (!req.url?.startsWith('/v4/') && req.url !== '/v4') {
      for (const listener of others) listener.call(server, req, res);
      return;
    }
    const plain = plainRestUrl(req.url);
    if (plain) return void rest.handle(req, res, plain.service, plain.command, plain.query);
    const url = new URL(req.url, 'http://parley');
    const parts = url.pathname.split('/');
    const query = queryObject(url.searchParams);
    if (parts.length !== 4 || !parts[2] || !parts[3]) return badUrl(res);
    void rest.handle(req, res, parts[2], parts[3], query);
  });
}

/** `/v4/{service}/{command}?…` with nothing to normalise in the path and nothing to decode in the query. */
const PLAIN_REST_URL = /^\/v4\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)(?:\?([\w\-.*~!$'(),;:@/?=&]*))?$/;

/**
 * The URL every app backend sends, split without WHATWG URL parsing: a URL object, its
 * searchParams and their iterators cost about 3 µs and a tenth of the REST path's allocations,
 * a split about 0.8 µs (docs/rest-api.md, what a REST call costs). Only where both readings must
 * agree: a path of plain segments (no dot segments, escapes or empty parts) and a query of
 * characters that stand for themselves in both (no `%` escape, no `+`, no space, control or
 * non-ASCII character, no fragment). Empty pairs
 * are skipped and a repeated name becomes an array (which the handler refuses), as with
 * URLSearchParams. Anything else takes the URL path.
 */
function plainRestUrl(url: string): { service: string; command: string; query: Record<string, unknown> } | undefined {
  const match = PLAIN_REST_URL.exec(url);
  if (!match) return undefined;
  const query: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (match[3]) {
    for (const pair of match[3].split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      const seen = query[name];
      query[name] = seen === undefined ? value : Array.isArray(seen) ? [...(seen as string[]), value] : [seen, value];
    }
  }
  return { service: match[1], command: match[2], query };
}

/** Query parameters as values, or arrays when one is repeated (the handler refuses those). */
function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/**
 * moleculer-web 0.10 listens with `server.listen(port, ip, cb)` and waits for `cb(err)`, but
 * Node calls that callback only once listening: a listen error (EADDRINUSE, EACCES) is an
 * 'error' event that moleculer-web merely logs, and the node stayed half-started forever.
 * Handing that error to the same callback rejects the gateway's start, so the broker's start
 * fails and the runner exits non-zero with this message.
 */
function failOnListenError(server: Server, port: number): void {
  const listen = server.listen.bind(server) as (...args: unknown[]) => Server;
  server.listen = ((...args: unknown[]) => {
    const done = args[args.length - 1];
    if (typeof done === 'function') {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        const reason = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message;
        done(new Error(`the HTTP gateway cannot listen on port ${port} (PARLEY_PORT): ${reason}`));
      };
      const onListening = () => server.off('error', onError);
      server.once('error', onError);
      server.once('listening', onListening);
    }
    return listen(...args);
  }) as Server['listen'];
}

/** /healthz and /readyz ahead of every other listener, from the moment the server exists. */
function serveHealthFirst(server: Server, health: HealthHandler, metrics: MetricsHandler): void {
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (health.handle(req, res) || metrics.handle(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  });
}

function badUrl(res: ServerResponse): void {
  const body = JSON.stringify(fail(newRequestId(), REST.BAD_URL, 'the URL must be /v4/{service}/{command}'));
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const api: ServiceSchema<ServiceSettingSchema, ApiService> = {
  name: 'api',
  mixins: [ApiGateway],
  settings: {
    port: 8080,
    ip: '0.0.0.0',
    // Per-request lines at info level would cost more than a REST call itself.
    logRequest: 'debug',
    logResponse: 'debug',
    routes: [
      {
        path: '/',
        whitelist: ['api.openapi', 'push.vapidPublicKey'],
        aliases: { 'GET openapi.json': 'api.openapi', 'GET push/vapid-public-key': 'push.vapidPublicKey' },
        mappingPolicy: 'restrict',
        bodyParsers: false,
      },
    ],
  },
  actions: {
    health: {
      handler(this: ApiService) {
        const { config } = runtimeOf(this.broker);
        return {
          status: 'ok',
          nodeID: this.broker.nodeID,
          mode: config.transporter ? 'cluster' : 'embedded',
          store: config.db ? 'postgres' : 'sqlite',
          uptimeSec: Math.round(process.uptime()),
        };
      },
    },
    openapi: {
      handler(this: ApiService) {
        return openApiDocument(commandTable(this.broker));
      },
    },
  },
  created(this: ApiService) {
    this.settings.port = runtimeOf(this.broker).config.port;
    failOnListenError(this.server, this.settings.port as number);
    serveHealthFirst(this.server, new HealthHandler(this.broker), new MetricsHandler(runtimeOf(this.broker).config.ops.metricsToken));
  },
  started(this: ApiService) {
    const { redis } = runtimeOf(this.broker);
    const limiter = redis ? new RedisRateLimiter(redis) : new LocalRateLimiter();
    this.rest = new RestHandler(this.broker, appDirectory(this.broker), sigVerifier(this.broker), limiter, commandTable(this.broker));
    this.webConsole = new ConsoleHandler(this.broker, appDirectory(this.broker), sigVerifier(this.broker));
    const media = new MediaHandler(this.broker, appDirectory(this.broker), sigVerifier(this.broker));
    serveRestFirst(this.server, this.rest, this.webConsole, new DownloadHandler(this.broker, appDirectory(this.broker)), media);
    // Clients pool connections (Tencent recommends keep-alive); keep idle ones longer than Node's 5 s.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  },
};

export default api;
