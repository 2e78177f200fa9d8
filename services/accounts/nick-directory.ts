/**
 * The nick directory of an app: what lets the console find accounts by nick among a hundred
 * thousand without reading a single profile it does not show.
 *
 * Each nick an account takes (account_import, multiaccount_import, portrait_set of
 * Tag_Profile_IM_Nick) is filed as a NickFiled event in the feed `nicks:<sdkAppId>`, in the
 * same transaction as the user's own event (the accounts service's side feeds), under one index
 * key per prefix of the folded nick (actors/nickdir/keys.ts). A search is then one range of
 * that index, newest first, paged by version; each hit is checked against the account's
 * current nick (the user actor), so a nick changed since, or a deleted account, is skipped
 * rather than shown. Entries are never removed: a stale one costs a skipped row.
 *
 * Accounts that took their nick before the directory existed (an installation upgraded from an
 * earlier Parley) are filed by the nick back-fill each app runs once (nick-backfill.ts).
 */
import type { FeedAppend, EventLog } from '../../runtime/eventlog';
import { ACCOUNT_IMPORTED, PROFILE_SET, TAG_NICK, type UserEvent } from '../../actors/user';
import { NICK_FILED, type NickFiled } from '../../actors/nickdir/events';
import { foldNick, nickKeys, queryKey } from '../../actors/nickdir/keys';
import type { AccountsClient } from './client';

export const nickStream = (app: number) => `nicks:${app}`;

/** Hits read per index page; a search reads at most MAX_SCAN before answering with what it found. */
const BATCH = 100;
const MAX_SCAN = 2000;

/** The directory entries of a user's new events, or undefined when no nick was set. */
export function nickFeed(app: number, userId: string, events: UserEvent[]): FeedAppend | undefined {
  const filed: NickFiled[] = [];
  for (const e of events) {
    const nick = e.type === ACCOUNT_IMPORTED ? e.data.nick : e.type === PROFILE_SET ? e.data.strings[TAG_NICK] : undefined;
    if (typeof nick !== 'string' || foldNick(nick) === '') continue;
    filed.push({ type: NICK_FILED, data: { userId, nick, at: e.data.at, keys: nickKeys(nick) } });
  }
  return filed.length > 0 ? { stream: nickStream(app), events: filed } : undefined;
}

export interface NickHit {
  UserID: string;
  Nick: string;
}

export interface NickPage {
  accounts: NickHit[];
  /** Where the next page starts (a directory version); absent when the directory has no more. */
  next?: number;
}

/**
 * Accounts whose current nick starts with `query` (folded: case, width and spacing ignored),
 * newest filing first, at most `limit`; `before` is a previous page's `next`. An account shows
 * once per page.
 */
export async function searchNicks(log: EventLog, accounts: AccountsClient, app: number, query: string, limit: number, before?: number): Promise<NickPage> {
  const folded = foldNick(query);
  const key = queryKey(folded);
  const found: NickHit[] = [];
  const seen = new Set<string>();
  let cursor = before ?? Number.MAX_SAFE_INTEGER;
  let scanned = 0;
  while (found.length < limit && scanned < MAX_SCAN) {
    const page = await log.readIndex(nickStream(app), { index: 'prefix', high: key, low: key, beforeVersion: cursor, limit: BATCH });
    const candidates: NickFiled['data'][] = [];
    for (const event of page) {
      cursor = event.version;
      scanned++;
      const data = event.data as NickFiled['data'];
      if (seen.has(data.userId) || !foldNick(data.nick).startsWith(folded)) continue;
      seen.add(data.userId);
      candidates.push(data);
    }
    // The user actor has the truth: a nick changed since, or a deleted account, is skipped.
    const current = await Promise.all(candidates.map((c) => accounts.get(app, c.userId)));
    for (const [i, c] of candidates.entries()) {
      const now = current[i];
      if (!now.imported || foldNick(now.nick ?? '') !== foldNick(c.nick)) continue;
      found.push({ UserID: c.userId, Nick: now.nick ?? '' });
      if (found.length === limit) {
        // Resume after the hit that filled the page; later hits of this batch come again.
        return { accounts: found, next: versionOf(page, c) };
      }
    }
    if (page.length < BATCH) return { accounts: found };
  }
  return { accounts: found, next: cursor };
}

/** The version of the (first) index row of `hit` in `page`. */
function versionOf(page: { version: number; data: unknown }[], hit: NickFiled['data']): number {
  return page.find((e) => e.data === hit)!.version;
}
