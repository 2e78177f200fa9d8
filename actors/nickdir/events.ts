/**
 * Events of an app's nick directory (schemas/nickdir/*.avsc): a feed, `nicks:<sdkAppId>`, that
 * the user actor's host writes in the same transaction as the nick itself (services/accounts/
 * nick-directory.ts). No actor decides on it; it exists to be searched by index.
 */
export const NICK_FILED = 'parley.nickdir.NickFiled';

export interface NickFiled {
  type: typeof NICK_FILED;
  /** `keys`: one per prefix of the folded nick (nick-keys.ts), the index `prefix` files it under. */
  data: { userId: string; nick: string; at: number; keys: number[] };
}

export type NickdirEvent = NickFiled;
