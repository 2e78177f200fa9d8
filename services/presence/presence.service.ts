/**
 * presence — which devices of which users are connected, where, and in which status.
 * Actions: query (online status, delivery), placement (which node holds which of many users,
 * for group fan-out; a node running presence reads it directly, presenceDirectoryOf), login (store a device, apply the app's
 * multi-device policy), leave (logout → Offline; gone away → PushOnline or Offline),
 * register (offline-push registration of a device), touch (a node process holding sockets is
 * alive; in a cluster, the devices of one that stops touching are reported gone by the sweep),
 * forget (drop users from this node's placement cache; a login waits for every node's answer).
 * Emits: presence.devices.changed {app, userIds} to every node after each directory write (cluster:
 * the nodes' placement caches forget those users; placement-cache.ts);
 * user.status.changed {app, userId, platform, status, instId, at, reason?, kickedPlatforms?} for every device
 * status change (Online, PushOnline, Offline), for whoever watches; the State.StateChange
 * callback of a change is queued here, before the action that caused it answers.
 * Consumes: user.kicked, user.deleted (PushOnline devices of the user turn Offline; connected
 * ones leave through the connector). A sweep turns PushOnline devices Offline after 7 days.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { DEFAULT_SETTINGS } from '../../actors/apps/settings/app-settings';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { holderOf, LocalPresence, type DeviceRecord, type PresenceDirectory } from './directory';
import type { PresenceLeave, PresenceLogin, PresenceLoginReply, PresenceQuery, PresenceRegister, UserStatus, UserStatusChanged } from './client';
import { RedisPresence } from './redis-directory';
import { ForgettingDirectory, PlacementCache } from './placement-cache';
import { classOf, evictions } from './policy';
import { reportStateChange } from '../webhooks/client';

type PresenceService = Service & {
  directory: PresenceDirectory;
  /** Cluster: where users' devices are, for delivery (deliveryDirectoryOf). */
  placementCache?: PlacementCache;
  announce(app: number, userIds: string[], wait: boolean): Promise<void>;
  sweeper?: NodeJS.Timeout;
  changed(app: number, userId: string, device: DeviceRecord, status: UserStatus, at: number, why?: Pick<UserStatusChanged, 'reason' | 'kickedPlatforms'>): Promise<void>;
  depart(app: number, userId: string, device: DeviceRecord, mode: PresenceLeave['mode'], now: number): Promise<UserStatus | null>;
  sweep(): Promise<void>;
};

const app = { type: 'number', integer: true, positive: true };
const userId = { type: 'string', min: 1, max: 64 };
const session = { type: 'number', integer: true };
const forgetParams = { $$strict: true, app, userIds: { type: 'array', items: 'string', max: 1000 } };

/** How long a login waits for each node to forget the user; a node that does not answer in time is covered by the cache's TTL. */
const FORGET_TIMEOUT_MS = 1000;

/** The `user.status.changed` payload (and State.StateChange cause) of one device's change. */
const statusChange = (app: number, userId: string, device: DeviceRecord, status: UserStatus, at: number, why: Pick<UserStatusChanged, 'reason' | 'kickedPlatforms'>): UserStatusChanged => ({
  app,
  userId,
  platform: device.platform,
  status,
  instId: device.instId,
  at,
  ...why,
});

/** Broadcast to every node: the conditional remove lets exactly one of them report each device. */
async function endPushOnline(this: PresenceService, ctx: Context<{ app: number; userId: string }>): Promise<void> {
  const { app, userId } = ctx.params;
  const now = Date.now();
  const devices = (await this.directory.devicesOfMany(app, [userId], now)).get(userId) ?? [];
  for (const d of devices.filter((x) => x.status === 'PushOnline')) {
    if (await this.directory.removeIf(app, userId, d.instId, d.session)) await this.changed(app, userId, d, 'Offline', now, { reason: 'expired' });
  }
}

const presence: ServiceSchema<ServiceSettingSchema, PresenceService> = {
  name: 'presence',
  actions: {
    query: {
      params: { $$strict: true, app, users: { type: 'array', items: 'string', max: 500 } },
      async handler(this: PresenceService, ctx: Context<PresenceQuery>): Promise<Record<string, DeviceRecord[]>> {
        return Object.fromEntries(await this.directory.devicesOfMany(ctx.params.app, ctx.params.users));
      },
    },
    placement: {
      params: { $$strict: true, app, users: { type: 'array', items: 'string' } },
      async handler(this: PresenceService, ctx: Context<PresenceQuery>): Promise<Record<string, string[]>> {
        return Object.fromEntries(await this.directory.placement(ctx.params.app, ctx.params.users));
      },
    },
    login: {
      params: { $$strict: true, app, userId, device: 'object', login: { type: 'object', optional: true } },
      async handler(this: PresenceService, ctx: Context<PresenceLogin>): Promise<PresenceLoginReply> {
        const { app, userId, device } = ctx.params;
        const { devices, replaced } = await this.directory.login(app, userId, device);
        const mine = devices.find((d) => d.instId === device.instId && d.session === device.session);
        const evicted = mine ? evictions(ctx.params.login ?? DEFAULT_SETTINGS.login, devices, mine) : [];
        const gone = await Promise.all(evicted.map((e) => this.directory.removeIf(app, userId, e.device.instId, e.device.session)));
        const kickedPlatforms = evicted.filter((_, i) => gone[i]).map((e) => e.device.platform);
        // A reconnect to the same process is quiet. One that lands on another process (after a
        // node died, possibly before it could report this device's earlier login) is a login.
        const quiet = replaced?.status === 'Online' && holderOf(replaced) === holderOf(device);
        if (!quiet) await this.changed(app, userId, device as DeviceRecord, 'Online', device.since, kickedPlatforms.length > 0 ? { kickedPlatforms } : {});
        await Promise.all(evicted.map((e, i) => gone[i] && this.changed(app, userId, e.device, 'Offline', device.since, { reason: 'kicked' })));
        return { evicted: evicted.filter((_, i) => gone[i]), replaced };
      },
    },
    leave: {
      params: { $$strict: true, app, userId, instId: 'string', session, mode: { type: 'enum', values: ['logout', 'away'] } },
      async handler(this: PresenceService, ctx: Context<PresenceLeave>): Promise<{ status: UserStatus | null }> {
        const { app, userId, instId, session, mode } = ctx.params;
        const now = Date.now();
        const devices = (await this.directory.devicesOfMany(app, [userId], now)).get(userId) ?? [];
        const device = devices.find((d) => d.instId === instId && d.session === session);
        return { status: device ? await this.depart(app, userId, device, mode, now) : null };
      },
    },
    touch: {
      params: { $$strict: true, holder: { type: 'string', min: 1, max: 200 } },
      async handler(this: PresenceService, ctx: Context<{ holder: string }>): Promise<void> {
        await this.directory.touchNode?.(ctx.params.holder);
      },
    },
    forget: {
      params: forgetParams,
      handler(this: PresenceService, ctx: Context<{ app: number; userIds: string[] }>): void {
        this.placementCache?.forget(ctx.params.app, ctx.params.userIds);
      },
    },
    register: {
      params: { $$strict: true, app, userId, instId: 'string', session, push: 'boolean' },
      async handler(this: PresenceService, ctx: Context<PresenceRegister>): Promise<{ ok: boolean }> {
        const { app, userId, instId, session, push } = ctx.params;
        return { ok: (await this.directory.patchIf(app, userId, instId, session, { push })) !== undefined };
      },
    },
  },
  events: {
    'presence.devices.changed': {
      params: forgetParams,
      handler(this: PresenceService, ctx: Context<{ app: number; userIds: string[] }>) {
        this.placementCache?.forget(ctx.params.app, ctx.params.userIds);
      },
    },
    // Announcements sent while this node was cut off from the transporter never arrive.
    '$transporter.connected'(this: PresenceService) {
      this.placementCache?.clear();
    },
    'user.kicked': { params: { app, userId, at: 'number' }, handler: endPushOnline },
    'user.deleted': { params: { app, userId, at: 'number' }, handler: endPushOnline },
  },
  methods: {
    /** Tells every node's placement cache that the users' devices changed (`wait`: and that each has forgotten them). */
    async announce(this: PresenceService, app: number, userIds: string[], wait: boolean) {
      if (!wait) {
        this.broker.broadcast('presence.devices.changed', { app, userIds });
        return;
      }
      this.placementCache?.forget(app, userIds);
      const others = (this.broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as unknown as { name: string; nodeID: string }[])
        .filter((s) => s.name === 'presence' && s.nodeID !== this.broker.nodeID)
        .map((s) => s.nodeID);
      await Promise.all(
        [...new Set(others)].map((nodeID) =>
          this.broker.call('presence.forget', { app, userIds }, { nodeID, timeout: FORGET_TIMEOUT_MS, retries: 0 }).catch((err: Error) => this.logger.warn(`placement cache of ${nodeID} not told of ${userIds.length} login(s): ${err.message}`)),
        ),
      );
    },
    /** Publishes a device's change, and queues its State.StateChange before the caller answers. */
    async changed(this: PresenceService, app: number, userId: string, device: DeviceRecord, status: UserStatus, at: number, why = {}) {
      const payload = statusChange(app, userId, device, status, at, why);
      this.broker.emit('user.status.changed', payload);
      await reportStateChange(this.broker, payload);
    },
    /**
     * A device leaves: logged out, or gone away (a mobile device registered for push stays
     * PushOnline). Its State.StateChange is stored before the directory changes: a crash in
     * between leaves the device listed, so its node's orphan sweep reports the leave again
     * later (at least once), rather than never.
     */
    async depart(this: PresenceService, app: number, userId: string, device: DeviceRecord, mode: PresenceLeave['mode'], now: number): Promise<UserStatus | null> {
      const { instId, session } = device;
      // Seed: only mobile devices registered for push stay reachable (PushOnline) once gone.
      const status: UserStatus = mode === 'away' && device.push && classOf(device.platform) === 'mobile' ? 'PushOnline' : 'Offline';
      const payload = statusChange(app, userId, device, status, now, { reason: mode });
      await reportStateChange(this.broker, payload);
      const done =
        status === 'PushOnline'
          ? await this.directory.patchIf(app, userId, instId, session, { status, since: now, expiresAt: now + runtimeOf(this.broker).config.presence.pushOnlineSec * 1000 })
          : await this.directory.removeIf(app, userId, instId, session);
      if (!done) return null;
      this.broker.emit('user.status.changed', payload);
      return status;
    },
    async sweep(this: PresenceService) {
      const now = Date.now();
      for (const { app, userId, device } of await this.directory.takeExpired(now, 1000)) await this.changed(app, userId, device, 'Offline', now, { reason: 'expired' });
      // The devices of a node that died went away with their links, as if each had closed.
      for (const { app, userId, device } of (await this.directory.orphans?.(1000)) ?? []) await this.depart(app, userId, device, 'away', now);
    },
  },
  started(this: PresenceService) {
    const { redis, config } = runtimeOf(this.broker);
    if (redis) {
      const shared = new RedisPresence(redis, undefined, config.presence.nodeTtlSec * 1000);
      if (config.presence.placementCacheMs > 0) {
        this.placementCache = new PlacementCache(shared, config.presence.placementCacheMs);
        this.directory = new ForgettingDirectory(shared, (app, userIds, wait) => this.announce(app, userIds, wait));
      } else this.directory = shared;
    } else this.directory = new LocalPresence();
    // Seed: a PushOnline device that does not come back within 7 days (PARLEY_PUSH_ONLINE_SEC) turns Offline.
    this.sweeper = setInterval(() => this.sweep().catch((err) => this.logger.warn('PushOnline sweep failed:', err)), runtimeOf(this.broker).config.presence.sweepSec * 1000);
    this.sweeper.unref();
  },
  stopped(this: PresenceService) {
    clearInterval(this.sweeper);
  },
};

export default presence;
