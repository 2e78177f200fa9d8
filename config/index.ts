/**
 * The only module that reads process.env. Every setting has its default and unit beside it.
 */
import path from 'node:path';

export interface ParleyConfig {
  /** HTTP port of the gateway (REST, SDK WebSocket, console). Default 8080. */
  port: number;
  /** Data folder for embedded mode: SQLite file and first-start credentials. Default ./data. */
  dataDir: string;
  /** Moleculer transporter URL (nats://…); undefined = embedded, one process. */
  transporter?: string;
  /** postgres://… connection string; undefined = SQLite under dataDir. */
  db?: string;
  /**
   * PARLEY_ALLOW_LOCAL_LOG=1: a node with a transporter may keep its event log in its own SQLite
   * file (tests, benchmarks, a one-node "cluster"). Default false: such a node refuses to start,
   * since nodes that do not share one log lose each other's actors' events on failover.
   */
  allowLocalLog: boolean;
  /** PostgreSQL schema (namespace) of Parley's tables. Default public. */
  dbSchema: string;
  /** Moleculer namespace: nodes only see nodes of the same namespace on one transporter. Default parley. */
  namespace: string;
  /** redis://… URL; undefined = shared state kept in process. */
  redis?: string;
  /** Moleculer node id; default host name + pid (Moleculer's own default). */
  nodeId?: string;
  /** Log level of the broker. Default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** The app created on first start when none exists. */
  firstApp: { sdkAppId?: number; secret?: string; admin: string; callbackUrl?: string; callbackToken?: string };
  store: {
    /**
     * Group-commit window in milliseconds: appends arriving within it share one transaction.
     * Default 0: flush on the next turn of the event loop, which already batches every append
     * made meanwhile; a 1 ms window made one hot key 5–10 times slower (docs/benchmarks.md).
     */
    commitWindowMs: number;
    /** Most appends in one group commit. Default 2000. */
    commitMaxBatch: number;
    /** Set false to commit each append in its own transaction (benchmarks only). Default true. */
    groupCommit: boolean;
    /** SQLite synchronous mode: FULL survives power loss, NORMAL only process crashes. Default FULL. */
    sqliteSync: 'FULL' | 'NORMAL';
    /**
     * Where SQLite's writes run: `main` = the event loop's own thread; `thread` = a worker thread
     * (store/sqlite-thread.ts), so the event log commits on the second core. Default main: on
     * this shared machine the thread gave +24% one-to-one throughput in one run and nothing
     * measurable in others, for ~100 MB more RSS (docs/benchmarks.md).
     */
    sqliteWriter: 'thread' | 'main';
  };
  presence: {
    /** Silence after which a web or mini-program connection counts as gone, seconds. Seed: 60. */
    webIdleSec: number;
    /** Silence after which a native (mobile, desktop) connection counts as gone, seconds. Seed: 400. */
    nativeIdleSec: number;
    /** How long a mobile device stays PushOnline after its connection ended, seconds. Seed: 7 days. */
    pushOnlineSec: number;
    /** Period of the sweeps that drop silent connections and end PushOnline, seconds. Default 5. */
    sweepSec: number;
    /**
     * Cluster: a node's devices count as gone once it has not renewed its liveness for this long
     * (it renews every heartbeat), seconds. Longer than the heartbeat timeout, so a busy node's
     * users are not reported gone over a pause. Default 30.
     */
    nodeTtlSec: number;
  };
  /** Seconds between sweeps that erase messages past each app's roaming retention. Default 3600. */
  retentionSweepSec: number;
  cluster: {
    /** Seconds between heartbeats of a node. Default 2. */
    heartbeatSec: number;
    /** Seconds without a heartbeat before a node counts as gone and its actors move. Default 6. */
    heartbeatTimeoutSec: number;
    /** NATS: milliseconds between probes that find a killed node gone from the transporter (runtime/moleculer/liveness.ts); 0 = off. Default 250. */
    livenessProbeMs: number;
  };
  actors: {
    /** Snapshot an actor after this many events since its last snapshot. Default 100. */
    snapshotEvery: number;
    /** Passivate an actor idle for this long, in milliseconds. Default 300000 (5 min). */
    idleMs: number;
    /** Timeout of one actor call, in milliseconds. Default 10000. */
    callTimeoutMs: number;
    /** Messages a one-to-one conversation keeps in memory; older ones are read from the log when needed. Default 200. */
    c2cRemembered: number;
  };
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

function str(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** 1/true/yes switch a setting on, 0/false/no (or unset) off; anything else is a mistake worth stopping for. */
function flag(name: string, env: NodeJS.ProcessEnv): boolean {
  const raw = str(name, env)?.toLowerCase();
  if (raw === undefined || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new Error(`${name} must be 1 or 0, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const logLevel = (str('PARLEY_LOG_LEVEL', env) ?? 'info') as ParleyConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`PARLEY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const sqliteSync = (str('PARLEY_SQLITE_SYNC', env) ?? 'FULL').toUpperCase();
  if (sqliteSync !== 'FULL' && sqliteSync !== 'NORMAL') throw new Error('PARLEY_SQLITE_SYNC must be FULL or NORMAL');
  const sqliteWriter = str('PARLEY_SQLITE_WRITER', env) ?? 'main';
  if (sqliteWriter !== 'thread' && sqliteWriter !== 'main') throw new Error('PARLEY_SQLITE_WRITER must be thread or main');
  const sdkAppId = str('PARLEY_SDKAPPID', env);
  if (sdkAppId !== undefined && !/^[1-9]\d{0,9}$/.test(sdkAppId)) throw new Error('PARLEY_SDKAPPID must be a positive integer');
  return {
    port: int('PARLEY_PORT', 8080, env),
    dataDir: path.resolve(str('PARLEY_DATA', env) ?? './data'),
    transporter: str('PARLEY_TRANSPORTER', env),
    db: str('PARLEY_DB', env),
    allowLocalLog: flag('PARLEY_ALLOW_LOCAL_LOG', env),
    dbSchema: str('PARLEY_DB_SCHEMA', env) ?? 'public',
    namespace: str('PARLEY_NAMESPACE', env) ?? 'parley',
    redis: str('PARLEY_REDIS', env),
    nodeId: str('PARLEY_NODE_ID', env),
    logLevel,
    firstApp: {
      sdkAppId: sdkAppId === undefined ? undefined : Number(sdkAppId),
      secret: str('PARLEY_SECRET', env),
      admin: str('PARLEY_ADMIN', env) ?? 'administrator',
      callbackUrl: str('PARLEY_CALLBACK_URL', env),
      callbackToken: str('PARLEY_CALLBACK_TOKEN', env),
    },
    store: {
      commitWindowMs: int('PARLEY_COMMIT_WINDOW_MS', 0, env),
      commitMaxBatch: int('PARLEY_COMMIT_MAX_BATCH', 2000, env),
      groupCommit: str('PARLEY_GROUP_COMMIT', env) !== 'off',
      sqliteSync,
      sqliteWriter,
    },
    presence: {
      webIdleSec: int('PARLEY_WEB_IDLE_SEC', 60, env),
      nativeIdleSec: int('PARLEY_NATIVE_IDLE_SEC', 400, env),
      pushOnlineSec: int('PARLEY_PUSH_ONLINE_SEC', 7 * 86_400, env),
      sweepSec: int('PARLEY_PRESENCE_SWEEP_SEC', 5, env),
      nodeTtlSec: int('PARLEY_PRESENCE_NODE_TTL_SEC', 30, env),
    },
    retentionSweepSec: int('PARLEY_RETENTION_SWEEP_SEC', 3600, env),
    cluster: {
      heartbeatSec: int('PARLEY_HEARTBEAT_SEC', 2, env),
      heartbeatTimeoutSec: int('PARLEY_HEARTBEAT_TIMEOUT_SEC', 6, env),
      livenessProbeMs: int('PARLEY_LIVENESS_PROBE_MS', 250, env),
    },
    actors: {
      snapshotEvery: int('PARLEY_SNAPSHOT_EVERY', 100, env),
      idleMs: int('PARLEY_ACTOR_IDLE_MS', 300_000, env),
      callTimeoutMs: int('PARLEY_ACTOR_TIMEOUT_MS', 10_000, env),
      c2cRemembered: int('PARLEY_C2C_REMEMBERED', 200, env),
    },
  };
}
