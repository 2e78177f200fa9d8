/**
 * A Parley installation for the fault benches, in child processes this process can kill:
 * embedded (one node, SQLite in a data folder that outlives its restarts) or a cluster of full
 * nodes over NATS, PostgreSQL and Redis (a namespace and schema of its own, dropped afterwards;
 * an app id of its own, since the presence directory in Redis outlives runs). Also REST as the
 * app administrator, and UserSigs for frame clients.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { genUserSig } from '../../services/auth/usersig';
import { NodeProcess, type NodeProcessOptions } from './node-process';
import { dropSchema } from '../pg';

export type Mode = 'embedded' | 'cluster';

export interface InstallationOptions extends NodeProcessOptions {
  nodes?: number;
  pg?: string;
  nats?: string;
  redis?: string;
  /** PARLEY_* settings over the defaults below. */
  env?: Record<string, string>;
}

export const ADMIN = 'administrator';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class Installation {
  readonly sdkAppId = 1_600_000_000 + Math.floor(Math.random() * 99_999_999);
  readonly secret = `faults-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
  private readonly adminSig: string;

  private constructor(
    readonly mode: Mode,
    readonly nodes: NodeProcess[],
    private readonly cleanup: () => Promise<void>,
  ) {
    this.adminSig = this.sig(ADMIN);
  }

  static async create(mode: Mode, options: InstallationOptions = {}): Promise<Installation> {
    const run = `${process.pid}_${Date.now().toString(36)}`;
    const dirs: string[] = [];
    const tempDir = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-faults-${mode}-`));
      dirs.push(dir);
      return dir;
    };
    const schema = `faults_${run}`;
    const pg = options.pg ?? 'postgres://postgres@127.0.0.1:5432/test';
    const count = mode === 'embedded' ? 1 : (options.nodes ?? 3);
    const nodes: NodeProcess[] = [];
    const cleanup = async () => {
      await Promise.all(nodes.map((n) => n.kill()));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      if (mode === 'cluster') await dropSchema(pg, schema);
    };
    const installation = new Installation(mode, nodes, cleanup);
    const app = { PARLEY_SDKAPPID: String(installation.sdkAppId), PARLEY_SECRET: installation.secret, PARLEY_ADMIN: ADMIN, PARLEY_LOG_LEVEL: 'warn' };
    for (let i = 1; i <= count; i++) {
      const name = mode === 'embedded' ? 'embedded' : `n${i}`;
      const cluster: Record<string, string> =
        mode === 'cluster'
          ? {
              PARLEY_NODE_ID: name,
              PARLEY_NAMESPACE: `faults_${run}`,
              PARLEY_TRANSPORTER: options.nats ?? 'nats://127.0.0.1:4222',
              PARLEY_DB: pg,
              PARLEY_DB_SCHEMA: schema,
              PARLEY_REDIS: options.redis ?? 'redis://127.0.0.1:6379',
            }
          : { PARLEY_NODE_ID: `faults-embedded-${run}` };
      nodes.push(new NodeProcess(name, await freePort(), { ...app, ...cluster, PARLEY_DATA: tempDir(), ...options.env }, options));
    }
    return installation;
  }

  /** Starts every node (the first alone, so it creates the app and the tables). */
  async start(): Promise<void> {
    await this.nodes[0].start();
    await Promise.all(this.nodes.slice(1).map((n) => n.start()));
  }

  /** Kills every node and removes what the installation created. */
  stop(): Promise<void> {
    return this.cleanup();
  }

  node(name: string): NodeProcess {
    const found = this.nodes.find((n) => n.name === name);
    if (!found) throw new Error(`no node ${name}`);
    return found;
  }

  sig(userId: string): string {
    return genUserSig({ sdkAppId: this.sdkAppId, secretKey: this.secret, identifier: userId, expireSeconds: 86_400 });
  }

  /** The query string of a REST call as the app administrator. */
  query(random = Math.floor(Math.random() * 0xffffffff)): string {
    return `sdkappid=${this.sdkAppId}&identifier=${ADMIN}&usersig=${encodeURIComponent(this.adminSig)}&random=${random}&contenttype=json`;
  }

  /** A REST call as the app administrator through `node`; throws on network errors and timeouts. */
  async rest<T = { ErrorCode: number; ErrorInfo: string }>(node: NodeProcess, command: string, body: object, timeoutMs = 15_000): Promise<T> {
    const res = await fetch(`${node.baseUrl}/v4/${command}?${this.query()}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    return (await res.json()) as T;
  }

  /**
   * Lifts the app's REST rate limits and group frequency control, which would otherwise turn a
   * bench's load into 60007 refusals and dropped group messages; stored, so restarts keep it.
   */
  async unthrottle(): Promise<void> {
    // A node that joined moments ago may miss the apps.changed broadcast (its sender does not
    // know it listens yet); its periodic reload catches up within seconds, another change sooner.
    for (let attempt = 0; attempt < 10; attempt++) {
      const limit = 1_000_000 - attempt;
      const settings = { rateLimits: { default: limit, account: limit }, groups: { messagesPerSecond: 0, recallSeconds: 120 } };
      await this.nodes[0].call('apps.update', { sdkAppId: this.sdkAppId, settings });
      if (await this.allNodesSee(limit, 3000)) return;
    }
    throw new Error('the rate limits were not lifted on every node');
  }

  private async allNodesSee(limit: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (const node of this.nodes) {
      for (;;) {
        const app = await node.call<{ settings?: { rateLimits?: { default?: number } } } | null>('apps.get', { sdkAppId: this.sdkAppId }, { local: true });
        if (app?.settings?.rateLimits?.default === limit) break;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return true;
  }
}
