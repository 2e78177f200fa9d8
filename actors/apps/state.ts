import type { AppSettings } from './settings/app-settings';
import { APP_CREATED, APP_UPDATED, type AppEvent } from './events';

export interface App {
  sdkAppId: number;
  secretKey: string;
  admins: string[];
  settings: AppSettings;
  createdAt: number;
}

/** Every tenant of this Parley installation; one registry, so few apps and rare changes. */
export interface AppRegistry {
  apps: Map<number, App>;
}

export const initialState = (): AppRegistry => ({ apps: new Map() });

export function evolve(state: AppRegistry, event: AppEvent): AppRegistry {
  const apps = new Map(state.apps);
  switch (event.type) {
    case APP_CREATED: {
      const { sdkAppId, secretKey, admins, settings, createdAt } = event.data;
      apps.set(sdkAppId, { sdkAppId, secretKey, admins: [...admins], settings: JSON.parse(settings) as AppSettings, createdAt });
      break;
    }
    case APP_UPDATED: {
      const app = apps.get(event.data.sdkAppId);
      if (!app) break;
      apps.set(app.sdkAppId, {
        ...app,
        secretKey: event.data.secretKey ?? app.secretKey,
        admins: event.data.admins ? [...event.data.admins] : app.admins,
        settings: event.data.settings ? (JSON.parse(event.data.settings) as AppSettings) : app.settings,
      });
      break;
    }
  }
  return { apps };
}
