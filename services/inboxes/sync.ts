/**
 * openim.getmsg: the SDK's one-to-one sync. The cookie is the version of the user's feed the
 * device has seen; a device resumes exactly after it, with no gap and no duplicate, whichever
 * node answers. A device without a cookie (a fresh login) gets the messages still unread.
 *
 * A page holds at most SYNC_PAGE messages and REPLY_BUDGET_BYTES of them
 * (commands/reply-budget.ts): it ends before the message that would overflow, its cookie points
 * just before that message, and SyncFlag 1 makes the SDK ask again at once with that cookie.
 *
 * A fresh device's unread messages may be thousands, so they go out over as many pages as they
 * need, oldest first. Until the last of them, its cookie is `<after>:<head>`: catching up on the
 * feed after version `after` and up to `head` (the feed's version at the first call), unread
 * messages only. At the head the cookie becomes that plain version, and the device syncs from
 * there as any other (SyncFlag 1 if the feed moved on meanwhile).
 *
 * A device with a cookie also gets the group system notices kept in the feed after it
 * (actors/inbox/group-notices.ts) as the reply's EventArray, which the SDK handles as pushed.
 */
import { conversationStream, MESSAGE_SENT, type MessageSentData } from '../../actors/c2c';
import { INBOX_GROUP_NOTICE_KEPT, INBOX_MESSAGE_REF, inboxStream, type Contact, type GroupNoticeData, type MessageRefData } from '../../actors/inbox';
import { groupNoticeEvent } from '../groups/client';
import type { EventLog } from '../../runtime/eventlog';
import { jsonBytes, REPLY_BUDGET_BYTES } from '../commands/reply-budget';
import { PURGED_BODY } from '../messages/retention';
import { wireMessage, type C2CWireMessage } from '../messages/wire';

/** Messages per getmsg answer at most; the SDK asks again while SyncFlag is 1. */
export const SYNC_PAGE = 100;
/**
 * Feed events a fresh device's first sync looks back at most for unread messages. Older unread
 * ones still count in C2CPairUnreadCount, and the SDK shows messages from roaming history
 * (getroammsg) anyway: what getmsg brings at login it only keeps aside (docs/sdk-protocol.md §12).
 */
const UNREAD_SCAN = 20_000;
/** Feed events read per store call. */
const SCAN_CHUNK = 250;
/** Feed events one page reads at most: a page of only read or own messages still moves the cookie on. */
const SCAN_PER_PAGE = 5_000;

export interface SyncPage {
  cookie: string;
  more: boolean;
  messages: C2CWireMessage[];
  /** Group system notices kept for the user's offline devices (actors/inbox/group-notices.ts), as EventArray entries. */
  events?: object[];
  /** A fresh device's first page only: the unread count of each conversation that has any. */
  unread?: { peer: string; count: number }[];
}

export type SyncCursor = { kind: 'fresh' } | { kind: 'after'; after: number } | { kind: 'catchUp'; after: number; head: number };

/** What a getmsg Cookie says; anything unreadable is a fresh device (the SDK sends "" at login). */
export function parseCookie(cookie: string | undefined): SyncCursor {
  const plain = /^(\d{1,15})$/.exec(cookie ?? '');
  if (plain) return { kind: 'after', after: Number(plain[1]) };
  const catchUp = /^(\d{1,15}):(\d{1,15})$/.exec(cookie ?? '');
  if (catchUp && Number(catchUp[1]) <= Number(catchUp[2])) return { kind: 'catchUp', after: Number(catchUp[1]), head: Number(catchUp[2]) };
  return { kind: 'fresh' };
}

/**
 * The getmsg reply. `Cookie` must be non-empty and `SyncFlag` 1 (more) or 2 (done), or the SDK
 * ignores the reply; `C2CPairUnreadCount` is the only source of one-to-one unread counts at login.
 */
export function getMsgReply(page: SyncPage) {
  const reply: { Cookie: string; SyncFlag: number; MsgList: C2CWireMessage[]; C2CPairUnreadCount?: { From_Account: string; UnreadCount: number }[]; EventArray?: object[] } = {
    Cookie: page.cookie,
    SyncFlag: page.more ? 1 : 2,
    MsgList: page.messages,
  };
  if (page.unread) reply.C2CPairUnreadCount = unreadCounts(page.unread);
  // The SDK hands a getmsg EventArray to its push handler (as online after a reconnect): a kept group notice acts as if pushed.
  if (page.events?.length) reply.EventArray = page.events;
  return reply;
}

const unreadCounts = (unread: { peer: string; count: number }[]) => unread.map((u) => ({ From_Account: u.peer, UnreadCount: u.count }));

/** A device with a cookie: every message of the feed after it, and the group notices kept meanwhile. */
export async function syncAfter(log: EventLog, app: number, user: string, after: number): Promise<SyncPage> {
  const page = await pageForward(log, app, user, after, Number.MAX_SAFE_INTEGER, () => true, REPLY_BUDGET_BYTES, true);
  return { cookie: String(page.cursor), more: !page.end, messages: page.messages, ...(page.events.length ? { events: page.events } : {}) };
}

/** A fresh device: the unread messages of each contact, oldest first, from the feed's head back. */
export async function syncUnread(log: EventLog, app: number, user: string, head: number, contacts: Contact[]): Promise<SyncPage> {
  const unread = contacts.filter((c) => c.unread > 0).map((c) => ({ peer: c.peer, count: c.unread }));
  const start = await oldestUnread(log, app, user, head, contacts);
  if (start === undefined) return { cookie: String(head), more: false, messages: [], unread };
  const page = await catchUpPage(log, app, user, start - 1, head, head, contacts, REPLY_BUDGET_BYTES - jsonBytes(unreadCounts(unread)));
  return { ...page, unread };
}

/** The next page of a fresh device's unread messages; `current` is the feed's version now. */
export function syncCatchUp(log: EventLog, app: number, user: string, cursor: { after: number; head: number }, current: number, contacts: Contact[]): Promise<SyncPage> {
  return catchUpPage(log, app, user, cursor.after, cursor.head, current, contacts, REPLY_BUDGET_BYTES);
}

/**
 * Unread: from the peer, after the user's read mark. The marks are read afresh on every page; a
 * conversation read meanwhile (on any device) has nothing unread left to bring.
 */
function unreadFilter(user: string, contacts: Contact[]): (ref: MessageRefData) => boolean {
  const readSeq = new Map(contacts.map((c) => [c.peer, c.readSeq]));
  return (ref) => ref.from !== user && ref.seq > (readSeq.get(ref.peer) ?? Number.MAX_SAFE_INTEGER);
}

/** Feed version of the oldest message the unread counts stand for, looking back from `head`. */
async function oldestUnread(log: EventLog, app: number, user: string, head: number, contacts: Contact[]): Promise<number | undefined> {
  let wanted = contacts.reduce((sum, c) => sum + c.unread, 0);
  const unread = unreadFilter(user, contacts);
  let oldest: number | undefined;
  let before = head + 1;
  for (let scanned = 0; wanted > 0 && scanned < UNREAD_SCAN; ) {
    const limit = Math.min(SCAN_CHUNK * 4, UNREAD_SCAN - scanned);
    const events = await log.readBackward(inboxStream(app, user), before, limit);
    for (const e of events) {
      before = e.version;
      const ref = e.data as MessageRefData;
      if (e.type !== INBOX_MESSAGE_REF || !unread(ref)) continue;
      oldest = e.version;
      // NoUnread messages (SendMsgControl) come along but are not in the counts.
      if (!ref.noUnread && --wanted === 0) break;
    }
    scanned += events.length;
    if (events.length < limit) break;
  }
  return oldest;
}

async function catchUpPage(log: EventLog, app: number, user: string, after: number, head: number, current: number, contacts: Contact[], budget: number): Promise<SyncPage> {
  // A cookie naming a head beyond the feed is not ours: catch up to what exists.
  const top = Math.min(head, current);
  const page = await pageForward(log, app, user, after, top, unreadFilter(user, contacts), budget);
  if (!page.end) return { cookie: `${page.cursor}:${top}`, more: true, messages: page.messages };
  return { cookie: String(top), more: current > top, messages: page.messages };
}

interface ForwardPage {
  /** Feed version the page covers up to: the next page reads after it. */
  cursor: number;
  messages: C2CWireMessage[];
  events: object[];
  /** Nothing left up to the bound. */
  end: boolean;
}

/** The messages `keep` picks from the feed after `after` and up to `until`, as many as fit. */
async function pageForward(log: EventLog, app: number, user: string, after: number, until: number, keep: (ref: MessageRefData) => boolean, budget: number, notices = false): Promise<ForwardPage> {
  const picked: { version: number; ref?: MessageRefData; notice?: GroupNoticeData }[] = [];
  let scanned = after;
  let exhausted = false;
  for (let read = 0; picked.length < SYNC_PAGE && read < SCAN_PER_PAGE && !exhausted; ) {
    const limit = Math.min(SCAN_CHUNK, until - scanned);
    if (limit <= 0) break;
    const events = await log.read(inboxStream(app, user), scanned, limit);
    exhausted = events.length < limit;
    for (const e of events) {
      scanned = e.version;
      if (e.type === INBOX_MESSAGE_REF && keep(e.data as MessageRefData)) picked.push({ version: e.version, ref: e.data as MessageRefData });
      else if (notices && e.type === INBOX_GROUP_NOTICE_KEPT) picked.push({ version: e.version, notice: e.data as GroupNoticeData });
      if (picked.length === SYNC_PAGE) {
        exhausted = false;
        break;
      }
    }
    read += events.length;
  }
  const refs = picked.flatMap((p) => (p.ref ? [p.ref] : []));
  const loaded = await load(log, app, user, refs);
  const messages: C2CWireMessage[] = [];
  const events: object[] = [];
  let bytes = 0;
  for (let i = 0, r = 0; i < picked.length; i++) {
    const { notice } = picked[i];
    const item = notice ? groupNoticeEvent(notice) : loaded[r++];
    if (!item) continue;
    const size = jsonBytes(item) + 1;
    // The item that would overflow opens the next page.
    if (messages.length + events.length > 0 && bytes + size > budget) return { cursor: picked[i].version - 1, messages, events, end: false };
    bytes += size;
    if (notice) events.push(item);
    else messages.push(item as C2CWireMessage);
  }
  return { cursor: scanned, messages, events, end: exhausted || scanned >= until };
}

/** The referenced messages, in order; undefined for those no longer delivered. */
async function load(log: EventLog, app: number, user: string, refs: MessageRefData[]): Promise<(C2CWireMessage | undefined)[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const [event] = await log.read(conversationStream(app, user, ref.peer), ref.version - 1, 1);
      const m = event?.type === MESSAGE_SENT ? (event.data as MessageSentData) : undefined;
      // Past retention the content is gone (messages/retention.ts), and past its MsgLifeTime a
      // message is no longer delivered offline (it stays in roaming history).
      const expired = m !== undefined && m.lifeTimeSec > 0 && Date.now() / 1000 > m.time + m.lifeTimeSec;
      return m && m.body !== PURGED_BODY && !expired ? wireMessage(app, m) : undefined;
    }),
  );
}
