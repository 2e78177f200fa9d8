/**
 * openim.getmsg: the SDK's one-to-one sync. The cookie is the version of the user's feed the
 * device has seen; a device resumes exactly after it, with no gap and no duplicate, whichever
 * node answers. A device without a cookie (a fresh login) gets the messages still unread.
 */
import { conversationStream, MESSAGE_SENT, type MessageSentData } from '../../actors/c2c';
import { INBOX_MESSAGE_REF, inboxStream, type Contact, type MessageRefData } from '../../actors/inbox';
import type { EventLog } from '../../runtime/eventlog';
import { PURGED_BODY } from '../messages/retention';
import { wireMessage, type C2CWireMessage } from '../messages/wire';

/** Messages per getmsg answer; the SDK asks again while SyncFlag is 1. */
export const SYNC_PAGE = 100;
/** Feed events a fresh device's unread scan looks back at most. */
const UNREAD_SCAN = 2_000;

export interface SyncPage {
  cookie: number;
  more: boolean;
  messages: C2CWireMessage[];
  /** A fresh device only: the unread count of each conversation that has any. */
  unread?: { peer: string; count: number }[];
}

/**
 * The getmsg reply. `Cookie` must be non-empty and `SyncFlag` 1 (more) or 2 (done), or the SDK
 * ignores the reply; `C2CPairUnreadCount` is the only source of one-to-one unread counts at login.
 */
export function getMsgReply(page: SyncPage) {
  const reply: { Cookie: string; SyncFlag: number; MsgList: C2CWireMessage[]; C2CPairUnreadCount?: { From_Account: string; UnreadCount: number }[] } = {
    Cookie: String(page.cookie),
    SyncFlag: page.more ? 1 : 2,
    MsgList: page.messages,
  };
  if (page.unread) reply.C2CPairUnreadCount = page.unread.map((u) => ({ From_Account: u.peer, UnreadCount: u.count }));
  return reply;
}

export async function syncAfter(log: EventLog, app: number, user: string, cookie: number): Promise<SyncPage> {
  const events = await log.read(inboxStream(app, user), cookie, SYNC_PAGE);
  const refs = events.filter((e) => e.type === INBOX_MESSAGE_REF).map((e) => e.data as MessageRefData);
  const last = events[events.length - 1]?.version ?? cookie;
  return { cookie: last, more: events.length === SYNC_PAGE, messages: await load(log, app, user, refs) };
}

/** A fresh device: the unread messages of each contact, oldest first, and the feed's head as cookie. */
export async function syncUnread(log: EventLog, app: number, user: string, head: number, contacts: Contact[]): Promise<SyncPage> {
  const readSeq = new Map(contacts.map((c) => [c.peer, c.readSeq]));
  let wanted = contacts.reduce((sum, c) => sum + c.unread, 0);
  const refs: MessageRefData[] = [];
  if (wanted > 0) {
    for (const e of await log.readBackward(inboxStream(app, user), head + 1, UNREAD_SCAN)) {
      if (e.type !== INBOX_MESSAGE_REF) continue;
      const ref = e.data as MessageRefData;
      if (ref.from === user || ref.seq <= (readSeq.get(ref.peer) ?? 0)) continue;
      refs.push(ref);
      if (--wanted === 0) break;
    }
  }
  const unread = contacts.filter((c) => c.unread > 0).map((c) => ({ peer: c.peer, count: c.unread }));
  return { cookie: head, more: false, messages: await load(log, app, user, refs.reverse()), unread };
}

async function load(log: EventLog, app: number, user: string, refs: MessageRefData[]): Promise<C2CWireMessage[]> {
  const loaded = await Promise.all(
    refs.map(async (ref) => {
      const [event] = await log.read(conversationStream(app, user, ref.peer), ref.version - 1, 1);
      const m = event?.type === MESSAGE_SENT ? (event.data as MessageSentData) : undefined;
      // Past retention the content is gone (messages/retention.ts), and past its MsgLifeTime a
      // message is no longer delivered offline (it stays in roaming history).
      const expired = m !== undefined && m.lifeTimeSec > 0 && Date.now() / 1000 > m.time + m.lifeTimeSec;
      return m && m.body !== PURGED_BODY && !expired ? wireMessage(app, m) : undefined;
    }),
  );
  return loaded.filter((m): m is C2CWireMessage => m !== undefined);
}
