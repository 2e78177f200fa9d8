/**
 * Where each user's devices are connected: which node holds the socket, the platform, and
 * whether the device is Online or PushOnline. In process for embedded mode; a Redis hash per
 * user in a cluster, so delivery goes only to the nodes that hold the user's devices.
 */
import type Redis from 'ioredis';

export type DeviceStatus = 'Online' | 'PushOnline';

export interface DeviceRecord {
  /** The SDK instance id of the device's connection. */
  instId: string;
  /** Tencent platform name: iPhone, Android, Web, PC, iPad, Mac, MiniProgram… */
  platform: string;
  status: DeviceStatus;
  nodeID: string;
  /** Milliseconds since the epoch of the last status change. */
  since: number;
  /** PushOnline devices turn Offline at this instant (ms); 0 = no expiry. */
  expiresAt: number;
}

export interface PresenceDirectory {
  put(app: number, userId: string, device: DeviceRecord): Promise<void>;
  remove(app: number, userId: string, instId: string): Promise<void>;
  devicesOfMany(app: number, userIds: string[], now?: number): Promise<Map<string, DeviceRecord[]>>;
}

const live = (d: DeviceRecord, now: number) => d.expiresAt === 0 || d.expiresAt > now;

export class LocalPresence implements PresenceDirectory {
  private readonly users = new Map<string, Map<string, DeviceRecord>>();

  async put(app: number, userId: string, device: DeviceRecord): Promise<void> {
    const key = `${app}:${userId}`;
    let devices = this.users.get(key);
    if (!devices) this.users.set(key, (devices = new Map()));
    devices.set(device.instId, device);
  }

  async remove(app: number, userId: string, instId: string): Promise<void> {
    const key = `${app}:${userId}`;
    const devices = this.users.get(key);
    devices?.delete(instId);
    if (devices?.size === 0) this.users.delete(key);
  }

  async devicesOfMany(app: number, userIds: string[], now = Date.now()): Promise<Map<string, DeviceRecord[]>> {
    const out = new Map<string, DeviceRecord[]>();
    for (const id of userIds) out.set(id, [...(this.users.get(`${app}:${id}`)?.values() ?? [])].filter((d) => live(d, now)));
    return out;
  }
}

export class RedisPresence implements PresenceDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:presence:',
  ) {}

  private key(app: number, userId: string): string {
    return `${this.prefix}${app}:${userId}`;
  }

  async put(app: number, userId: string, device: DeviceRecord): Promise<void> {
    await this.redis.hset(this.key(app, userId), device.instId, JSON.stringify(device));
  }

  async remove(app: number, userId: string, instId: string): Promise<void> {
    await this.redis.hdel(this.key(app, userId), instId);
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
}
