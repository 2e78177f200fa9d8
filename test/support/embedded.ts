/**
 * An embedded Parley (one broker, SQLite in a temp folder, the HTTP gateway on a free port)
 * for e2e tests that drive the server from outside. Services are loaded by explicit file list,
 * so a test depends only on the services it names.
 */
import fs from 'node:fs';
import net from 'node:net';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { tempDir } from './stores';
import { tencentUserSig } from './tencent-sig';
import { serviceFile } from '../../services/locate';


/** What the REST API needs: gateway, apps, accounts, auth cache, presence (online status); audit: the console's writes. */
export const REST_SERVICES = ['api', 'apps', 'accounts', 'auth', 'presence', 'audit'];

export interface EmbeddedApp {
  sdkAppId: number;
  secret: string;
  admin: string;
}

export interface Embedded {
  broker: ServiceBroker;
  baseUrl: string;
  port: number;
  dataDir: string;
  app: EmbeddedApp;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Extra PARLEY_* settings, over the defaults below (a temp PARLEY_DATA, a random first app…). */
  env?: Record<string, string>;
  /** Service names (files services/<context>/<name>.service.ts). Default REST_SERVICES. */
  services?: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<Embedded> {
  const port = await freePort();
  // A caller's PARLEY_DATA is kept after stop(); a temp folder of our own is removed.
  const ownDir = options.env?.PARLEY_DATA === undefined;
  const dataDir = options.env?.PARLEY_DATA ?? tempDir('parley-e2e-');
  const app: EmbeddedApp = { sdkAppId: 1400000000 + Math.floor(Math.random() * 1e8), secret: `secret-${Math.random().toString(36).slice(2)}-e2e`, admin: 'administrator' };
  const env: Record<string, string> = {
    PARLEY_PORT: String(port),
    PARLEY_DATA: dataDir,
    PARLEY_SDKAPPID: String(app.sdkAppId),
    PARLEY_SECRET: app.secret,
    PARLEY_ADMIN: app.admin,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_SQLITE_SYNC: 'NORMAL',
    ...options.env,
  };
  const config = loadConfig(env);
  app.sdkAppId = config.firstApp.sdkAppId ?? app.sdkAppId;
  app.secret = config.firstApp.secret ?? app.secret;
  app.admin = config.firstApp.admin;
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of options.services ?? REST_SERVICES) broker.loadService(serviceFile(name));
  await broker.start();
  return {
    broker,
    port,
    dataDir,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await broker.stop();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Query = Record<string, string | undefined>;

export interface Answer {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  RequestId?: string;
  [field: string]: unknown;
}

/** Calls /v4/{command} as an app backend: the admin's UserSig in the URL, POST, JSON body. */
export class RestClient {
  constructor(
    readonly baseUrl: string,
    readonly app: EmbeddedApp,
    private readonly sign: (userId: string) => string,
  ) {}

  url(command: string, query: Query = {}): string {
    const base: Query = {
      sdkappid: String(this.app.sdkAppId),
      identifier: this.app.admin,
      usersig: this.sign(query.identifier ?? this.app.admin),
      random: String(Math.floor(Math.random() * 0xffffffff)),
      contenttype: 'json',
    };
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...query })) if (v !== undefined) params.set(k, v);
    return `${this.baseUrl}/v4/${command}?${params}`;
  }

  /** `body` is JSON-encoded unless it is already a string (raw bodies for the 60003 cases). */
  async call(command: string, body: unknown = {}, query: Query = {}, method = 'POST'): Promise<Answer> {
    const res = await this.raw(this.url(command, query), body, method);
    return (await res.json()) as Answer;
  }

  raw(url: string, body: unknown = {}, method = 'POST'): Promise<Response> {
    const payload = method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(url, { method, body: payload, headers: { 'Content-Type': 'application/json', Connection: 'keep-alive' } });
  }
}

/** A client of the server's first app, signing each call afresh as its administrator. */
export function adminRest(server: Pick<Embedded, 'baseUrl' | 'app'>): RestClient {
  const { sdkAppId, secret } = server.app;
  return new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId, key: secret, userId }));
}
