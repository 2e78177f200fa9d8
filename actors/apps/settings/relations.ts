/**
 * Per-app settings of profiles and the relationship chain: custom profile fields (the seed's
 * "Custom Profile Fields": Tag_Profile_Custom_ + a keyword of at most 8 letters, a type, read
 * and write permission for app users and administrators, at most 20), custom friend fields
 * (Tag_SNS_Custom_ + keyword) and the one-to-one relationship checks. Fixed product limits
 * (3,000 friends, 1,000 blocked …) are in RELATION_LIMITS.
 */

export type FieldActor = 'user' | 'admin';

export interface CustomProfileField {
  /** Letters only, at most 8: the field is Tag_Profile_Custom_<keyword>. */
  keyword: string;
  /** Both are strings on the wire, at most 500 bytes; `bytes` is kept for Tencent parity. */
  type: 'string' | 'bytes';
  /** Who may read it: app users (the SDK), administrators (REST). Default both. */
  read: FieldActor[];
  /** Who may write it. Default both. */
  write: FieldActor[];
}

export interface RelationSettings {
  /** Custom profile fields of the app, at most 20. Default none. */
  profileFields: CustomProfileField[];
  /** Keywords of custom friend fields (Tag_SNS_Custom_<keyword>), at most 20. Default none. */
  snsFields: string[];
  /** One-to-one messages from a sender in the recipient's blocklist are refused (20007). Default true. */
  c2cBlocklistCheck: boolean;
  /** One-to-one messages need friendship both ways (20009/20010/20011). Default false. */
  c2cFriendsOnly: boolean;
}

export const DEFAULT_RELATIONS: RelationSettings = { profileFields: [], snsFields: [], c2cBlocklistCheck: true, c2cFriendsOnly: false };

export const PROFILE_CUSTOM_PREFIX = 'Tag_Profile_Custom_';
export const SNS_CUSTOM_PREFIX = 'Tag_SNS_Custom_';
export const CUSTOM_KEYWORD = /^[A-Za-z]{1,8}$/;

const actors = { type: 'array', unique: true, items: { type: 'enum', values: ['user', 'admin'] } };

/** fastest-validator rule of the `relations` section. */
export const RELATIONS_RULE = {
  type: 'object',
  strict: true,
  props: {
    profileFields: {
      type: 'array',
      max: 20,
      items: {
        type: 'object',
        strict: true,
        props: {
          keyword: { type: 'string', pattern: CUSTOM_KEYWORD },
          type: { type: 'enum', values: ['string', 'bytes'] },
          read: actors,
          write: actors,
        },
      },
    },
    snsFields: { type: 'array', max: 20, unique: true, items: { type: 'string', pattern: CUSTOM_KEYWORD } },
    c2cBlocklistCheck: 'boolean',
    c2cFriendsOnly: 'boolean',
  },
};

/** Fixed limits of the seed's "Use Limits" (relationship chain). */
export const RELATION_LIMITS = {
  friends: 3000,
  blocked: 1000,
  pending: 100,
  lists: 32,
  listNameBytes: 30,
  remarkBytes: 96,
  wordingBytes: 256,
  /** Accounts per friend_check, black_list_check, friend_delete, black_list_add/delete. */
  batch: 1000,
  /** Items per friend_import. */
  importBatch: 1000,
  /** Friends per friend_get page. */
  friendPage: 100,
  /** AddSource_Type_ + at most 8 letters. */
  addSource: /^AddSource_Type_[A-Za-z]{1,8}$/,
  customValueBytes: 500,
} as const;
