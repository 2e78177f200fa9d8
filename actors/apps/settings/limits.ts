/**
 * Product limits from the seed's "Use Limits" (Premium values where editions differ). Limits a
 * tenant may change live in its AppSettings (actors/apps/settings/app-settings.ts); these are fixed.
 */
export const LIMITS = {
  /** UserID: at most 32 bytes, English letters and digits. */
  userIdMaxBytes: 32,
  /** Accounts per multiaccount_import, account_delete and account_check call. */
  accountBatch: 100,
  /** Accounts per query_online_status call. */
  onlineStatusBatch: 500,
  /** Largest REST request body we read, in bytes; Tencent's largest documented body is far below. */
  restBodyBytes: 1 << 20,
  /** Nick and face URL given at account import, in bytes. */
  nickBytes: 500,
  faceUrlBytes: 500,
} as const;

export const USER_ID_PATTERN = /^[A-Za-z0-9]+$/;

export const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

export function isValidUserId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && byteLength(id) <= LIMITS.userIdMaxBytes && USER_ID_PATTERN.test(id);
}
