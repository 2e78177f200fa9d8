/**
 * Which users have ever registered a push device, so that the send path writes no push job for
 * a recipient who could never be pushed. With push configured, a job per message cost an
 * embedded node ~40% of its one-to-one rate even when no recipient had a token (bench/push.ts
 * --tokens 0: the job's feed rows in the commit, the queue actor's catch-up and snapshots, the
 * deliverer's round and registration lookup, all to find nothing to do).
 *
 * Exact only in one process (embedded mode, no transporter): the registrations are read once
 * from the log (DeviceRegistered events), and every later registration is added by the
 * pushdevices service in the same process before it answers. Until that read is done, and
 * always in a cluster (where a registration on another node would be seen late), every
 * recipient counts as registered: the deliverer's own lookup decides, as before. Batches (the
 * all_member_push runner) ask `among`, which in a cluster with Redis is exact: the Redis set of
 * registered-redis.ts. A user whose last token is removed leaves the set (the pushdevices service tells it after the append, with
 * the user's devices after it); while the log is read, what it tells is applied over the log.
 */
import type { ServiceBroker } from 'moleculer';
import { DEVICE_REGISTERED, DEVICES_REMOVED, pushregKind, type PushDevice } from '../../actors/pushreg';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { RedisRegistrations } from './registered-redis';

const PAGE = 5000;

class Registered {
  private readonly users = new Set<string>();
  private ready = false;
  private loading: Promise<void> | undefined;
  /** What the pushdevices service told this process while the log was being read: applied over it. */
  private readonly told = new Map<string, boolean>();

  constructor(private readonly broker: ServiceBroker) {}

  /** False only when `user` certainly has no push device. */
  mayHave(app: number, user: string): boolean {
    if (this.broker.transit) return true;
    if (!this.ready) {
      void this.load();
      return true;
    }
    return this.users.has(`${app}:${user}`);
  }

  /** Resolves once the registrations were read (at once in a cluster, where none are kept). */
  async loaded(): Promise<void> {
    if (!this.broker.transit && !this.ready) await this.load();
  }

  /**
   * The users among `users` who may have a device, for a batch (the all_member_push runner):
   * this process's set when embedded; in a cluster, the Redis set (registered-redis.ts), copied
   * from the log first if no node did yet; everyone in a cluster without Redis.
   */
  async among(app: number, users: string[]): Promise<Set<string>> {
    const redis = runtimeOf(this.broker).redis;
    if (!this.broker.transit) {
      await this.loaded();
      return new Set(users.filter((u) => this.mayHave(app, u)));
    }
    if (!redis) return new Set(users);
    const cluster = new RedisRegistrations(redis);
    if (!(await cluster.seeded())) await cluster.seed(await this.replay());
    return (await cluster.among(app, users)) ?? new Set(users);
  }

  /** `user` has a push device now (`has`), or their last one was removed. */
  set(app: number, user: string, has: boolean): void {
    if (this.broker.transit) {
      const redis = runtimeOf(this.broker).redis;
      if (redis) void new RedisRegistrations(redis).set(app, user, has).catch((err: Error) => this.broker.logger.warn(`push registration of ${app}/${user} not written to Redis: ${err.message}`));
      return;
    }
    const key = `${app}:${user}`;
    if (!this.ready) this.told.set(key, has);
    if (has) this.users.add(key);
    else this.users.delete(key);
  }

  private load(): Promise<void> {
    this.loading ??= this.replay()
      .then((users) => {
        for (const user of users) this.users.add(user);
        for (const [user, has] of this.told) if (!has) this.users.delete(user);
        this.told.clear();
        this.ready = true;
      })
      .catch((err: Error) => {
        // Not ready: every recipient keeps counting as registered; the next use tries again.
        this.loading = undefined;
        this.broker.logger.warn(`push registrations not read (${err.message}); every recipient counts as registered`);
      });
    return this.loading;
  }

  /**
   * Who has a device left (`app:user`), from the log: the registrations replayed as the pushreg
   * actor does (a token registered again under another device moves there; a removal names its
   * devices).
   */
  private async replay(): Promise<Set<string>> {
    const store = runtimeOf(this.broker).store;
    const prefix = `${pushregKind.name}:`;
    const devices = new Map<string, Map<string, string>>();
    for (let afterPosition = 0; ; ) {
      const page = await store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, streamPrefix: prefix, types: [DEVICE_REGISTERED, DEVICES_REMOVED], afterPosition, limit: PAGE });
      for (const e of page) {
        const user = e.stream.slice(prefix.length);
        let held = devices.get(user);
        if (!held) devices.set(user, (held = new Map()));
        if (e.type === DEVICE_REGISTERED) {
          const d = e.data as PushDevice;
          for (const [instId, token] of held) if (token === d.token) held.delete(instId);
          held.set(d.instId, d.token);
        } else for (const instId of (e.data as { instIds: string[] }).instIds) held.delete(instId);
      }
      if (page.length < PAGE) break;
      afterPosition = page[page.length - 1].position;
    }
    return new Set([...devices].filter(([, held]) => held.size > 0).map(([user]) => user));
  }
}

const all = new WeakMap<ServiceBroker, Registered>();

/** This process's view of who registered a push device. */
export function registeredOf(broker: ServiceBroker): Registered {
  let r = all.get(broker);
  if (!r) all.set(broker, (r = new Registered(broker)));
  return r;
}
