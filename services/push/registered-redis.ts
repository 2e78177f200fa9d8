/**
 * Who has a push device, for a cluster: a Redis set per app (`<prefix>:<app>`), kept by the
 * pushdevices service after each append that changes a user's devices (a SADD or SREM issued on
 * the actor's owner before the command is answered, so on the Redis connection ahead of anything
 * the answer leads to). Asked by the all_member_push runner, one SMISMEMBER per batch: the send
 * path of single messages is synchronous there (side feeds) and keeps counting everyone.
 *
 * Registrations older than the set are copied in once from the log (`seed`, any node, any number
 * of times: it only adds); until a seed finished (`<prefix>:seeded`) the set answers nothing and
 * every recipient counts as registered. Each user's commands are in order on one connection; a
 * removal racing a seed can leave a user in the set — a job too many, never one too few.
 */
import type Redis from 'ioredis';

export class RedisRegistrations {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:push:registered',
  ) {}

  /** Issued at once, in order with the user's earlier changes; resolves when Redis applied it. */
  set(app: number, user: string, has: boolean): Promise<unknown> {
    return has ? this.redis.sadd(`${this.prefix}:${app}`, user) : this.redis.srem(`${this.prefix}:${app}`, user);
  }

  /** The users among `users` who have a device; undefined until the log was copied in. */
  async among(app: number, users: string[]): Promise<Set<string> | undefined> {
    if (users.length === 0) return new Set();
    const [[, seeded], [, flags]] = (await this.redis.multi().exists(`${this.prefix}:seeded`).smismember(`${this.prefix}:${app}`, ...users).exec()) as [[null, number], [null, number[]]];
    if (!seeded) return undefined;
    return new Set(users.filter((_, i) => flags[i] === 1));
  }

  async seeded(): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}:seeded`)) === 1;
  }

  /** Adds the users the log says have a device (`app:user` keys), then marks the set complete. */
  async seed(users: Iterable<string>): Promise<void> {
    const byApp = new Map<string, string[]>();
    for (const key of users) {
      const at = key.indexOf(':');
      const list = byApp.get(key.slice(0, at)) ?? [];
      list.push(key.slice(at + 1));
      byApp.set(key.slice(0, at), list);
    }
    for (const [app, list] of byApp) for (let i = 0; i < list.length; i += 1000) await this.redis.sadd(`${this.prefix}:${app}`, ...list.slice(i, i + 1000));
    await this.redis.set(`${this.prefix}:seeded`, '1');
  }
}
