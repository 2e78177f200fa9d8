/**
 * pushdevices — (the offline-push context's second service, docs/push.md) each user's push registration (actors/pushreg, key `<app>:<user>`): device
 * tokens, and the tags and attributes of all_member_push.
 * Actions: register (a device's token; the connector calls it for ws_stat_settoken through
 * ./client.ts). Tencent-style REST extension for app backends (docs/push.md):
 * parley_push/{set_token, remove_token, get_tokens}; all_member_push tags and attributes in
 * ./tags.ts.
 * Consumes: user.status.changed (a logout or a kick removes that device's token), user.kicked
 * and user.deleted (every token of the user). Emits nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { DEVICE_REGISTERED, DEVICES_REMOVED, pushregKey, pushregKind, type PushDevice, type PushProviderName, type PushregCommand, type PushregEvent, type PushregReply, type PushregState } from '../../actors/pushreg';
import { DomainError, splitAppKey } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { commandParams, type CommandParams } from '../commands/commands';
import { markRegistered } from '../push/client';
import type { UserStatusChanged } from '../presence/client';
import { tagActions } from './tags';
import { maskToken, parseSubscription } from './tokens';

type DevicesService = ActorHostService<PushregState, PushregCommand, PushregEvent, PushregReply> & {
  forget(app: number, userId: string, instIds: string[] | undefined, reason: string): Promise<void>;
};

const ext = { invalidCode: 90001, internalCode: 91000 } as const;
const userId = { type: 'string', min: 1, max: 64 };

interface SetTokenBody {
  UserID: string;
  Provider: PushProviderName;
  Token: string | Record<string, unknown>;
  InstId?: string;
  Platform?: string;
}

const devices: ServiceSchema<ServiceSettingSchema, DevicesService> = {
  name: 'pushdevices',
  mixins: [actorHostMixin(pushregKind)],
  actions: {
    register: {
      visibility: 'public',
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, userId, device: 'object', remove: { type: 'boolean', optional: true } },
      async handler(this: DevicesService, ctx: Context<{ app: number; userId: string; device: PushDevice; remove?: boolean }>) {
        const { app, userId: user, device, remove } = ctx.params;
        const command: PushregCommand = remove ? { op: 'remove', instIds: [device.instId], reason: 'token withdrawn', now: Date.now() } : { op: 'register', device };
        await this.actorCall(pushregKey(app, user), command, ctx);
        return { ok: true };
      },
    },
    setToken: {
      tencent: { command: 'parley_push/set_token', summary: 'Parley extension: register a device push token for a user (APNs, FCM or Web Push)', ...ext },
      params: commandParams({
        UserID: userId,
        Provider: { type: 'enum', values: ['apns', 'fcm', 'webpush'] },
        Token: [{ type: 'string', min: 1, max: 4096 }, { type: 'object' }],
        InstId: { type: 'string', min: 1, max: 128, optional: true },
        Platform: { type: 'string', max: 32, optional: true },
      }),
      async handler(this: DevicesService, ctx: Context<CommandParams<SetTokenBody>>) {
        const { app, body } = ctx.params;
        const token = typeof body.Token === 'string' ? body.Token : JSON.stringify(body.Token);
        if (body.Provider === 'webpush' && !parseSubscription(token)) throw new DomainError(90001, 'Token of a webpush device must be a PushSubscription {endpoint, keys: {p256dh, auth}}');
        if (body.Provider === 'apns' && !/^[0-9a-fA-F]{16,200}$/.test(token)) throw new DomainError(90001, 'Token of an apns device must be the hex device token');
        const instId = body.InstId ?? `rest-${body.Provider}-${token.slice(-16).replace(/[^A-Za-z0-9_-]/g, '')}`;
        const platform = body.Platform ?? (body.Provider === 'apns' ? 'iPhone' : body.Provider === 'fcm' ? 'Android' : 'Web');
        const device: PushDevice = { instId, platform, provider: body.Provider, token, brand: 0, businessId: 0, at: Date.now() };
        await this.actorCall(pushregKey(app, body.UserID), { op: 'register', device }, ctx);
        return { InstId: instId };
      },
    },
    removeToken: {
      tencent: { command: 'parley_push/remove_token', summary: 'Parley extension: remove push tokens of a user (one device, or all)', ...ext },
      params: commandParams({ UserID: userId, InstId: { type: 'string', min: 1, max: 128, optional: true } }),
      async handler(this: DevicesService, ctx: Context<CommandParams<{ UserID: string; InstId?: string }>>) {
        const { app, body } = ctx.params;
        await this.forget(app, body.UserID, body.InstId ? [body.InstId] : undefined, 'app');
        return {};
      },
    },
    getTokens: {
      tencent: { command: 'parley_push/get_tokens', summary: 'Parley extension: the push devices of a user (tokens masked)', ...ext },
      params: commandParams({ UserID: userId }),
      async handler(this: DevicesService, ctx: Context<CommandParams<{ UserID: string }>>) {
        const { app, body } = ctx.params;
        const state = await this.actorCall(pushregKey(app, body.UserID), { op: 'get' }, ctx);
        return { Devices: Object.values(state.devices).map((d) => ({ InstId: d.instId, Platform: d.platform, Provider: d.provider, Token: maskToken(d.token), Time: Math.floor(d.at / 1000) })) };
      },
    },
    ...tagActions,
  },
  events: {
    'user.status.changed': {
      handler(this: DevicesService, ctx: Context<UserStatusChanged>) {
        const { app, userId: user, instId, status, reason } = ctx.params;
        // A logout or a kick ends the device's push registration; a lost link or an expiry keeps it.
        if (status === 'Offline' && (reason === 'logout' || reason === 'kicked')) return this.forget(app, user, [instId], reason);
      },
    },
    'user.kicked': { handler(this: DevicesService, ctx: Context<{ app: number; userId: string }>) { return this.forget(ctx.params.app, ctx.params.userId, undefined, 'kicked'); } },
    'user.deleted': { handler(this: DevicesService, ctx: Context<{ app: number; userId: string }>) { return this.forget(ctx.params.app, ctx.params.userId, undefined, 'deleted'); } },
  },
  methods: {
    /**
     * A new registration, or the removal of a user's last device, is known to this process's send
     * path before the command answers (services/push/registered.ts).
     */
    afterAppend(this: DevicesService, key: string, events: PushregEvent[], _first: number, state: PushregState) {
      if (!events.some((e) => e.type === DEVICE_REGISTERED || e.type === DEVICES_REMOVED)) return;
      const [app, user] = splitAppKey(key);
      markRegistered(this.broker, app, user, Object.keys(state.devices).length > 0);
    },
    async forget(this: DevicesService, app: number, user: string, instIds: string[] | undefined, reason: string) {
      try {
        await this.actorCall(pushregKey(app, user), { op: 'remove', ...(instIds ? { instIds } : {}), reason, now: Date.now() });
      } catch (err) {
        this.logger.warn(`push tokens of ${app}/${user} not removed (${reason}): ${(err as Error).message}`);
      }
    },
  },
};

export default devices;
