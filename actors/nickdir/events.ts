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

export type NickdirEvent = NickFiled | BackfillEvent;

/**
 * The nick back-fill's progress (services/accounts/nick-backfill.ts), in the stream
 * `nickfill:<sdkAppId>`: appended with the expected version, so two nodes running it at once
 * cannot both file a page, and a restart resumes after the last page.
 */
export const BACKFILL_STARTED = 'parley.nickdir.BackfillStarted';
export const BACKFILL_ADVANCED = 'parley.nickdir.BackfillAdvanced';
export const BACKFILL_FINISHED = 'parley.nickdir.BackfillFinished';

export interface BackfillStarted {
  type: typeof BACKFILL_STARTED;
  data: { at: number };
}
export interface BackfillAdvanced {
  type: typeof BACKFILL_ADVANCED;
  data: { afterPosition: number; filed: number };
}
export interface BackfillFinished {
  type: typeof BACKFILL_FINISHED;
  data: { at: number; filed: number };
}

export type BackfillEvent = BackfillStarted | BackfillAdvanced | BackfillFinished;
