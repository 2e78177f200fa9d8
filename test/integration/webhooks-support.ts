/**
 * An embedded Parley node for webhook tests: one broker, SQLite in a temp folder, and only
 * the services webhooks need (apps, accounts, auth, webhooks), created explicitly.
 */
import fs from 'node:fs';
import { ServiceBroker, type ServiceSchema } from 'moleculer';
import type { App } from '../../actors/apps';
import type { CallbackSettings } from '../../actors/apps/settings/callbacks';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { serviceFile } from '../../services/locate';
import { tempDir } from '../support/stores';

export const SDKAPPID = 1400123456;

export interface WebhookNode {
  broker: ServiceBroker;
  dataDir: string;
  /** Changes the app's callback settings (as the console would) and waits until this node sees them. */
  configure(callback: Partial<CallbackSettings>): Promise<void>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export const SERVICES = ['apps', 'accounts', 'auth', 'webhooks'];
/** Every service of services/: messages and groups included. */
export const ALL_SERVICES = ['apps', 'accounts', 'auth', 'webhooks', 'presence', 'connector', 'api', 'profiles', 'friends', 'messages', 'inboxes', 'conversations', 'groups'];

export async function startNode(env: Record<string, string> = {}, dataDir = tempDir('parley-webhooks-'), services = SERVICES): Promise<WebhookNode> {
  const config = loadConfig({
    PARLEY_DATA: dataDir,
    PARLEY_PORT: '0',
    PARLEY_SDKAPPID: String(SDKAPPID),
    PARLEY_SECRET: 'webhooks-test-secret-0123456789',
    PARLEY_LOG_LEVEL: 'error',
    PARLEY_SQLITE_SYNC: 'NORMAL',
    ...env,
  });
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of services) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    broker.createService((require(serviceFile(name)) as { default: ServiceSchema }).default);
  }
  await broker.start();
  return {
    broker,
    dataDir,
    async configure(callback) {
      const app = await broker.call<App, object>('apps.update', { sdkAppId: SDKAPPID, settings: { callback } });
      const want = JSON.stringify(app.settings);
      const deadline = Date.now() + 5000;
      while (JSON.stringify((await broker.call<App | null, object>('apps.get', { sdkAppId: SDKAPPID }))?.settings) !== want) {
        if (Date.now() > deadline) throw new Error('the app directory did not see the new settings');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop(options = {}) {
      await broker.stop();
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
