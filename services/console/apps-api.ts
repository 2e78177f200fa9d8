/**
 * The console's apps page: the installation's apps, creating one, rotating an app's secret key,
 * through the apps service (apps.list's directory, apps.create, apps.update), so the app
 * registry's rules (actors/apps/decide.ts) answer and nothing here re-validates them.
 *
 * Apps are the installation's, not one app's: an administrator of app A must not rotate app B's
 * key or read its administrators. So this page answers only the administrators of the
 * installation's first app (the oldest: the one `parley` created on first start, whose
 * credentials app.json holds); any other administrator gets 403 (60010).
 *
 * A secret key is shown once, in the answer that made it (create, rotate), and never listed:
 * it is what signs every UserSig of the app. Rotating voids every UserSig signed with the old
 * key at once, the console's sign-ins to that app included.
 */
import type { ServiceBroker } from 'moleculer';
import type { App } from '../../actors/apps';
import type { AppDirectory } from '../apps/registry';
import { newSecretKey } from '../apps/first-app';
import { REST, Refusal, type Admin } from '../rest/admin-auth';
import { CommandRefused, type Answer } from './commands-api';

const INVALID = 70402;
/** How long a write waits for this node's app directory to serve it (a broadcast away). */
const SERVED_WAIT_MS = 3000;

/** The installation's first app: the oldest (ties: the lowest SDKAppID). */
function firstApp(directory: AppDirectory): App | undefined {
  return directory.all().reduce<App | undefined>((first, app) => (!first || app.createdAt < first.createdAt || (app.createdAt === first.createdAt && app.sdkAppId < first.sdkAppId) ? app : first), undefined);
}

/** Refuses (403, 60010) an administrator of any app but the first. */
export function requireOperator(directory: AppDirectory, admin: Admin): void {
  if (firstApp(directory)?.sdkAppId !== admin.app.sdkAppId) throw new Refusal(REST.NEED_ADMIN, `apps are managed by the administrators of the first app (${firstApp(directory)?.sdkAppId}); ${admin.identifier} administers ${admin.app.sdkAppId}`);
}

const view = (app: App, admin: Admin): Answer => ({ SdkAppId: app.sdkAppId, Admins: app.admins, CreateTime: app.createdAt, SignedIn: app.sdkAppId === admin.app.sdkAppId });

/** GET apps: every app, oldest first, without its secret key. */
export function appsAnswer(directory: AppDirectory, admin: Admin): Answer {
  requireOperator(directory, admin);
  const apps = [...directory.all()].sort((a, b) => a.createdAt - b.createdAt || a.sdkAppId - b.sdkAppId);
  return { Apps: apps.map((a) => view(a, admin)) };
}

/** POST apps/create, body `{ Admins? }` (default: the signed-in administrator): the new app and, this once, its secret key. */
export async function createApp(broker: ServiceBroker, directory: AppDirectory, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  requireOperator(directory, admin);
  onlyFields(body, ['Admins']);
  const admins = body.Admins ?? [admin.identifier];
  if (!Array.isArray(admins) || admins.length === 0 || admins.length > 20 || !admins.every((a) => typeof a === 'string')) throw new CommandRefused(INVALID, 'Admins must list 1 to 20 account IDs');
  const app = await broker.call<App, object>('apps.create', { admins }, { requestID: requestId });
  await served(broker, directory, app.sdkAppId, app.secretKey, requestId);
  return { ...view(app, admin), SecretKey: app.secretKey };
}

/** POST apps/rotate, body `{ SdkAppId }`: a new secret key, shown this once; the old one signs nothing from now on. */
export async function rotateSecret(broker: ServiceBroker, directory: AppDirectory, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  requireOperator(directory, admin);
  onlyFields(body, ['SdkAppId']);
  const sdkAppId = body.SdkAppId;
  if (typeof sdkAppId !== 'number' || !Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) throw new CommandRefused(INVALID, 'SdkAppId must be a positive whole number');
  const app = await broker.call<App, object>('apps.update', { sdkAppId, secretKey: newSecretKey() }, { requestID: requestId });
  await served(broker, directory, app.sdkAppId, app.secretKey, requestId);
  return { ...view(app, admin), SecretKey: app.secretKey };
}

function onlyFields(body: Answer, allowed: string[]): void {
  const foreign = Object.keys(body).filter((k) => !allowed.includes(k));
  if (foreign.length > 0) throw new CommandRefused(INVALID, `unknown field ${foreign.join(', ')} (allowed: ${allowed.join(', ')})`);
}

/** Resolves once this node's directory serves the app with `secretKey`, so the next request here already uses it. */
async function served(broker: ServiceBroker, directory: AppDirectory, sdkAppId: number, secretKey: string, requestId: string): Promise<void> {
  const deadline = Date.now() + SERVED_WAIT_MS;
  while (directory.get(sdkAppId)?.secretKey !== secretKey) {
    if (Date.now() > deadline) return broker.logger.warn(`console request ${requestId}: app ${sdkAppId} not yet served here after ${SERVED_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
