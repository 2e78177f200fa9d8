/** Events of the app registry (schemas/apps/*.avsc). */
export const APP_CREATED = 'parley.apps.AppCreated';
export const APP_UPDATED = 'parley.apps.AppUpdated';

export interface AppCreated {
  type: typeof APP_CREATED;
  data: { sdkAppId: number; secretKey: string; admins: string[]; settings: string; createdAt: number };
}

export interface AppUpdated {
  type: typeof APP_UPDATED;
  data: { sdkAppId: number; secretKey: string | null; admins: string[] | null; settings: string | null };
}

export type AppEvent = AppCreated | AppUpdated;
