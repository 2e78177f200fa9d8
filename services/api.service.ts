/**
 * api — the HTTP gateway (moleculer-web) on PARLEY_PORT.
 * Routes: GET /healthz; POST /v4/{service}/{command} (Tencent's REST API, services/rest/);
 * GET /openapi.json (what this node serves). The SDK WebSocket attaches to the same server.
 * Emits nothing; consumes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import ApiGateway from 'moleculer-web';
import { appDirectory } from './apps/registry';
import { sigVerifier } from './auth';
import { commandTable } from './rest/commands';
import { fail, newRequestId } from './rest/envelope';
import { REST, RestHandler } from './rest/http';
import { openApiDocument } from './rest/openapi';
import { LocalRateLimiter, RedisRateLimiter } from './rest/rate-limit';
import { runtimeOf } from './runtime';

type ApiService = Service & { rest: RestHandler; server: import('node:http').Server };
type AliasRequest = IncomingMessage & { $params: Record<string, string>; query: Record<string, unknown> };

function badUrl(_req: IncomingMessage, res: ServerResponse): void {
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
        whitelist: ['api.health', 'api.openapi'],
        aliases: { 'GET healthz': 'api.health', 'GET openapi.json': 'api.openapi' },
        mappingPolicy: 'restrict',
        bodyParsers: false,
      },
      {
        path: '/v4',
        mappingPolicy: 'restrict',
        bodyParsers: false,
        aliases: {
          'POST /:service/:command'(this: ApiService, req: AliasRequest, res: ServerResponse) {
            return this.rest.handle(req, res, req.$params.service, req.$params.command, req.query ?? {});
          },
          'GET /:service/:command'(this: ApiService, req: AliasRequest, res: ServerResponse) {
            return this.rest.handle(req, res, req.$params.service, req.$params.command, req.query ?? {});
          },
          '/:path*': badUrl,
        },
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
  },
  started(this: ApiService) {
    const { redis } = runtimeOf(this.broker);
    const limiter = redis ? new RedisRateLimiter(redis) : new LocalRateLimiter();
    this.rest = new RestHandler(this.broker, appDirectory(this.broker), sigVerifier(this.broker), limiter, commandTable(this.broker));
    // Clients pool connections (Tencent recommends keep-alive); keep idle ones longer than Node's 5 s.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  },
};

export default api;
