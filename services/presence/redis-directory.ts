/**
 * The presence directory in Redis, for a cluster: a hash per user (field = SDK instance), the
 * PushOnline expiries in one sorted set, and per node the Online devices it holds, so that a
 * node process which stops renewing its liveness key (killed, cut off, restarted under the same
 * node id) leaves a list of orphans the other nodes report as disconnected.
 */
import type Redis from 'ioredis';
import { addTo, holderOf, live, type DevicePatch, type DeviceRecord, type ExpiredDevice, type LoginResult, type NewDevice, type PresenceDirectory } from './directory';

/**
 * Stores the device with the next order and answers the replaced record and every device. The
 * device is also listed on its node (KEYS[3], member ARGV[4]) and taken off the node of the
 * record it replaces (set name ARGV[5] .. nodeID); KEYS[4] lists the nodes that hold devices,
 * and KEYS[5], the node's liveness, is renewed for ARGV[7] ms: a login comes from a live node.
 */
const LOGIN_SCRIPT = `
local order = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], string.sub(ARGV[2], 1, -2) .. ',"order":' .. order .. '}')
if old then
  local o = cjson.decode(old)
  if type(o.nodeID) == 'string' then
    local was = o.nodeID
    if type(o.instance) == 'string' and o.instance ~= '' then was = was .. '#' .. o.instance end
    redis.call('SREM', ARGV[5] .. was, ARGV[4])
  end
end
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('SADD', KEYS[4], ARGV[6])
redis.call('SET', KEYS[5], '1', 'PX', ARGV[7])
return {old or '', redis.call('HVALS', KEYS[1])}`;

/** Compare-and-set of one field: write (or delete, when ARGV[3] is empty) only if unchanged. */
const CAS_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1`;

/** Per user key: the nodes of its Online devices, NUL-separated ('' for none). */
const PLACEMENT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local nodes = {}
  for _, v in ipairs(redis.call('HVALS', key)) do
    local d = cjson.decode(v)
    if d.status == 'Online' then nodes[#nodes + 1] = d.nodeID end
  end
  out[i] = table.concat(nodes, '\\0')
end
return out`;
const PLACEMENT_SLICE = 500;

/** How long one sweeper holds a dead node before another may take it over. */
const ORPHAN_CLAIM_MS = 10_000;

/** The order counter outlives the longest PushOnline record (7 days) by a day. */
const ORDER_TTL_MS = 8 * 24 * 3600 * 1000;

export class RedisPresence implements PresenceDirectory {
  private readonly nodesKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:presence:',
    /** How long a node counts as alive after its last sign of life (login or touch). */
    private readonly nodeTtlMs = 30_000,
  ) {
    this.nodesKey = `${prefix}nodes`;
  }

  private key(app: number, userId: string): string {
    return `${this.prefix}${app}:${userId}`;
  }

  private get expiryKey(): string {
    return `${this.prefix}expiry`;
  }

  /** The Online devices recorded on a node, as `app NUL user NUL instId`; sessions are checked when read. */
  private onNode(holder: string): string {
    return `${this.prefix}on:${holder}`;
  }

  async login(app: number, userId: string, device: NewDevice): Promise<LoginResult> {
    const holder = holderOf(device);
    const keys = [this.key(app, userId), `${this.prefix}order:${app}:${userId}`, this.onNode(holder), this.nodesKey, this.alive(holder)];
    const member = nodeMember(app, userId, device.instId);
    const args = [device.instId, JSON.stringify(device), ORDER_TTL_MS, member, this.onNode(''), holder, this.nodeTtlMs];
    const [old, values] = (await this.redis.eval(LOGIN_SCRIPT, keys.length, ...keys, ...args)) as [string, string[]];
    const devices = values.map((v) => JSON.parse(v) as DeviceRecord).filter((d) => live(d, device.since));
    return { devices, replaced: old ? (JSON.parse(old) as DeviceRecord) : undefined };
  }

  async removeIf(app: number, userId: string, instId: string, session: number): Promise<DeviceRecord | undefined> {
    return this.cas(app, userId, instId, session, () => undefined);
  }

  async patchIf(app: number, userId: string, instId: string, session: number, patch: DevicePatch): Promise<DeviceRecord | undefined> {
    const next = await this.cas(app, userId, instId, session, (d) => ({ ...d, ...patch }));
    if (next && next.status === 'PushOnline' && next.expiresAt > 0) {
      await this.redis.zadd(this.expiryKey, next.expiresAt, JSON.stringify([app, userId, instId, session]));
    }
    return next;
  }

  /** Applies `change` to the session's record; undefined from `change` deletes. Returns the old record on delete. */
  private async cas(app: number, userId: string, instId: string, session: number, change: (d: DeviceRecord) => DeviceRecord | undefined) {
    const key = this.key(app, userId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const raw = await this.redis.hget(key, instId);
      if (raw === null) return undefined;
      const found = JSON.parse(raw) as DeviceRecord;
      if (found.session !== session) return undefined;
      const next = change(found);
      const done = await this.redis.eval(CAS_SCRIPT, 1, key, instId, raw, next ? JSON.stringify(next) : '');
      if (done !== 1) continue;
      // Only Online devices hold a socket on a node; the node's list is what a dead node leaves.
      if (found.status === 'Online' && next?.status !== 'Online') await this.redis.srem(this.onNode(holderOf(found)), nodeMember(app, userId, instId));
      return next ?? found;
    }
    return undefined;
  }

  async devicesOfMany(app: number, userIds: string[], now = Date.now()): Promise<Map<string, DeviceRecord[]>> {
    const pipeline = this.redis.pipeline();
    for (const id of userIds) pipeline.hvals(this.key(app, id));
    const results = (await pipeline.exec()) ?? [];
    const out = new Map<string, DeviceRecord[]>();
    userIds.forEach((id, i) => {
      const [err, values] = results[i] ?? [null, []];
      if (err) throw err;
      out.set(id, (values as string[]).map((v) => JSON.parse(v) as DeviceRecord).filter((d) => live(d, now)));
    });
    return out;
  }

  /**
   * Scripted: Redis reads each user's devices and answers only the nodes of Online ones, one
   * string per user. A pipeline of one HVALS per user cost ~20 µs per user on the node
   * (command objects, reply parsing, JSON.parse), 40 ms for a group of 2,000; this costs a few.
   * In slices of 500 users, so Redis is never held up long by one script.
   */
  async placement(app: number, userIds: string[]): Promise<Map<string, string[]>> {
    const byNode = new Map<string, string[]>();
    const slices: string[][] = [];
    for (let i = 0; i < userIds.length; i += PLACEMENT_SLICE) slices.push(userIds.slice(i, i + PLACEMENT_SLICE));
    const answers = await Promise.all(slices.map((ids) => this.redis.eval(PLACEMENT_SCRIPT, ids.length, ...ids.map((id) => this.key(app, id))) as Promise<string[]>));
    slices.forEach((ids, s) => {
      ids.forEach((id, i) => {
        const nodes = answers[s][i];
        if (nodes) for (const nodeID of nodes.split('\u0000')) addTo(byNode, nodeID, id);
      });
    });
    return byNode;
  }

  async takeExpired(now: number, limit: number): Promise<ExpiredDevice[]> {
    const members = await this.redis.zrangebyscore(this.expiryKey, '-inf', now, 'LIMIT', 0, limit);
    const out: ExpiredDevice[] = [];
    for (const member of members) {
      // ZREM decides which node reports the expiry: exactly one gets 1.
      if ((await this.redis.zrem(this.expiryKey, member)) !== 1) continue;
      const [app, userId, instId, session] = JSON.parse(member) as [number, string, string, number];
      const device = await this.removeIf(app, userId, instId, session);
      if (device && device.status === 'PushOnline') out.push({ app, userId, device });
    }
    return out;
  }

  private alive(holder: string): string {
    return `${this.prefix}alive:${holder}`;
  }

  async touchNode(holder: string): Promise<void> {
    await this.redis.multi().set(this.alive(holder), '1', 'PX', this.nodeTtlMs).sadd(this.nodesKey, holder).exec();
  }

  /**
   * Claims a dead node for ORPHAN_CLAIM_MS (one sweeper at a time) and reads up to `limit` of its
   * listed devices. Members whose record moved on (another node, another status, gone) are
   * dropped from the list here; the caller ends each device with a conditional update, so two
   * sweepers racing past the claim still report each device once. An empty list retires the node.
   */
  async orphans(limit: number): Promise<ExpiredDevice[]> {
    const out: ExpiredDevice[] = [];
    for (const holder of await this.redis.smembers(this.nodesKey)) {
      if (out.length >= limit) break;
      if ((await this.redis.exists(this.alive(holder))) === 1) continue;
      if ((await this.redis.set(`${this.prefix}claim:${holder}`, '1', 'PX', ORPHAN_CLAIM_MS, 'NX')) !== 'OK') continue;
      const members = await this.redis.srandmember(this.onNode(holder), limit - out.length);
      if (members.length === 0) {
        await this.redis.srem(this.nodesKey, holder);
        continue;
      }
      for (const member of members) {
        const [app, userId, instId] = member.split('\u0000');
        const raw = await this.redis.hget(this.key(Number(app), userId), instId);
        const device = raw === null ? undefined : (JSON.parse(raw) as DeviceRecord);
        if (device && holderOf(device) === holder && device.status === 'Online') out.push({ app: Number(app), userId, device });
        else await this.redis.srem(this.onNode(holder), member);
      }
    }
    return out;
  }
}

const nodeMember = (app: number, userId: string, instId: string) => `${app}\u0000${userId}\u0000${instId}`;
