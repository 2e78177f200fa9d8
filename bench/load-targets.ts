/** The targets of the load bench as processes: embedded, a three-node cluster, the bare router. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { dropSchema } from './pg';

import { type LoadOptions, type TargetName } from './load-types';

// --- processes ---

export const EXT = path.extname(__filename);
export const EXEC_ARGV = EXT === '.ts' ? ['--require', 'tsx/cjs'] : [];
export const SECRET = 'bench-load-secret-0123456789abcdef';
export const ADMIN = 'administrator';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Node options `npm start` runs a Parley node with (package.json; docs/operations.md), so the bench measures the same. */
export const NODE_FLAGS = ['--max-semi-space-size=64'];

export function spawn(script: string, env: NodeJS.ProcessEnv = process.env, flags: string[] = []): ChildProcess {
  return fork(path.join(__dirname, script + EXT), [], { execArgv: [...flags, ...EXEC_ARGV], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

let askId = 0;
/** Sends `msg` and resolves with the child's next message of `type` (with the same id when it echoes one). */
export function ask<T>(child: ChildProcess, msg: object, type: string, timeoutMs = 120_000): Promise<T> {
  const id = ++askId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} from ${path.basename(String(child.spawnargs.at(-1)))} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string; id?: number }) => {
      if (m?.type === type && (m.id === undefined || m.id === id)) done(undefined, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`a bench process exited (${code}) while waiting for ${type}`));
    const done = (err?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ...msg, id });
  });
}

export function waitReady(child: ChildProcess, what: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready after 120 s`)), 120_000);
    const onMessage = (m: { type?: string; port?: number }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ port: m.port as number });
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
  });
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// --- targets ---

export interface Target {
  name: TargetName;
  app: number;
  ports: number[];
  servers: ChildProcess[];
  /** Cluster: the PostgreSQL port, whose backends serving the nodes count as the target's infrastructure. */
  pgPort?: number;
  stop(): Promise<void>;
}

/** Settings the bench owns; every other PARLEY_* of the environment passes through. */
const OWN_SETTINGS = ['PARLEY_PORT', 'PARLEY_DATA', 'PARLEY_TRANSPORTER', 'PARLEY_DB', 'PARLEY_DB_SCHEMA', 'PARLEY_REDIS', 'PARLEY_NAMESPACE', 'PARLEY_NODE_ID', 'PARLEY_SDKAPPID', 'PARLEY_SECRET', 'PARLEY_ADMIN', 'PARLEY_CALLBACK_URL', 'PARLEY_CALLBACK_TOKEN'];

export function nodeEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of OWN_SETTINGS) delete env[key];
  return { ...env, PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn', PARLEY_SECRET: SECRET, ...settings };
}

export const randomApp = () => 1400000000 + Math.floor(Math.random() * 99_000_000);
export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const LOAD_SETTINGS = { rateLimits: { default: 1_000_000, account: 1_000_000 }, groups: { messagesPerSecond: 0 } };

export async function configure(node: ChildProcess, app: number): Promise<void> {
  const reply = await ask<{ error?: string }>(node, { type: 'configure', sdkAppId: app, settings: LOAD_SETTINGS }, 'configured');
  if (reply.error) throw new Error(`apps.update failed: ${reply.error}`);
}

async function startBare(): Promise<Target> {
  const child = spawn('bare-router');
  const { port } = await waitReady(child, 'the bare router');
  return { name: 'bare', app: randomApp(), ports: [port], servers: [child], stop: () => stopChild(child) };
}

async function startEmbedded(name: 'embedded' | 'nostats' = 'embedded'): Promise<Target> {
  const app = randomApp();
  const data = tempDir('parley-load-');
  const port = await freePort();
  const settings = { PARLEY_PORT: String(port), PARLEY_DATA: data, PARLEY_SDKAPPID: String(app), PARLEY_NODE_ID: `load-${name}-${process.pid}` };
  const child = spawn('load-node', nodeEnv(name === 'nostats' ? { ...settings, PARLEY_STATS_TAIL_MS: '0' } : settings), NODE_FLAGS);
  await waitReady(child, 'the embedded node');
  await configure(child, app);
  return {
    name,
    app,
    ports: [port],
    servers: [child],
    async stop() {
      await stopChild(child);
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

async function startCluster(o: LoadOptions): Promise<Target> {
  const app = randomApp();
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `bench_load_${tag}`;
  const namespace = `bench-load-${tag}`;
  const ports: number[] = [];
  const dirs: string[] = [];
  const servers: ChildProcess[] = [];
  const nodeIds = Array.from({ length: o.clusterNodes }, (_, i) => `load-n${i + 1}-${process.pid}`);
  for (let i = 0; i < o.clusterNodes; i++) {
    ports.push(await freePort());
    dirs.push(tempDir('parley-load-cluster-'));
    servers.push(
      spawn(
        'load-node',
        nodeEnv({
          PARLEY_PORT: String(ports[i]),
          PARLEY_DATA: dirs[i],
          PARLEY_SDKAPPID: String(app),
          PARLEY_NODE_ID: nodeIds[i],
          PARLEY_NAMESPACE: namespace,
          PARLEY_TRANSPORTER: o.nats,
          PARLEY_DB: o.pg,
          PARLEY_DB_SCHEMA: schema,
          PARLEY_REDIS: o.redis,
        }),
        NODE_FLAGS,
      ),
    );
  }
  const target: Target = {
    name: 'cluster',
    app,
    ports,
    servers,
    pgPort: Number(new URL(o.pg).port || 5432),
    async stop() {
      // SIGKILL: the schema and presence keys go below, and three nodes stopping at once only
      // hand actors and webhook shards to each other while their stores close.
      await Promise.all(servers.map((s) => stopChild(s, 'SIGKILL')));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      await dropSchema(o.pg, schema).catch((err: Error) => o.log(`(could not drop schema ${schema}: ${err.message})`));
      await forgetPresence(o.redis, app, nodeIds).catch(() => undefined);
    },
  };
  try {
    await Promise.all(servers.map((s, i) => waitReady(s, `cluster node ${i + 1}`)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const seen = await Promise.all(servers.map((s) => ask<{ n: number }>(s, { type: 'connectors' }, 'connectors')));
      if (seen.every((r) => r.n === servers.length)) break;
      if (Date.now() > deadline) throw new Error(`cluster nodes see ${seen.map((r) => r.n).join('/')} gateways, not ${servers.length}`);
      await sleep(200);
    }
    await configure(servers[0], app);
  } catch (err) {
    await target.stop();
    throw err;
  }
  return target;
}

/**
 * The cluster's presence keys of the bench's app and of its nodes as holders (its devices are
 * gone with its killed nodes; left alone, another cluster's sweep would end them one day).
 */
async function forgetPresence(url: string, app: number, nodeIds: string[]): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const holders = (await redis.smembers('parley:presence:nodes')).filter((h) => nodeIds.includes(h.split('#')[0]));
    for (const holder of holders) {
      await redis.srem('parley:presence:nodes', holder);
      await redis.del(`parley:presence:on:${holder}`, `parley:presence:alive:${holder}`, `parley:presence:claim:${holder}`);
    }
    for (const pattern of [`parley:presence:${app}:*`, `parley:presence:order:${app}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

export function startTarget(name: TargetName, o: LoadOptions): Promise<Target> {
  if (name === 'bare') return startBare();
  if (name === 'embedded' || name === 'nostats') return startEmbedded(name);
  return startCluster(o);
}
