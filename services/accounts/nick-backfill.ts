/**
 * The nick back-fill: files in an app's nick directory (nick-directory.ts) the current nick of
 * every account that took it before the directory existed, an installation upgraded from a
 * Parley without it. It reads the app's user events by type (AccountImported, ProfileSet) in
 * log order, a page at a time, and files an account when the event read is its last nick ever
 * and the account still exists: so each account is filed once, with the nick it has now.
 *
 * Which events were filed as they were written: every one after the directory's first entry
 * (the code writing them files nicks in the same transaction), and every one after the
 * back-fill began; of those before, the ones whose filing (same account, same instant) is among
 * the directory's first entries — a group commit writes a batch's events before its feeds, so
 * the first filing's own event, and its batch-mates', come before it.
 *
 * Progress is events of the stream `nickfill:<sdkAppId>`: each page's filings are appended with
 * the page's BackfillAdvanced, at the stream's expected version, in one transaction. A crash
 * resumes after the last page; two nodes running it at once (a ring still settling) cannot both
 * file a page: the second one's append conflicts and it stops, leaving the rest to the first.
 * After BackfillFinished it never reads the log again.
 */
import { VersionConflictError, type EventLog, type FeedAppend, type NewEvent, type StoredEvent } from '../../runtime/eventlog';
import { ACCOUNT_IMPORTED, PROFILE_SET, TAG_NICK, userKind, type UserEvent, type UserState } from '../../actors/user';
import { BACKFILL_ADVANCED, BACKFILL_FINISHED, BACKFILL_STARTED, NICK_FILED, type BackfillAdvanced, type NickFiled } from '../../actors/nickdir/events';
import { foldNick, nickKeys } from '../../actors/nickdir/keys';
import { nickStream } from './nick-directory';

export const backfillStream = (app: number) => `nickfill:${app}`;

/** User events read per page (and per progress event). */
const PAGE = 500;
/** Directory entries read to recognise events filed in the first filings' transactions; far more than a group commit's batch. */
const FIRST_FILINGS = 2000;

export interface BackfillResult {
  /** Accounts filed by this run. */
  filed: number;
  /** False when another node's run holds the stream (this one stopped at its conflict). */
  finished: boolean;
}

export interface BackfillOptions {
  now?: () => number;
  /** User events per page; tests page by few. */
  page?: number;
}

/** Files the nicks the directory misses for `app`; idempotent, resumable, safe to run anywhere at once. */
export async function backfillNicks(log: EventLog, app: number, { now = Date.now, page: pageSize = PAGE }: BackfillOptions = {}): Promise<BackfillResult> {
  const stream = backfillStream(app);
  const [last] = await log.readBackward(stream, Number.MAX_SAFE_INTEGER, 1);
  if (last?.type === BACKFILL_FINISHED) return { filed: 0, finished: true };
  if (!last && !(await appended(log, stream, 0, [{ type: BACKFILL_STARTED, data: { at: now() } }]))) return { filed: 0, finished: false };
  const progress = await log.read(stream);
  const advanced = progress.filter((e) => e.type === BACKFILL_ADVANCED).map((e) => e.data as BackfillAdvanced['data']);
  let version = progress.length;
  let after = advanced.at(-1)?.afterPosition ?? 0;
  let total = advanced.reduce((sum, a) => sum + a.filed, 0);
  const bounds = await boundsOf(log, app, progress[0].position);
  let filed = 0;
  for (;;) {
    const page = await log.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, streamPrefix: `user:${app}:`, types: [ACCOUNT_IMPORTED, PROFILE_SET], afterPosition: after, limit: pageSize });
    const read = page.filter((e) => e.position < bounds.before);
    const filings = await filingsOf(log, read, bounds.filed);
    const done = read.length < pageSize;
    after = read.at(-1)?.position ?? after;
    total += filings.length;
    const events: NewEvent[] = [{ type: BACKFILL_ADVANCED, data: { afterPosition: after, filed: filings.length } }];
    if (done) events.push({ type: BACKFILL_FINISHED, data: { at: now(), filed: total } });
    const feeds: FeedAppend[] = filings.length > 0 ? [{ stream: nickStream(app), events: filings }] : [];
    if (!(await appended(log, stream, version, events, feeds))) return { filed, finished: false };
    version += events.length;
    filed += filings.length;
    if (done) return { filed, finished: true };
  }
}

/** Appends at the expected version; false when another run wrote first. */
async function appended(log: EventLog, stream: string, version: number, events: NewEvent[], feeds?: FeedAppend[]): Promise<boolean> {
  try {
    await log.append(stream, version, events, feeds);
    return true;
  } catch (err) {
    if (err instanceof VersionConflictError) return false;
    throw err;
  }
}

/**
 * What the back-fill reads: user events before `before` (the directory's first entry or the
 * back-fill's start, whichever came first), less those `filed` already (account and instant).
 */
async function boundsOf(log: EventLog, app: number, started: number): Promise<{ before: number; filed: Set<string> }> {
  const first = await log.read(nickStream(app), 0, FIRST_FILINGS);
  const filed = new Set(first.map((e) => filingId((e.data as NickFiled['data']).userId, (e.data as NickFiled['data']).at)));
  return { before: Math.min(started, first[0]?.position ?? started), filed };
}

const filingId = (userId: string, at: number) => `${at}:${userId}`;

/** The nick an event sets, or undefined when it sets none (an import always sets one, maybe empty). */
function nickSet(event: Pick<StoredEvent, 'type' | 'data'>): string | undefined {
  if (event.type === ACCOUNT_IMPORTED) return (event.data as { nick: string }).nick;
  if (event.type === PROFILE_SET) return (event.data as { strings: Record<string, string> }).strings[TAG_NICK];
  return undefined;
}

/** The filings of a page: an account whose last nick-setting event is in the page, still imported, its nick not empty. */
async function filingsOf(log: EventLog, page: StoredEvent[], filed: Set<string>): Promise<NickFiled[]> {
  const lastInPage = new Map<string, StoredEvent>();
  for (const e of page) if (nickSet(e) !== undefined) lastInPage.set(e.stream, e);
  const filings = await Promise.all([...lastInPage.values()].map((event) => filingOf(log, event, filed)));
  return filings.filter((f): f is NickFiled => f !== undefined);
}

/** The filing of the account whose nick event this is, if it is the account's last and the account's nick now. */
async function filingOf(log: EventLog, event: StoredEvent, filed: Set<string>): Promise<NickFiled | undefined> {
  // A user's stream is short (imports, profile changes, kicks, mutes), and the truth.
  const key = event.stream.slice('user:'.length);
  const userId = key.slice(key.indexOf(':') + 1);
  let state: UserState = userKind.initialState(key);
  let lastNickVersion = 0;
  for (const e of await log.read(event.stream)) {
    state = userKind.evolve(state, e as unknown as UserEvent);
    if (nickSet(e) !== undefined) lastNickVersion = e.version;
  }
  const at = (event.data as { at: number }).at;
  if (lastNickVersion !== event.version || !state.imported || foldNick(state.nick) === '' || filed.has(filingId(userId, at))) return undefined;
  return { type: NICK_FILED, data: { userId, nick: state.nick, at, keys: nickKeys(state.nick) } };
}
