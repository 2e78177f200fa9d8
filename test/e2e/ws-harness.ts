/**
 * A real embedded Parley node for the WebSocket tests: every service of services/, SQLite in
 * a temp folder, a free port; plus UserSigs, REST calls as the administrator, and a raw frame
 * client for what the SDK never sends (bad frames, other platforms).
 */
import net from 'node:net';
import { ServiceBroker } from 'moleculer';
import { WebSocket } from 'ws';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { genUserSig } from '../../services/auth/usersig';
import { tempDir } from '../support/stores';
import { SERVICES_DIR } from '../../services/locate';

export const SECRET = 'ws-test-secret-0123456789abcdef';
export const ADMIN = 'administrator';

export interface Parley {
  broker: ServiceBroker;
  port: number;
  sdkAppId: number;
  proxyServer: string;
  sig(userId: string, options?: { sdkAppId?: number; secret?: string; expire?: number; now?: number }): string;
  rest<T = Record<string, unknown>>(command: string, body: object): Promise<T>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startParley(env: Record<string, string> = {}, sdkAppId = 1400000001): Promise<Parley> {
  const port = await freePort();
  const config = loadConfig({
    PARLEY_PORT: String(port),
    PARLEY_DATA: tempDir('parley-ws-'),
    PARLEY_SDKAPPID: String(sdkAppId),
    PARLEY_SECRET: SECRET,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_NODE_ID: `ws-test-${port}`,
    ...env,
  });
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, '**/*.service.ts');
  await broker.start();
  const sig: Parley['sig'] = (userId, o = {}) =>
    genUserSig({ sdkAppId: o.sdkAppId ?? sdkAppId, secretKey: o.secret ?? SECRET, identifier: userId, expireSeconds: o.expire ?? 86400, now: o.now });
  return {
    broker,
    port,
    sdkAppId,
    proxyServer: `ws://127.0.0.1:${port}`,
    sig,
    async rest(command, body) {
      const url = `http://127.0.0.1:${port}/v4/${command}?sdkappid=${sdkAppId}&identifier=${ADMIN}&usersig=${encodeURIComponent(sig(ADMIN))}&random=1&contenttype=json`;
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
      return (await res.json()) as never;
    },
    stop: () => broker.stop(),
  };
}

/** A bare protocol client: sends frames, collects replies by seq and pushes in order. */
export class FrameClient {
  readonly pushes: { head: Record<string, unknown>; body: Record<string, unknown> }[] = [];
  private readonly waiting = new Map<string, (body: Record<string, unknown>) => void>();
  private seq = 1000;
  closeCode: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { head: Record<string, unknown>; body: Record<string, unknown> };
      const key = `${String(frame.head.servcmd)}${String(frame.head.seq)}`;
      const resolve = this.waiting.get(key);
      if (resolve) {
        this.waiting.delete(key);
        resolve(frame.body);
      } else this.pushes.push(frame);
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  static open(p: Parley, query: Record<string, string | number> = {}): Promise<FrameClient> {
    const q = new URLSearchParams({ sdkappid: String(p.sdkAppId), instanceid: Math.random().toString(16).slice(2), platform: '7', ...query } as Record<string, string>);
    const ws = new WebSocket(`${p.proxyServer}/binfo?${q}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new FrameClient(ws)));
      ws.once('error', reject);
    });
  }

  request(servcmd: string, body: object = {}, head: object = {}): Promise<Record<string, unknown>> {
    const seq = ++this.seq;
    return this.raw(JSON.stringify({ head: { servcmd, seq, ...head }, body }), `${servcmd}${seq}`);
  }

  /** Sends any bytes; resolves with the reply to `key` (servcmd + seq) or the next unmatched frame. */
  raw(data: string | Buffer, key?: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${key ?? 'raw frame'}`)), 5000);
      const done = (body: Record<string, unknown>) => {
        clearTimeout(timer);
        resolve(body);
      };
      if (key) this.waiting.set(key, done);
      else {
        const before = this.pushes.length;
        const poll = setInterval(() => {
          if (this.pushes.length > before) {
            clearInterval(poll);
            done(this.pushes[before].body);
          }
        }, 10);
      }
      this.ws.send(typeof data === 'string' ? Buffer.from(data) : data);
    });
  }

  login(p: Parley, userId: string, sig = p.sig(userId)) {
    return this.request('im_open_status.wslogin', { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' }, { identifier: userId, usersig: sig });
  }

  close(): void {
    this.ws.terminate();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
