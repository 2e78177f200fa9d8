/**
 * What every service of a node shares: configuration, the event log, and Redis when the
 * cluster has one. Installed as a broker middleware so it opens before any service starts
 * (`starting`) and closes after the last one stops (`stopped`).
 */
import Redis from 'ioredis';
import type { Middleware, ServiceBroker } from 'moleculer';
import type { ParleyConfig } from '../../config';
import { EventCodec } from '../../schemas/codec';
import { openEventStore, type EventStore } from '../../store';
import { openBlobStore } from '../../store/blobs';
import type { BlobStore } from '../blobs';
import { observeCommit } from '../metrics';
import { toMoleculerError } from './errors';
import { maskUrl } from '../../config/redact';
import { checkSharedLog, maskedStartError, PreflightError, reachable } from './preflight';

export interface RuntimeOverrides {
  /** An already opened store (tests, benchmarks). The runtime does not close it. */
  store?: EventStore;
  /** Extra event schemas beside those of schemas/ (actor kinds of tests and benchmarks). */
  extraSchemas?: object[];
}

export class ParleyRuntime {
  private storeInstance: EventStore | undefined;
  private redisInstance: Redis | undefined;
  private ownsStore = true;
  private blobsOpening: Promise<BlobStore> | undefined;

  constructor(
    readonly config: ParleyConfig,
    private readonly overrides: RuntimeOverrides = {},
  ) {}

  get store(): EventStore {
    if (!this.storeInstance) throw new Error('the event store is not open yet');
    return this.storeInstance;
  }

  /** Redis of the cluster, or undefined in embedded mode (shared state then stays in process). */
  get redis(): Redis | undefined {
    return this.redisInstance;
  }

  /** The media store (runtime/blobs.ts), opened on first use: nodes that never see a media request never connect to it. */
  blobs(): Promise<BlobStore> {
    this.blobsOpening ??= openBlobStore(this.config).catch((err: unknown) => {
      this.blobsOpening = undefined;
      throw err;
    });
    return this.blobsOpening;
  }

  async open(): Promise<void> {
    try {
      await this.openAll();
    } catch (err) {
      await this.close().catch(() => undefined);
      // Whatever failed, the message the runner prints on its way out has no password in it.
      throw maskedStartError(err);
    }
  }

  private async openAll(): Promise<void> {
    const { config } = this;
    // An override store is a test's or benchmark's own; the shared-log rule is about our own.
    if (!this.overrides.store) checkSharedLog(config);
    if (config.transporter?.startsWith('nats://')) await reachable(config.transporter, 4222, 'NATS');
    if (config.redis) this.redisInstance = await connectRedis(config.redis);
    if (this.overrides.store) {
      this.storeInstance = this.overrides.store;
      this.ownsStore = false;
    } else {
      if (config.db) await reachable(config.db, 5432, 'PostgreSQL');
      this.storeInstance = await openEventStore(config, EventCodec.fromDirectory(undefined, this.overrides.extraSchemas));
    }
    this.storeInstance.commitObserver = observeCommit;
  }

  async close(): Promise<void> {
    if (this.ownsStore) await this.storeInstance?.close();
    await this.blobsOpening?.then((b) => b.close()).catch(() => undefined);
    this.redisInstance?.disconnect();
  }

  /** The broker middleware that opens and closes this runtime with the broker. */
  middleware(): Middleware {
    return {
      created: (broker: ServiceBroker) => void runtimes.set(broker, this),
      // A refusal by the domain leaves every action as a client error carrying its Tencent code.
      localAction: (next: (ctx: unknown) => Promise<unknown>) => (ctx: unknown) => next(ctx).catch((err: unknown) => Promise.reject(toMoleculerError(err))),
      starting: () => this.open(),
      stopped: () => this.close(),
    } as Middleware;
  }
}

const runtimes = new WeakMap<ServiceBroker, ParleyRuntime>();

export function runtimeOf(broker: ServiceBroker): ParleyRuntime {
  const runtime = runtimes.get(broker);
  if (!runtime) throw new Error('this broker has no ParleyRuntime middleware');
  return runtime;
}

async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', () => undefined); // reconnects on its own; failed commands reject to their callers
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new PreflightError(`Redis at ${maskUrl(url)} is unreachable: ${(err as Error).message}`);
  }
  return redis;
}
