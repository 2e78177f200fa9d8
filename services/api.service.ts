/**
 * api — the HTTP gateway (moleculer-web) on PARLEY_PORT.
 * Routes: GET /healthz. The REST API of Tencent's shape (/v4/…) and the SDK WebSocket mount here.
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema } from 'moleculer';
import ApiGateway from 'moleculer-web';
import { runtimeOf } from './runtime';

const api: ServiceSchema = {
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
        whitelist: ['api.health'],
        aliases: { 'GET healthz': 'api.health' },
        mappingPolicy: 'restrict',
        bodyParsers: false,
      },
    ],
  },
  actions: {
    health: {
      handler(this: { broker: Context['broker'] }) {
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
  },
  created() {
    this.settings.port = runtimeOf(this.broker).config.port;
  },
};

export default api;
