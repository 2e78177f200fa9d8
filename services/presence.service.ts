/**
 * presence — which devices of which users are connected, and where.
 * Actions: query. The WebSocket connector writes the directory as devices log in and out.
 * Emits nothing yet; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { runtimeOf } from './runtime';
import { LocalPresence, RedisPresence, type DeviceRecord, type PresenceDirectory } from './presence/directory';

export interface PresenceQuery {
  app: number;
  users: string[];
}

type PresenceService = Service & { directory: PresenceDirectory };

const presence: ServiceSchema<ServiceSettingSchema, PresenceService> = {
  name: 'presence',
  actions: {
    query: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, users: { type: 'array', items: 'string', max: 500 } },
      async handler(this: PresenceService, ctx: Context<PresenceQuery>): Promise<Record<string, DeviceRecord[]>> {
        return Object.fromEntries(await this.directory.devicesOfMany(ctx.params.app, ctx.params.users));
      },
    },
  },
  started(this: PresenceService) {
    const { redis } = runtimeOf(this.broker);
    this.directory = redis ? new RedisPresence(redis) : new LocalPresence();
  },
};

export default presence;
