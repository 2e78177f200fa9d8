/**
 * Per-app settings (a tenant's console switches) with their defaults. Stored as JSON inside
 * the app's events; always validated here before it is written.
 */
import Validator from 'fastest-validator';
import { CALLBACK_RULE, DEFAULT_CALLBACK, type CallbackSettings } from './callbacks';
import { GROUP_FIELDS_RULE, MEMBER_FIELDS_RULE, type FieldRule } from './group-fields';
import { DEFAULT_RELATIONS, RELATIONS_RULE, type RelationSettings } from './relations';
import { DEFAULT_PUSH, PUSH_RULE, type PushSettings } from './push';
import { MEDIA_RULE, type MediaSettings } from './media';

export interface AppSettings {
  rateLimits: {
    /** REST calls per second per API. Seed default 200. */
    default: number;
    /** multiaccount_import, account_delete and account_check, per second. Seed default 100. */
    account: number;
  };
  /** Multi-device login (the seed's "Multi-device login" console switch). */
  login: {
    /**
     * single: one platform at a time; dual (seed default): web + one of Android/iPhone/iPad/Windows/Mac;
     * triple: web + one mobile + one desktop; multi: every platform at once.
     */
    policy: LoginPolicy;
    /** Concurrent instances per native platform (Android, iPhone, iPad, Windows, Mac). Seed default 1. */
    instancesPerPlatform: number;
    /** Concurrent instances on the web (browsers, H5, mini programs). Seed default 1. */
    webInstances: number;
  };
  /** Webhooks: URL, token, enabled commands, timeout, retries (actors/apps/settings/callbacks.ts). */
  callback: CallbackSettings;
  /** One-to-one messages. */
  messages: {
    /** How long a sender may recall a message, seconds. Seed default 120. */
    recallSeconds: number;
    /** Roaming history kept, days. Seed default 7. */
    roamingDays: number;
  };
  /** Custom profile and friend fields, one-to-one relationship checks (actors/apps/settings/relations.ts). */
  relations: RelationSettings;
  /** Groups (services/groups/groups.service.ts, docs/groups.md). */
  groups: {
    /** Ordinary messages per second per group (frequency control; 0 = off). Seed default 40. */
    messagesPerSecond: number;
    /** How long a member may recall their own group message, seconds. Seed default 120. */
    recallSeconds: number;
    /** Custom group fields with read and write levels, at most 10 (actors/apps/settings/group-fields.ts). Default none. */
    groupFields?: FieldRule[];
    /** Custom member fields, at most 5 (actors/apps/settings/group-fields.ts). Default none. */
    memberFields?: FieldRule[];
    /** Groups one user may be in (services/groups/join-limit.ts). Default 3,000, the seed's Premium value. */
    joinedGroupsPerUser?: number;
    /** Net new groups per day, Communities aside (services/groups/daily-quota.ts; 0 = no quota). Default 10,000, the seed's value. */
    dailyNewGroups?: number;
  };
  /** Offline push: provider credentials and retries (actors/apps/settings/push.ts, docs/push.md). */
  push: PushSettings;
  /** Media upload limits and quota, MB; unset or null = the node's PARLEY_MEDIA_* values (actors/apps/settings/media.ts, docs/media.md). */
  media: MediaSettings;
}

export type LoginPolicy = 'single' | 'dual' | 'triple' | 'multi';
export const LOGIN_POLICIES: readonly LoginPolicy[] = ['single', 'dual', 'triple', 'multi'];

export const DEFAULT_SETTINGS: AppSettings = {
  rateLimits: { default: 200, account: 100 },
  login: { policy: 'dual', instancesPerPlatform: 1, webInstances: 1 },
  callback: DEFAULT_CALLBACK,
  messages: { recallSeconds: 120, roamingDays: 7 },
  relations: DEFAULT_RELATIONS,
  groups: { messagesPerSecond: 40, recallSeconds: 120 },
  push: DEFAULT_PUSH,
  media: {},
};

const check = new Validator().compile({
  $$strict: true,
  rateLimits: {
    type: 'object',
    strict: true,
    props: { default: { type: 'number', integer: true, min: 1 }, account: { type: 'number', integer: true, min: 1 } },
  },
  login: {
    type: 'object',
    strict: true,
    props: {
      policy: { type: 'enum', values: [...LOGIN_POLICIES] },
      // Tencent caps concurrent instances per platform at 10 (Premium).
      instancesPerPlatform: { type: 'number', integer: true, min: 1, max: 10 },
      webInstances: { type: 'number', integer: true, min: 1, max: 10 },
    },
  },
  callback: CALLBACK_RULE,
  messages: {
    type: 'object',
    strict: true,
    props: { recallSeconds: { type: 'number', integer: true, min: 0, max: 7 * 86400 }, roamingDays: { type: 'number', integer: true, min: 1, max: 3650 } },
  },
  relations: RELATIONS_RULE,
  groups: {
    type: 'object',
    strict: true,
    props: {
      messagesPerSecond: { type: 'number', integer: true, min: 0, max: 100_000 },
      recallSeconds: { type: 'number', integer: true, min: 0, max: 7 * 86400 },
      groupFields: GROUP_FIELDS_RULE,
      memberFields: MEMBER_FIELDS_RULE,
      joinedGroupsPerUser: { type: 'number', integer: true, min: 1, max: 100_000, optional: true },
      dailyNewGroups: { type: 'number', integer: true, min: 0, max: 100_000_000, optional: true },
    },
  },
  push: PUSH_RULE,
  media: MEDIA_RULE,
});

export class SettingsError extends Error {}

/** The login section of an app's settings, defaults filled in for apps stored before it existed. */
export const loginSettings = (settings: Partial<AppSettings>): AppSettings['login'] => settings.login ?? DEFAULT_SETTINGS.login;

/** The messages section, defaults filled in for apps stored before it existed. */
export const messageSettings = (settings: Partial<AppSettings>): AppSettings['messages'] => settings.messages ?? DEFAULT_SETTINGS.messages;

/** The relations section, defaults filled in for apps stored before it existed. */
export const relationSettings = (settings: Partial<AppSettings>): RelationSettings => ({ ...DEFAULT_RELATIONS, ...settings.relations });

/** The groups section, defaults filled in for apps stored before it existed. */
export const groupSettings = (settings: Partial<AppSettings>): AppSettings['groups'] => ({ ...DEFAULT_SETTINGS.groups, ...settings.groups });

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
