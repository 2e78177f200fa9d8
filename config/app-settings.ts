/**
 * Per-app settings (a tenant's console switches) with their defaults. Stored as JSON inside
 * the app's events; always validated here before it is written.
 */
import Validator from 'fastest-validator';
import { CALLBACK_RULE, DEFAULT_CALLBACK, type CallbackSettings } from './callbacks';

export interface AppSettings {
  rateLimits: {
    /** REST calls per second per API. Seed default 200. */
    default: number;
    /** multiaccount_import, account_delete and account_check, per second. Seed default 100. */
    account: number;
  };
  /** Webhooks: URL, token, enabled commands, timeout, retries (config/callbacks.ts). */
  callback: CallbackSettings;
}

export const DEFAULT_SETTINGS: AppSettings = {
  rateLimits: { default: 200, account: 100 },
  callback: DEFAULT_CALLBACK,
};

const check = new Validator().compile({
  $$strict: true,
  rateLimits: {
    type: 'object',
    strict: true,
    props: { default: { type: 'number', integer: true, min: 1 }, account: { type: 'number', integer: true, min: 1 } },
  },
  callback: CALLBACK_RULE,
});

export class SettingsError extends Error {}

/** Merges a partial update (one level deep) over `base` and validates the result. */
export function mergeSettings(base: AppSettings, patch: unknown): AppSettings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new SettingsError('settings must be an object');
  // Defaults first: settings stored before a section existed gain it with its defaults.
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] =
      current && typeof current === 'object' && value && typeof value === 'object' && !Array.isArray(value) ? { ...current, ...value } : value;
  }
  const result = check(merged);
  if (result !== true) {
    const errors = result as { message?: string }[];
    throw new SettingsError(errors.map((e) => e.message).join('; '));
  }
  return merged as unknown as AppSettings;
}
