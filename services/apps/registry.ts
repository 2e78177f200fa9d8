/**
 * The node-local view of every app: REST and WebSocket requests read it synchronously on
 * their hot path. Filled from the app registry actor and refreshed on `apps.changed`.
 */
import type { ServiceBroker } from 'moleculer';
import type { App } from '../../actors/apps';

export class AppDirectory {
  private apps = new Map<number, App>();

  replace(apps: App[]): void {
    this.apps = new Map(apps.map((a) => [a.sdkAppId, a]));
  }

  get(sdkAppId: number): App | undefined {
    return this.apps.get(sdkAppId);
  }

  all(): App[] {
    return [...this.apps.values()];
  }
}

const directories = new WeakMap<ServiceBroker, AppDirectory>();

export function appDirectory(broker: ServiceBroker): AppDirectory {
  let directory = directories.get(broker);
  if (!directory) {
    directory = new AppDirectory();
    directories.set(broker, directory);
  }
  return directory;
}
