/**
 * apps — the tenants: SDKAppID, secret key, administrators, settings.
 * Actions: create, update, list, get. Hosts the app registry actor (actors/apps).
 * Emits: apps.changed (broadcast, after an append). Consumes: apps.changed (refreshes the
 * node-local AppDirectory every REST and WebSocket request reads; also reloaded every 5 s).
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { appsKind, REGISTRY_KEY, type App, type AppCommand, type AppEvent, type AppRegistry, type AppReply } from '../../actors/apps';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { appDirectory, type AppDirectory } from './registry';
import { useAppKeys } from '../auth';
import { newSdkAppId, newSecretKey, writeCredentials } from './first-app';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { BUS, type AppsChanged } from '../events';

type AppsService = ActorHostService<AppRegistry, AppCommand, AppEvent, AppReply> & {
  directory: AppDirectory;
  refresher: NodeJS.Timeout | undefined;
  refresh(): Promise<void>;
};

/**
 * How often a node reloads its app directory from the registry, besides at every apps.changed,
 * ms. A broadcast only reaches the nodes its sender already knows to listen, and the others
 * learn of a node that has just started about a second after it has: an app created or changed
 * in that second (measured: any change within 0.5 s of a node's start) never reached the
 * newcomer, which kept its old directory — unknown app, old keys, old limits — until the next
 * change, however late. Found by the chaos bench (npm run chaos) setting up a new cluster.
 */
const DIRECTORY_REFRESH_MS = 5000;

export interface CreateAppParams {
  sdkAppId?: number;
  secretKey?: string;
  admins: string[];
  settings?: Record<string, unknown>;
}

export interface UpdateAppParams {
  sdkAppId: number;
  secretKey?: string;
  admins?: string[];
  settings?: Record<string, unknown>;
}

const apps: ServiceSchema<ServiceSettingSchema, AppsService> = {
  name: 'apps',
  mixins: [actorHostMixin(appsKind)],
  actions: {
    create: {
      params: {
        $$strict: true,
        sdkAppId: { type: 'number', integer: true, positive: true, optional: true },
        secretKey: { type: 'string', min: 16, optional: true },
        admins: { type: 'array', items: 'string', min: 1 },
        settings: { type: 'object', optional: true },
      },
      async handler(this: AppsService, ctx: Context<CreateAppParams>) {
        const p = ctx.params;
        const command: AppCommand = {
          op: 'create',
          sdkAppId: p.sdkAppId ?? newSdkAppId(),
          secretKey: p.secretKey ?? newSecretKey(),
          admins: p.admins,
          settings: p.settings,
          now: Date.now(),
        };
        const reply = (await this.actorCall(REGISTRY_KEY, command, ctx)) as { app: App };
        return reply.app;
      },
    },
    update: {
      params: {
        $$strict: true,
        sdkAppId: { type: 'number', integer: true, positive: true },
        secretKey: { type: 'string', min: 16, optional: true },
        admins: { type: 'array', items: 'string', min: 1, optional: true },
        settings: { type: 'object', optional: true },
      },
      async handler(this: AppsService, ctx: Context<UpdateAppParams>) {
        const reply = (await this.actorCall(REGISTRY_KEY, { op: 'update', ...ctx.params }, ctx)) as { app: App };
        return reply.app;
      },
    },
    list: {
      async handler(this: AppsService, ctx: Context) {
        const reply = (await this.actorCall(REGISTRY_KEY, { op: 'list' }, ctx)) as { apps: App[] };
        return reply.apps;
      },
    },
    get: {
      params: { $$strict: true, sdkAppId: { type: 'number', integer: true, positive: true } },
      handler(this: AppsService, ctx: Context<{ sdkAppId: number }>) {
        return this.directory.get(ctx.params.sdkAppId) ?? null;
      },
    },
  },
  events: {
    [BUS.APPS_CHANGED]: {
      async handler(this: AppsService) {
        await this.refresh();
      },
    },
  },
  methods: {
    afterAppend(this: AppsService, _key: string, events: AppEvent[]) {
      for (const e of events) this.broker.broadcast(BUS.APPS_CHANGED, { sdkAppId: e.data.sdkAppId } satisfies AppsChanged);
    },
    async refresh(this: AppsService) {
      const reply = (await this.actorCall(REGISTRY_KEY, { op: 'list' })) as { apps: App[] };
      this.directory.replace(reply.apps);
    },
  },
  created(this: AppsService) {
    this.directory = appDirectory(this.broker);
    useAppKeys(this.broker, this.directory);
  },
  async started(this: AppsService) {
    const { config } = runtimeOf(this.broker);
    const first = config.firstApp;
    // Not yet registered, so not yet routable: the first app is ensured on the local host.
    const reply = (await this.actorLocal(REGISTRY_KEY, {
      op: 'ensureFirst',
      sdkAppId: first.sdkAppId ?? newSdkAppId(),
      secretKey: first.secret ?? newSecretKey(),
      admins: [first.admin],
      // PARLEY_CALLBACK_URL (and _TOKEN) switch every webhook on for the first app.
      settings: first.callbackUrl ? { callback: { url: first.callbackUrl, token: first.callbackToken ?? '', commands: ['*'] } } : undefined,
      now: Date.now(),
    })) as { app: App; created: boolean };
    if (reply.created) {
      // A cluster node never replaces an existing app.json (services/apps/first-app.ts).
      const file = writeCredentials(config.dataDir, reply.app, config.transporter !== undefined);
      this.logger.info(`created app ${reply.app.sdkAppId}; its credentials are in ${file}`);
    }
    const list = (await this.actorLocal(REGISTRY_KEY, { op: 'list' })) as { apps: App[] };
    this.directory.replace(list.apps);
    this.refresher = setInterval(() => this.refresh().catch((err: Error) => this.logger.warn(`app directory refresh failed: ${err.message}`)), DIRECTORY_REFRESH_MS);
    this.refresher.unref();
  },
  stopped(this: AppsService) {
    clearInterval(this.refresher);
  },
};

export default apps;
