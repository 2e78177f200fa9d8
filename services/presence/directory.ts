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
  /** The process on that node (its broker's instanceID): a node restarted under the same id holds none of the old sockets. */
  instance?: string;
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
  /**
   * Cluster only: the holder of sockets (holderOf) says it is alive (for the directory's node
   * TTL). One that stops saying so (killed, cut off from Redis, restarted) leaves orphans.
   */
  touchNode?(holder: string): Promise<void>;
  /** Cluster only: Online devices recorded on holders no longer alive (at most `limit`), for their disconnect to be reported. */
  orphans?(limit: number): Promise<ExpiredDevice[]>;
}

/** Who holds a device's socket, for telling dead holders apart: the node, and the process on it. */
export const holderOf = (d: Pick<DeviceRecord, 'nodeID' | 'instance'>) => (d.instance ? `${d.nodeID}#${d.instance}` : d.nodeID);

export const live = (d: DeviceRecord, now: number) => d.expiresAt === 0 || d.expiresAt > now;

/** Adds a user to a node's list once, however many devices the user has there. */
export function addTo(byNode: Map<string, string[]>, nodeID: string, userId: string): void {
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

