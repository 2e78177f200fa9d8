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
  /** PARLEY_LOG_FORMAT: `text` (one readable line per entry) or `json` (one JSON object per line, for log collectors). Default text. */
  logFormat: 'text' | 'json';
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
    /**
     * Cluster: how long a node keeps where a user's devices are, for delivery, before asking
     * Redis again, ms; every change is announced to every node anyway (services/presence/
     * placement-cache.ts), so this only bounds what a node that missed announcements gets
     * wrong. 0 = no cache (a Redis lookup per message). Default 5000.
     */
    placementCacheMs: number;
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
  /** Statistics, metrics, message download and the console (docs/statistics.md, docs/console.md). */
  ops: {
    /** Minutes east of UTC of the statistics' days and of get_history's hours. Default 0 (UTC); Tencent's are Beijing time, 480. */
    utcOffsetMin: number;
    /** The statistics fold only events at least this old, in ms (PostgreSQL commit order). Default 1000 with PostgreSQL, 0 with SQLite. */
    statsSettleMs: number;
    /** Seconds between a node's samples of its online users. Default 30. */
    statsSampleSec: number;
    /**
     * PARLEY_STATS_TAIL_MS: milliseconds between the statistics follower's rounds over the log.
     * 0 = no rounds in the background: the figures are folded when asked for (getappinfo, the
     * console), from where the last answer left off. Default 1000 (docs/statistics.md).
     */
    statsTailMs: number;
    /** Bearer token GET /metrics asks for; unset = open (scrape from a private network). */
    metricsToken?: string;
    /** PARLEY_EGRESS_IPS: addresses GetIPList answers (comma-separated); unset = the nodes' own addresses. */
    egressIps: string[];
    /** Lifetime of a console sign-in, seconds. Default 3600. */
    consoleSessionSec: number;
    /** Lifetime of a get_history download URL, seconds. Default 3600. */
    downloadUrlSec: number;
    /** PARLEY_PUBLIC_URL: the base of URLs Parley hands out (get_history files). Default http://127.0.0.1:PARLEY_PORT. */
    publicUrl: string;
  };
  /** Media messages: storage, limits, signed URLs (docs/media.md). */
  media: {
    /** PARLEY_MEDIA_STORE: `fs` (files under PARLEY_MEDIA_DIR) or `s3` (an S3-compatible object store every node reaches). Default fs. */
    store: 'fs' | 's3';
    /** PARLEY_MEDIA_DIR: folder of the fs store. Default PARLEY_DATA/media. */
    dir: string;
    /** PARLEY_MEDIA_TMP: where uploads are staged while they are checked. Default PARLEY_DATA/media-tmp. */
    tmpDir: string;
    /** PARLEY_S3_ENDPOINT (unset = AWS), PARLEY_S3_REGION (us-east-1), PARLEY_S3_BUCKET (parley-media), PARLEY_S3_ACCESS_KEY, PARLEY_S3_SECRET_KEY, PARLEY_S3_PATH_STYLE (1 with an endpoint). */
    s3: { endpoint?: string; region: string; bucket: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
    /** PARLEY_MEDIA_SECRET: key of the media URL signatures; unset = derived from each app's secret key. Never logged. */
    secret?: string;
    /** Lifetime of an upload URL, seconds (the SDK asks for 900). Default 900. */
    uploadUrlSec: number;
    /** Largest upload per type, bytes: PARLEY_MEDIA_MAX_{IMAGE,AUDIO,VIDEO,FILE}_MB. Seed: 28, 28, 100, 100 MB. The default of apps whose settings set none (actors/apps/settings/media.ts). */
    maxBytes: { image: number; audio: number; video: number; file: number };
    /** PARLEY_MEDIA_QUOTA_MB: media bytes one app may keep, unless its settings say otherwise. Default 10240 (10 GiB). */
    quotaBytes: number;
    /**
     * PARLEY_MEDIA_READER_CHECK: `known` (default) checks the reader's membership when a download
     * names its reader (authKey, or identifier and usersig); `required` also refuses downloads that
     * name none (the SDK must then run with fileDownloadProxy). docs/media.md.
     */
    readerCheck: 'known' | 'required';
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

function atLeastZero(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const n = int(name, fallback, env);
  if (n < 0) throw new Error(`${name} must be 0 or more, got ${n}`);
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

const MB = 1024 * 1024;

function readerCheck(raw: string | undefined): 'known' | 'required' {
  if (raw === undefined || raw === 'known' || raw === 'required') return raw ?? 'known';
  throw new Error(`PARLEY_MEDIA_READER_CHECK must be known or required, got "${raw}"`);
}

function mediaStore(raw: string | undefined): 'fs' | 's3' {
  if (raw === undefined || raw === 'fs' || raw === 's3') return raw ?? 'fs';
  throw new Error(`PARLEY_MEDIA_STORE must be fs or s3, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const logLevel = (str('PARLEY_LOG_LEVEL', env) ?? 'info') as ParleyConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`PARLEY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = str('PARLEY_LOG_FORMAT', env) ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw new Error('PARLEY_LOG_FORMAT must be text or json');
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
    logFormat,
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
      placementCacheMs: int('PARLEY_PRESENCE_CACHE_MS', 5000, env),
    },
    retentionSweepSec: int('PARLEY_RETENTION_SWEEP_SEC', 3600, env),
    cluster: {
      heartbeatSec: int('PARLEY_HEARTBEAT_SEC', 2, env),
      heartbeatTimeoutSec: int('PARLEY_HEARTBEAT_TIMEOUT_SEC', 6, env),
      livenessProbeMs: int('PARLEY_LIVENESS_PROBE_MS', 250, env),
    },
    ops: {
      utcOffsetMin: int('PARLEY_UTC_OFFSET_MIN', 0, env),
      statsSettleMs: int('PARLEY_STATS_SETTLE_MS', str('PARLEY_DB', env) ? 1000 : 0, env),
      statsSampleSec: int('PARLEY_STATS_SAMPLE_SEC', 30, env),
      statsTailMs: atLeastZero('PARLEY_STATS_TAIL_MS', 1000, env),
      metricsToken: str('PARLEY_METRICS_TOKEN', env),
      egressIps: (str('PARLEY_EGRESS_IPS', env) ?? '').split(',').map((ip) => ip.trim()).filter((ip) => ip !== ''),
      consoleSessionSec: int('PARLEY_CONSOLE_SESSION_SEC', 3600, env),
      downloadUrlSec: int('PARLEY_DOWNLOAD_URL_SEC', 3600, env),
      publicUrl: (str('PARLEY_PUBLIC_URL', env) ?? `http://127.0.0.1:${int('PARLEY_PORT', 8080, env)}`).replace(/\/+$/, ''),
    },
    media: {
      store: mediaStore(str('PARLEY_MEDIA_STORE', env)),
      dir: path.resolve(str('PARLEY_MEDIA_DIR', env) ?? path.join(str('PARLEY_DATA', env) ?? './data', 'media')),
      tmpDir: path.resolve(str('PARLEY_MEDIA_TMP', env) ?? path.join(str('PARLEY_DATA', env) ?? './data', 'media-tmp')),
      s3: {
        endpoint: str('PARLEY_S3_ENDPOINT', env),
        region: str('PARLEY_S3_REGION', env) ?? 'us-east-1',
        bucket: str('PARLEY_S3_BUCKET', env) ?? 'parley-media',
        accessKeyId: str('PARLEY_S3_ACCESS_KEY', env),
        secretAccessKey: str('PARLEY_S3_SECRET_KEY', env),
        forcePathStyle: str('PARLEY_S3_PATH_STYLE', env) === undefined ? str('PARLEY_S3_ENDPOINT', env) !== undefined : flag('PARLEY_S3_PATH_STYLE', env),
      },
      secret: str('PARLEY_MEDIA_SECRET', env),
      uploadUrlSec: int('PARLEY_MEDIA_UPLOAD_URL_SEC', 900, env),
      maxBytes: {
        image: int('PARLEY_MEDIA_MAX_IMAGE_MB', 28, env) * MB,
        audio: int('PARLEY_MEDIA_MAX_AUDIO_MB', 28, env) * MB,
        video: int('PARLEY_MEDIA_MAX_VIDEO_MB', 100, env) * MB,
        file: int('PARLEY_MEDIA_MAX_FILE_MB', 100, env) * MB,
      },
      quotaBytes: int('PARLEY_MEDIA_QUOTA_MB', 10_240, env) * MB,
      readerCheck: readerCheck(str('PARLEY_MEDIA_READER_CHECK', env)),
    },
    actors: {
      snapshotEvery: int('PARLEY_SNAPSHOT_EVERY', 100, env),
      idleMs: int('PARLEY_ACTOR_IDLE_MS', 300_000, env),
      callTimeoutMs: int('PARLEY_ACTOR_TIMEOUT_MS', 10_000, env),
      c2cRemembered: int('PARLEY_C2C_REMEMBERED', 200, env),
    },
  };
}
