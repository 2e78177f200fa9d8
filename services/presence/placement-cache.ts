/**
 * A cluster node's cache of where users' devices are, for delivery only (pushes of messages to
 * the nodes holding the recipients' sockets). Without it every one-to-one message and every
 * group fan-out asked Redis (one script or pipeline per message; 8 % of a cluster node's CPU
 * under one-to-one load, plus a round trip on the message's way to its recipient).
 *
 * Kept current by events, bounded in staleness by a TTL:
 * - every write to the directory, on any node, is announced to every node, which forgets the
 *   user (ForgettingDirectory below);
 * - a login waits until every node has forgotten the user before it is answered. So once the
 *   SDK has its login reply (and syncs), no node pushes from a placement that lacks the new
 *   device: a message committed after that sync is looked up afresh. One committed before the
 *   sync reaches the device through the sync. Push stays an optimisation; the sequences are
 *   the truth.
 * - A fill (a read from the directory) that overlaps a forget of the same user is used for the
 *   push that asked, but not kept: it may have read the directory before the write.
 * - Removals (logout, gone away, kicked) are announced without waiting: a stale entry only
 *   sends a push to a node that no longer holds the socket, which drops it.
 * - The TTL bounds what a node that missed announcements (cut off from the transporter, or a
 *   node that did not answer a login's forget in time) can get wrong.
 *
 * Reads for decisions other than delivery (online status, offline push) go to the directory.
 */
import { addTo, live, type DeviceRecord, type DevicePatch, type ExpiredDevice, type LoginResult, type NewDevice, type PresenceDirectory } from './directory';

interface Entry {
  at: number;
  /** Every live device of the user, when filled by a one-to-one delivery. */
  devices?: DeviceRecord[];
  /** The nodes of the user's Online devices, when filled by a group fan-out. */
  nodes?: string[];
}

/** Forgotten users are remembered this long, longer than any directory read takes. */
const FORGOTTEN_KEEP_MS = 30_000;

const keyOf = (app: number, userId: string) => `${app}\u0000${userId}`;

export class PlacementCache {
  private readonly entries = new Map<string, Entry>();
  /** User key → the number of the forget that last dropped it (in the order of `forgets`). */
  private readonly forgotten = new Map<string, { n: number; at: number }>();
  private forgets = 0;
  private clearedAt = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly source: Pick<PresenceDirectory, 'devicesOfMany' | 'placement'>,
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  forget(app: number, userIds: string[]): void {
    const at = this.clock();
    const n = ++this.forgets;
    for (const userId of userIds) {
      const key = keyOf(app, userId);
      this.entries.delete(key);
      // Re-inserted so the map stays in time order and the oldest can be pruned from its front.
      this.forgotten.delete(key);
      this.forgotten.set(key, { n, at });
    }
    for (const [key, f] of this.forgotten) {
      if (at - f.at < FORGOTTEN_KEEP_MS) break;
      this.forgotten.delete(key);
    }
  }

  /** Forgets everyone: after the node was cut off from the announcements. */
  clear(): void {
    this.entries.clear();
    this.clearedAt = ++this.forgets;
  }

  async devicesOfMany(app: number, userIds: string[], now = this.clock()): Promise<Map<string, DeviceRecord[]>> {
    const out = new Map<string, DeviceRecord[]>();
    const missing: string[] = [];
    for (const userId of userIds) {
      const devices = this.fresh(app, userId, now)?.devices;
      if (devices) out.set(userId, devices.filter((d) => live(d, now)));
      else missing.push(userId);
    }
    this.hits += userIds.length - missing.length;
    if (missing.length === 0) return out;
    this.misses += missing.length;
    const started = this.forgets;
    const found = await this.source.devicesOfMany(app, missing, now);
    for (const userId of missing) {
      const devices = found.get(userId) ?? [];
      out.set(userId, devices);
      this.keep(app, userId, started, { devices });
    }
    return out;
  }

  async placement(app: number, userIds: string[]): Promise<Map<string, string[]>> {
    const byNode = new Map<string, string[]>();
    const missing: string[] = [];
    const now = this.clock();
    for (const userId of userIds) {
      const entry = this.fresh(app, userId, now);
      const nodes = entry?.nodes ?? entry?.devices?.filter((d) => d.status === 'Online').map((d) => d.nodeID);
      if (nodes) for (const nodeID of nodes) addTo(byNode, nodeID, userId);
      else missing.push(userId);
    }
    this.hits += userIds.length - missing.length;
    if (missing.length === 0) return byNode;
    this.misses += missing.length;
    const started = this.forgets;
    const nodesOf = new Map<string, string[]>(missing.map((userId) => [userId, []]));
    for (const [nodeID, users] of await this.source.placement(app, missing)) {
      for (const userId of users) {
        nodesOf.get(userId)?.push(nodeID);
        addTo(byNode, nodeID, userId);
      }
    }
    for (const [userId, nodes] of nodesOf) this.keep(app, userId, started, { nodes });
    return byNode;
  }

  private fresh(app: number, userId: string, now: number): Entry | undefined {
    const key = keyOf(app, userId);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at < this.ttlMs) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps what a fill read, unless the user was forgotten since the fill started. */
  private keep(app: number, userId: string, started: number, found: Omit<Entry, 'at'>): void {
    const key = keyOf(app, userId);
    if (this.clearedAt > started || (this.forgotten.get(key)?.n ?? 0) > started) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { at: this.clock(), ...found });
  }
}

/**
 * Announces a change of a user's devices (`wait`: and until every node has forgotten them).
 * Failures are the announcer's to log; a write is never undone for an announcement.
 */
export type Announce = (app: number, userIds: string[], wait: boolean) => Promise<void>;

/** The directory, announcing each write to the nodes' placement caches. */
export class ForgettingDirectory implements PresenceDirectory {
  constructor(
    private readonly inner: PresenceDirectory,
    private readonly announce: Announce,
  ) {}

  async login(app: number, userId: string, device: NewDevice): Promise<LoginResult> {
    const result = await this.inner.login(app, userId, device);
    await this.announce(app, [userId], true);
    return result;
  }

  async removeIf(app: number, userId: string, instId: string, session: number): Promise<DeviceRecord | undefined> {
    const removed = await this.inner.removeIf(app, userId, instId, session);
    if (removed) await this.announce(app, [userId], false);
    return removed;
  }

  async patchIf(app: number, userId: string, instId: string, session: number, patch: DevicePatch): Promise<DeviceRecord | undefined> {
    const next = await this.inner.patchIf(app, userId, instId, session, patch);
    if (next) await this.announce(app, [userId], false);
    return next;
  }

  devicesOfMany(app: number, userIds: string[], now?: number): Promise<Map<string, DeviceRecord[]>> {
    return this.inner.devicesOfMany(app, userIds, now);
  }

  placement(app: number, userIds: string[]): Promise<Map<string, string[]>> {
    return this.inner.placement(app, userIds);
  }

  async takeExpired(now: number, limit: number): Promise<ExpiredDevice[]> {
    const expired = await this.inner.takeExpired(now, limit);
    await Promise.all(expired.map(({ app, userId }) => this.announce(app, [userId], false)));
    return expired;
  }

  async touchNode(holder: string): Promise<void> {
    await this.inner.touchNode?.(holder);
  }

  async orphans(limit: number): Promise<ExpiredDevice[]> {
    return (await this.inner.orphans?.(limit)) ?? [];
  }
}
