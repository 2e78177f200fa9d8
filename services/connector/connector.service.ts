/**
 * connector — the WebSocket gateway of Tencent's web SDK (`proxyServer`), on the api
 * service's HTTP server at `…/binfo`. Speaks the SDK's frames (services/connector/), runs
 * Tencent commands through the same table and dispatch as REST, applies the app's
 * multi-device policy through presence, and pushes frames to local sockets.
 * Actions: push (frames to this node's sockets of a user), pushTo (one frame to chosen sockets of
 * several users), pushMany (one frame to many users' local sockets), kick (one device, policy),
 * deliver (to a user's devices on whichever nodes hold them), stats; live rooms (AVChatRoom,
 * services/connector/rooms.ts): roomEnter, roomLeave, roomHas, roomCount, roomMembers, roomMark, roomPush, roomClose.
 * Consumes: user.kicked, user.deleted (every local device of the user gets KickType 3).
 * Emits nothing itself; presence emits user.status.changed as devices come and go.
 */
import type { Server } from 'node:http';
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { appDirectory } from '../apps/registry';
import { sigVerifier } from '../auth';
import { deliverToUser, pushEventOf, type PushParams, type PushToParams } from './delivery';
import { encodeFrame } from './frames';
import { Gateway } from './gateway';
import { roomActions } from './room-actions';
import { RoomIndex } from './rooms';
import { onFrame } from './handlers';
import type { Hub } from './hub';
import { kickLocal, leave, restKickLocal, type KickParams } from './login';
import { idleTimes } from './platform';
import { commandTable } from '../commands/commands';
import { holderOf } from '../presence/directory';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { ConnectorService, ConnectorStats, DeliverParams, PushManyParams } from './types';


const app = { type: 'number', integer: true, positive: true };
const userId = { type: 'string', min: 1, max: 64 };
const servcmd = { type: 'string', min: 3, max: 129 };
const pushToParams = {
  $$strict: true,
  app,
  servcmd,
  body: 'object',
  targets: { type: 'array', max: 500, items: { type: 'object', strict: true, props: { userId, instIds: { type: 'array', items: 'string' } } } },
};

const connector: ServiceSchema<ServiceSettingSchema, ConnectorService> = {
  name: 'connector',
  dependencies: ['api', 'presence'],
  settings: {
    /** Largest client frame, bytes (Tencent's largest message is 12 KB; group attributes and merged messages stay well below). */
    maxFrameBytes: 64 * 1024,
    /** Bytes queued for one client before it is disconnected as too slow. */
    maxBufferedBytes: 512 * 1024,
    /** Idle-connection sweep period, ms. */
    sweepMs: 5_000,
    /** Seconds between the SDK's wshello frames; the seed's native heartbeat is two minutes. */
    helloIntervalSec: 120,
    /** How long a device whose connection dropped keeps its live rooms for its reconnect, ms. */
    roomParkMs: 10 * 60_000,
  },
  actions: {
    push: {
      visibility: 'public',
      params: { $$strict: true, app, userId, servcmd, body: 'object', instIds: { type: 'array', items: 'string', optional: true } },
      handler(this: ConnectorService, ctx: Context<PushParams>): number {
        const { app, userId, servcmd, body, instIds } = ctx.params;
        return this.pushTo({ app, servcmd, body, targets: [{ userId, instIds }] });
      },
    },
    /** One frame to chosen local sockets of several users (deliverToUsers): serialised once. */
    pushTo: {
      visibility: 'public',
      params: pushToParams,
      handler(this: ConnectorService, ctx: Context<PushToParams>): number {
        return this.pushTo(ctx.params);
      },
    },
    /** One frame to every local socket of many users (group fan-out): serialised once per node. */
    pushMany: {
      visibility: 'public',
      params: { $$strict: true, app, userIds: { type: 'array', items: 'string' }, servcmd, body: 'object' },
      handler(this: ConnectorService, ctx: Context<PushManyParams>): number {
        const { app, userIds, servcmd, body } = ctx.params;
        return this.pushTo({ app, servcmd, body, targets: userIds.map((userId) => ({ userId })) });
      },
    },
    kick: {
      visibility: 'public',
      params: {
        $$strict: true,
        app,
        userId,
        instId: 'string',
        session: 'number',
        kickType: { type: 'number', integer: true, min: 0, max: 3 },
        newInst: { type: 'object', optional: true },
      },
      handler(this: ConnectorService, ctx: Context<KickParams>): boolean {
        return kickLocal(this.hub, ctx.params);
      },
    },
    deliver: {
      params: { $$strict: true, app, userId, servcmd, body: 'object', exceptInstId: { type: 'string', optional: true } },
      handler(this: ConnectorService, ctx: Context<DeliverParams>) {
        const { app, userId, servcmd, body, exceptInstId } = ctx.params;
        return deliverToUser(this.broker, app, userId, servcmd, body, { exceptInstId });
      },
    },
    ...roomActions,
    stats: {
      handler(this: ConnectorService): ConnectorStats {
        const c = this.gateway.counters;
        return {
          nodeID: this.broker.nodeID,
          connections: this.gateway.size,
          loggedIn: this.gateway.loggedIn,
          accepted: c.accepted,
          slowDisconnects: c.slow,
          idleDisconnects: c.idle,
          pushed: c.pushed,
          served: Object.fromEntries(this.gateway.served),
        };
      },
    },
  },
  methods: {
    /**
     * The one way a frame reaches local sockets: encoded once, only if some socket takes it, for
     * the chosen devices of each user (all of them without `instIds`). Also called directly by
     * deliverToUsers on this node (services/connector/delivery.ts).
     */
    pushTo(this: ConnectorService, { app, servcmd, body, targets }: PushToParams): number {
      let frame: Buffer | undefined;
      let sent = 0;
      for (const { userId, instIds } of targets) {
        for (const s of this.gateway.sessionsOf(app, userId)) {
          if (instIds && !instIds.includes(s.instId)) continue;
          frame ??= encodeFrame({ servcmd }, body);
          if (this.gateway.send(s, frame)) sent++;
        }
      }
      this.gateway.counters.pushed += sent;
      return sent;
    },
  },
  events: {
    'user.kicked': {
      params: { app, userId, at: 'number' },
      async handler(this: ConnectorService, ctx: Context<{ app: number; userId: string }>) {
        await restKickLocal(this.hub, ctx.params.app, ctx.params.userId);
      },
    },
    'user.deleted': {
      params: { app, userId, at: 'number' },
      async handler(this: ConnectorService, ctx: Context<{ app: number; userId: string }>) {
        await restKickLocal(this.hub, ctx.params.app, ctx.params.userId);
      },
    },
  },
  /** The one-way pushes of sendToUsers arrive on an event named after this node (services/connector/delivery.ts). */
  merged(this: ConnectorService, schema: ServiceSchema) {
    schema.events = {
      ...schema.events,
      [pushEventOf(this.broker.nodeID)]: {
        params: pushToParams,
        handler(this: ConnectorService, ctx: Context<PushToParams>) {
          this.pushTo(ctx.params);
        },
      },
    };
  },
  started(this: ConnectorService) {
    const api = this.broker.getLocalService('api') as (Service & { server?: Server }) | undefined;
    if (!api?.server) throw new Error('connector needs the api service on the same node (its HTTP server carries the WebSocket)');
    const hub: Hub = {
      broker: this.broker,
      apps: appDirectory(this.broker),
      verifier: sigVerifier(this.broker),
      commands: commandTable(this.broker),
      logger: this.logger,
      helloIntervalSec: this.settings.helloIntervalSec,
      gateway: undefined as unknown as Gateway,
      rooms: new RoomIndex(this.settings.roomParkMs),
    };
    this.rooms = hub.rooms;
    const { presence } = runtimeOf(this.broker).config;
    this.gateway = hub.gateway = new Gateway(
      {
        maxFrameBytes: this.settings.maxFrameBytes,
        maxBufferedBytes: this.settings.maxBufferedBytes,
        sweepMs: Math.min(this.settings.sweepMs, presence.sweepSec * 1000),
        idle: idleTimes(presence.webIdleSec, presence.nativeIdleSec),
      },
      {
        frame: (s, data) => void onFrame(hub, s, data),
        closed: (s) => void leave(hub, s, 'away').catch((err) => this.logger.warn('presence update after a closed connection failed:', err)),
      },
    );
    this.hub = hub;
    this.gateway.attach(api.server);
    // In a cluster, the devices of a node that stops renewing its liveness are reported gone by
    // the presence sweep of another (a login renews it too, so the first beat may wait).
    const { redis, config } = runtimeOf(this.broker);
    if (redis) {
      const holder = holderOf({ nodeID: this.broker.nodeID, instance: this.broker.instanceID });
      const touch = () => void this.broker.call('presence.touch', { holder }).catch((err: Error) => this.logger.warn(`presence liveness not renewed: ${err.message}`));
      this.liveness = setInterval(touch, config.cluster.heartbeatSec * 1000);
      this.liveness.unref();
    }
  },
  async stopped(this: ConnectorService) {
    clearInterval(this.liveness);
    await this.gateway?.close();
  },
};

export default connector;
