/**
 * Where each user's devices are connected: which node holds the socket, the platform, and
 * whether the device is Online or PushOnline. In process for embedded mode; a Redis hash per
 * user in a cluster, so delivery goes only to the nodes that hold the user's devices.
 *
 * Concurrent logins of one user on different nodes need no lock: `login` stores the device and
 * returns every device of the user in one atomic step, with a per-user login `order`. Each
 * login then evicts only conflicting devices with a lower order, so whichever of two racing
 * logins came second removes the first, and never the other way round. Removals and updates
 * are conditional on the login session, so a late logout of an old session never removes the
 * new one of the same SDK instance.
 */
import type Redis from 'ioredis';

export type DeviceStatus = 'Online' | 'PushOnline';

export interface DeviceRecord {
  /** The SDK instance id of the device (URL `instanceid`), the same across reconnects. */
  instId: string;
  /** The InstId of the current login (wslogin reply); new at every login. */
  session: number;
  /** Tencent platform name: iPhone, Android, Web, PC, iPad, Mac, MiniProgram. */
  platform: string;
  status: DeviceStatus;
  nodeID: string;
  /** Milliseconds since the epoch of the last status change. */
  since: number;
  /** PushOnline devices turn Offline at this instant (ms); 0 = no expiry. */
  expiresAt: number;
  /** Registered for offline push (a mobile device that gave a push token). */
  push: boolean;
  /** Login order among the user's devices, assigned by the directory. */
  order: number;
}

export type NewDevice = Omit<DeviceRecord, 'order'>;
export type DevicePatch = Partial<Pick<DeviceRecord, 'status' | 'since' | 'expiresAt' | 'push'>>;

export interface LoginResult {
  /** Every live device of the user, the new one included (with its order). */
  devices: DeviceRecord[];
  /** The record the new login replaced: the same SDK instance's previous session. */
  replaced?: DeviceRecord;
}

export interface ExpiredDevice {
  app: number;
  userId: string;
  device: DeviceRecord;
}

export interface PresenceDirectory {
  login(app: number, userId: string, device: NewDevice): Promise<LoginResult>;
  /** Removes the device if it is still the given session; returns what was removed. */
  removeIf(app: number, userId: string, instId: string, session: number): Promise<DeviceRecord | undefined>;
  /** Updates the device if it is still the given session; returns the new record. */
  patchIf(app: number, userId: string, instId: string, session: number, patch: DevicePatch): Promise<DeviceRecord | undefined>;
  devicesOfMany(app: number, userIds: string[], now?: number): Promise<Map<string, DeviceRecord[]>>;
  /** Which of the users have an Online device on which node: nodeID → users (each once per node). */
  placement(app: number, userIds: string[]): Promise<Map<string, string[]>>;
  /** Removes and returns PushOnline devices whose expiry has passed (at most `limit`). */
  takeExpired(now: number, limit: number): Promise<ExpiredDevice[]>;
}

const live = (d: DeviceRecord, now: number) => d.expiresAt === 0 || d.expiresAt > now;

/** Adds a user to a node's list once, however many devices the user has there. */
function addTo(byNode: Map<string, string[]>, nodeID: string, userId: string): void {
  const list = byNode.get(nodeID);
  if (!list) byNode.set(nodeID, [userId]);
  else if (list[list.length - 1] !== userId) list.push(userId);
}

interface UserDevices {
  order: number;
  devices: Map<string, DeviceRecord>;
}

export class LocalPresence implements PresenceDirectory {
  /** app → user → devices. Nested rather than keyed by "app\0user": a fan-out looks up thousands of users whose id strings already carry their hash. */
  private readonly apps = new Map<number, Map<string, UserDevices>>();

  private usersOf(app: number): Map<string, UserDevices> {
    let users = this.apps.get(app);
    if (!users) this.apps.set(app, (users = new Map()));
    return users;
  }

  async login(app: number, userId: string, device: NewDevice): Promise<LoginResult> {
    const users = this.usersOf(app);
    let user = users.get(userId);
    if (!user) users.set(userId, (user = { order: 0, devices: new Map() }));
    const replaced = user.devices.get(device.instId);
    const record: DeviceRecord = { ...device, order: ++user.order };
    user.devices.set(device.instId, record);
    return { devices: [...user.devices.values()].filter((d) => live(d, device.since)), replaced };
  }

  async removeIf(app: number, userId: string, instId: string, session: number): Promise<DeviceRecord | undefined> {
    const users = this.apps.get(app);
    const user = users?.get(userId);
    const found = user?.devices.get(instId);
    if (!users || !user || found?.session !== session) return undefined;
    user.devices.delete(instId);
    if (user.devices.size === 0) users.delete(userId);
    return found;
  }

  async patchIf(app: number, userId: string, instId: string, session: number, patch: DevicePatch): Promise<DeviceRecord | undefined> {
    const user = this.apps.get(app)?.get(userId);
    const found = user?.devices.get(instId);
    if (!user || found?.session !== session) return undefined;
    const next = { ...found, ...patch };
    user.devices.set(instId, next);
    return next;
  }

  async devicesOfMany(app: number, userIds: string[], now = Date.now()): Promise<Map<string, DeviceRecord[]>> {
    const users = this.apps.get(app);
    const out = new Map<string, DeviceRecord[]>();
    for (const id of userIds) out.set(id, [...(users?.get(id)?.devices.values() ?? [])].filter((d) => live(d, now)));
    return out;
  }

  async placement(app: number, userIds: string[]): Promise<Map<string, string[]>> {
    const byNode = new Map<string, string[]>();
    const users = this.apps.get(app);
    if (!users) return byNode;
    for (const id of userIds) {
      const user = users.get(id);
      if (user) for (const d of user.devices.values()) if (d.status === 'Online') addTo(byNode, d.nodeID, id);
    }
    return byNode;
  }

  async takeExpired(now: number, limit: number): Promise<ExpiredDevice[]> {
    const out: ExpiredDevice[] = [];
    for (const [app, users] of this.apps) {
      for (const [userId, user] of users) {
        for (const device of user.devices.values()) {
          if (out.length >= limit) return out;
          if (live(device, now)) continue;
          await this.removeIf(app, userId, device.instId, device.session);
          out.push({ app, userId, device });
        }
      }
    }
    return out;
  }
}

/** Stores the device with the next order and answers the replaced record and every device. */
const LOGIN_SCRIPT = `
local order = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], string.sub(ARGV[2], 1, -2) .. ',"order":' .. order .. '}')
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

/** The order counter outlives the longest PushOnline record (7 days) by a day. */
const ORDER_TTL_MS = 8 * 24 * 3600 * 1000;

export class RedisPresence implements PresenceDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:presence:',
  ) {}

  private key(app: number, userId: string): string {
    return `${this.prefix}${app}:${userId}`;
  }

  private get expiryKey(): string {
    return `${this.prefix}expiry`;
  }

  async login(app: number, userId: string, device: NewDevice): Promise<LoginResult> {
    const keys = [this.key(app, userId), `${this.prefix}order:${app}:${userId}`];
    const [old, values] = (await this.redis.eval(LOGIN_SCRIPT, 2, ...keys, device.instId, JSON.stringify(device), ORDER_TTL_MS)) as [string, string[]];
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
      if (done === 1) return next ?? found;
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
}
