/** Events of a user (schemas/user/*.avsc). */
export const ACCOUNT_IMPORTED = 'parley.user.AccountImported';
export const ACCOUNT_DELETED = 'parley.user.AccountDeleted';
export const USER_KICKED = 'parley.user.UserKicked';
export const PROFILE_SET = 'parley.user.ProfileSet';
export const NO_SPEAKING_SET = 'parley.user.NoSpeakingSet';

export interface AccountImported {
  type: typeof ACCOUNT_IMPORTED;
  data: { nick: string; faceUrl: string; at: number };
}
export interface AccountDeleted {
  type: typeof ACCOUNT_DELETED;
  data: { at: number };
}
export interface UserKicked {
  type: typeof USER_KICKED;
  data: { at: number };
}

/** Profile fields by tag; a tag is in `strings` or `numbers` by its type. */
export interface ProfileSet {
  type: typeof PROFILE_SET;
  data: { strings: Record<string, string>; numbers: Record<string, number>; at: number; operator: string };
}

/**
 * Global mute (openconfigsvr/setnospeaking): Unix seconds until which the account may not send
 * one-to-one (c2c) or group messages; 0 = not muted, NO_SPEAKING_FOREVER = for ever.
 */
export interface NoSpeakingSet {
  type: typeof NO_SPEAKING_SET;
  data: { c2cUntil: number; groupUntil: number; at: number };
}

/** Tencent's "for ever" (0xFFFFFFFF), kept as the instant itself: year 2106. */
export const NO_SPEAKING_FOREVER = 4294967295;

export type UserEvent = AccountImported | AccountDeleted | UserKicked | ProfileSet | NoSpeakingSet;
