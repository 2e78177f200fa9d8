/**
 * parley — the administrator's command line: UserSigs and apps (tenants).
 * Run as `npm run --silent parley -- <command>` or, after `npm run build`, `npx parley <command>`.
 *
 * It starts a broker with the server's own configuration (PARLEY_* variables) but no HTTP
 * gateway. Embedded mode (no PARLEY_TRANSPORTER): it hosts the apps registry itself, on the
 * SQLite file under PARLEY_DATA. Cluster mode: it joins the cluster as a client and calls the
 * running nodes, so changes are live everywhere.
 */
import { ServiceBroker, type ServiceSchema } from 'moleculer';
import type { App } from '../actors/apps';
import { pushSettings, redactPush } from '../actors/apps/settings/push';
import { loadConfig } from '../config';
import { maskUrls } from '../config/redact';
import { brokerOptions } from '../moleculer.config';
import appsService from '../services/apps/apps.service';
import { genUserSig } from '../services/auth/usersig';
import { parseArgs, UsageError, type Args } from './args';

const HELP = `parley <command>

  usersig <userId> [--expire <seconds>] [--app <sdkAppId>]
      Print a UserSig for userId, signed with the app's secret key. Default expiry 180 days;
      default app: the one in PARLEY_DATA/app.json, else the first app.
  apps list
      Print every app: SDKAppID, administrators, settings (not the secret keys).
  apps create --admin <userId> [--admin <userId>…] [--sdkappid <n>] [--secret <key>]
      Create an app; prints it with its secret key (generated unless given).
  apps set <sdkAppId> [--rate-default <n>] [--rate-account <n>] [--callback-url <url>]
                      [--callback-token <token>] [--settings '<json>']
      Change an app's settings: REST rate limits (calls per second per API; --rate-account
      covers multiaccount_import, account_delete and account_check), the webhook URL and
      signing token ('' turns them off), or any section of actors/apps/settings/app-settings.ts as JSON,
      e.g. --settings '{"messages":{"recallSeconds":300},"callback":{"commands":["*"]}}'.

Configuration is the server's: PARLEY_DATA, PARLEY_DB, PARLEY_TRANSPORTER, …
Embedded mode (no PARLEY_TRANSPORTER) works on the data folder's SQLite file directly: a
running embedded server picks up app changes only after a restart. In cluster mode the CLI
joins the cluster and every node sees the change at once. On an empty data folder, any
command first creates the first app, exactly as the server's first start does.`;

const DEFAULT_EXPIRE = 180 * 24 * 3600;

/** The settings patch of `apps set`: flags for the common switches, --settings for the rest. */
function settingsPatch(args: Args): Record<string, unknown> {
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  let patch: Record<string, unknown> = {};
  const json = args.str('settings');
  if (json !== undefined) {
    try {
      patch = JSON.parse(json) as Record<string, unknown>;
    } catch {
      throw new UsageError('--settings must be a JSON object');
    }
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new UsageError('--settings must be a JSON object');
  }
  const rateLimits = defined({ default: args.int('rate-default'), account: args.int('rate-account') });
  if (Object.keys(rateLimits).length > 0) patch.rateLimits = { ...(patch.rateLimits as object), ...rateLimits };
  const callback = defined({ url: args.str('callback-url'), token: args.str('callback-token') });
  if (Object.keys(callback).length > 0) patch.callback = { ...(patch.callback as object), ...callback };
  return patch;
}

async function withBroker<T>(work: (broker: ServiceBroker) => Promise<T>): Promise<T> {
  // Warnings and errors only (Moleculer writes those to stderr): stdout carries just the answer.
  // In a cluster the CLI hosts no actor and writes no event (it calls the nodes), so the rule
  // that a node with a transporter needs the shared PostgreSQL log does not apply to it.
  const config = { ...loadConfig(), logLevel: 'warn' as const, allowLocalLog: true };
  const cluster = config.transporter !== undefined;
  // Its own node id: a CLI run must never take over a server node's identity.
  const broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `parley-cli-${process.pid}` });
  if (!cluster) broker.createService(appsService as unknown as ServiceSchema);
  await broker.start();
  try {
    if (cluster) await broker.waitForServices(['apps'], 15_000);
    return await work(broker);
  } finally {
    await broker.stop();
  }
}

const listApps = (broker: ServiceBroker) => broker.call<App[]>('apps.list');

async function pickApp(broker: ServiceBroker, sdkAppId: number | undefined): Promise<App> {
  const apps = await listApps(broker);
  const app = sdkAppId === undefined ? apps[0] : apps.find((a) => a.sdkAppId === sdkAppId);
  if (!app) throw new UsageError(sdkAppId === undefined ? 'there is no app yet' : `no app ${sdkAppId}`, 1);
  return app;
}

// Push private keys are shown as '(set)': listings end up in terminals and tickets.
const publicView = (a: App) => ({ sdkAppId: a.sdkAppId, admins: a.admins, settings: { ...a.settings, push: redactPush(pushSettings(a.settings)) }, createdAt: new Date(a.createdAt).toISOString() });

async function run(args: Args): Promise<string> {
  const [command, sub, target] = args.positional;
  if (command === 'usersig') {
    if (!sub) throw new UsageError('usersig needs a userId');
    const expire = args.int('expire') ?? DEFAULT_EXPIRE;
    const app = await withBroker((b) => pickApp(b, args.int('app') ?? args.appJsonId()));
    return genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, identifier: sub, expireSeconds: expire });
  }
  if (command === 'apps' && sub === 'list') {
    return JSON.stringify((await withBroker(listApps)).map(publicView), null, 2);
  }
  if (command === 'apps' && sub === 'create') {
    const admins = args.all('admin');
    if (admins.length === 0) throw new UsageError('apps create needs --admin <userId>');
    const params = { admins, sdkAppId: args.int('sdkappid'), secretKey: args.str('secret') };
    const app = await withBroker((b) => b.call<App, object>('apps.create', params));
    return JSON.stringify({ ...publicView(app), secretKey: app.secretKey }, null, 2);
  }
  if (command === 'apps' && sub === 'set') {
    const sdkAppId = Number(target);
    if (!target || !Number.isInteger(sdkAppId)) throw new UsageError('apps set needs an SDKAppID');
    const settings = settingsPatch(args);
    if (Object.keys(settings).length === 0) throw new UsageError('apps set needs --rate-default, --rate-account, --callback-url, --callback-token or --settings');
    const app = await withBroker((b) => b.call<App, object>('apps.update', { sdkAppId, settings }));
    return JSON.stringify(publicView(app), null, 2);
  }
  throw new UsageError(command ? `unknown command: ${args.positional.join(' ')}` : 'no command given');
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    console.log(args.flag('help') || argv[0] === 'help' ? HELP : await run(args));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`parley: ${err.message}`);
      if (err.exitCode === 2) console.error(`\n${HELP}`);
      return err.exitCode;
    }
    const e = err as { message?: string; data?: { code?: number } | { message?: string }[] };
    const detail = Array.isArray(e.data) ? e.data.map((d) => d.message).join('; ') : e.data?.code ? `Tencent code ${e.data.code}` : '';
    console.error(`parley: ${maskUrls(e.message ?? String(err))}${detail ? ` (${detail})` : ''}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
