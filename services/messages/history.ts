/**
 * Roaming history of a one-to-one conversation, read through the stream's `seq` index: a
 * message, and each recall, modification or one-sided deletion of it, are filed under the
 * message's sequence (schemas/c2c/*.avsc), newest first under one sequence, so the effects on a
 * message are read just before it and a page is one range of the index whatever its depth and
 * whatever else the stream holds (read marks). Deletions of a whole history, and deletions
 * stored before they named their messages' sequences, are filed under key 0 (the whole stream)
 * and read first. A time bound starts the range through the `time` index.
 */
import {
  HISTORY_DELETED,
  MESSAGES_DELETED,
  MESSAGES_RECEIPTED,
  MESSAGE_MODIFIED,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  msgKeyOf,
  type C2CEvent,
  type MessageSentData,
  type StoredMessage,
} from '../../actors/c2c';
import type { EventLog, IndexRange, StoredEvent } from '../../runtime/eventlog';

export interface HistoryQuery {
  stream: string;
  reader: string;
  /** Start below this stream version (exclusive), a message's; use MAX_SAFE_INTEGER for the newest. */
  beforeVersion: number;
  /** The sequence of the message at `beforeVersion`, when the caller knows it: spares reading it. */
  beforeSeq?: number;
  maxCount: number;
  /** Unix seconds, inclusive. */
  minTime: number;
  maxTime: number;
}

export interface HistoryItem {
  message: MessageSentData;
  version: number;
  recalled: boolean;
  /** How many times it was modified (the SDK's MsgVersion). */
  edits: number;
  /** Its recipient sent a per-message read receipt for it. */
  receipted: boolean;
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Nothing older matches the query. */
  complete: boolean;
}

const PAGE = 200;
const NEWEST = Number.MAX_SAFE_INTEGER;

export async function readHistory(log: EventLog, q: HistoryQuery): Promise<HistoryPage> {
  const recalled = new Set<string>();
  const deleted = new Set<string>();
  const receipted = new Set<string>();
  const edits = new Map<string, number>();
  const modified = new Map<string, { body: string | null; cloudCustomData: string | null }>();
  let deletedUpTo = 0;
  const items: HistoryItem[] = [];

  function collect(e: C2CEvent): void {
    if (e.type === MESSAGE_RECALLED) recalled.add(e.data.msgKey);
    else if (e.type === MESSAGE_MODIFIED) {
      edits.set(e.data.msgKey, (edits.get(e.data.msgKey) ?? 0) + 1);
      if (!modified.has(e.data.msgKey)) modified.set(e.data.msgKey, e.data);
    } else if (e.type === HISTORY_DELETED && e.data.user === q.reader) deletedUpTo = Math.max(deletedUpTo, e.data.upToSeq);
    else if (e.type === MESSAGES_DELETED && e.data.user === q.reader) for (const k of e.data.msgKeys) deleted.add(k);
    else if (e.type === MESSAGES_RECEIPTED) for (const k of e.data.msgKeys) receipted.add(k);
  }

  // What concerns the whole stream is read beside the start of the page, not before it: messages
  // deleted with the history end the page when they come.
  const wide = wholeStream(log, q.stream).then((events) => events.forEach((e) => collect(e as unknown as C2CEvent)));
  let top: number;
  try {
    top = q.beforeSeq !== undefined && q.beforeVersion !== NEWEST ? q.beforeSeq - 1 : await topOf(log, q);
  } catch (err) {
    await wide.catch(() => undefined);
    throw err;
  }
  if (top < 1) {
    await wide;
    return { items, complete: true };
  }
  const range: IndexRange = { index: 'seq', high: top, low: 1, limit: firstRead(q.maxCount) };
  for (let first = true; ; first = false) {
    const page = first ? (await Promise.all([log.readIndex(q.stream, range), wide]))[0] : await log.readIndex(q.stream, range);
    for (const stored of page) {
      range.high = stored.key;
      range.beforeVersion = stored.version;
      const e = stored as unknown as C2CEvent;
      if (e.type !== MESSAGE_SENT) {
        collect(e);
        continue;
      }
      const m = e.data;
      if (m.seq <= deletedUpTo || m.time < q.minTime) return { items, complete: true };
      if (m.time > q.maxTime) continue;
      const key = msgKeyOf(m);
      if (deleted.has(key)) continue;
      const change = modified.get(key);
      const message = change ? { ...m, body: change.body ?? m.body, cloudCustomData: change.cloudCustomData ?? m.cloudCustomData } : m;
      if (items.length === q.maxCount) return { items, complete: false };
      items.push({ message, version: stored.version, recalled: recalled.has(key), edits: edits.get(key) ?? 0, receipted: receipted.has(key) });
    }
    if (page.length < range.limit) return { items, complete: true };
    range.limit = Math.min(PAGE, range.limit * 2);
  }
}

/**
 * Index entries to read first for a page of `count`: one more than the page shows (is there an
 * older message?) and room for a few recalls, modifications and deletions among them; a page
 * that needs more reads again, twice as many each time.
 */
const firstRead = (count: number) => Math.min(PAGE, count + 2 + Math.ceil(count / 8));

/** What is filed under the whole stream: deletions of the history, and of messages before they were filed by sequence. */
async function wholeStream(log: EventLog, stream: string): Promise<StoredEvent[]> {
  const range: IndexRange = { index: 'seq', high: 0, low: 0, limit: PAGE };
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await log.readIndex(stream, range);
    all.push(...page);
    if (page.length < range.limit) return all;
    range.beforeVersion = page[page.length - 1].version;
  }
}

/**
 * The sequence the page starts at (inclusive): below the cursor message, and no newer than the
 * newest message of `maxTime` or before. 0: nothing there.
 */
async function topOf(log: EventLog, q: HistoryQuery): Promise<number> {
  if (q.beforeVersion !== NEWEST) {
    const [cursor] = await log.read(q.stream, q.beforeVersion - 1, 1);
    const c = cursor as unknown as C2CEvent | undefined;
    // Callers give a message's version; anything else starts below the newest message before it.
    return c?.type === MESSAGE_SENT ? c.data.seq - 1 : seqBefore(log, q.stream, q.beforeVersion);
  }
  if (q.maxTime >= NEWEST) return NEWEST;
  // Without a cursor, the newest message of maxTime or before starts the page. Times grow with
  // sequences, but for imports with older times (and clocks of nodes a little apart): a message
  // with a higher sequence and a time of maxTime or before is then left out, where reading from
  // the newest end would have found it; a cursor (a MsgKey) always pages exactly.
  const [last] = await log.readIndex(q.stream, { index: 'time', high: q.maxTime, low: 0, limit: 1 });
  return last ? (last.data as MessageSentData).seq : 0;
}

/**
 * The stream version and sequence of the message a MsgKey (`<clientSeq>_<random>_<time>`) names, found
 * through the `time` index: for messages the conversation no longer remembers.
 */
export async function locateMessage(log: EventLog, stream: string, msgKey: string): Promise<{ version: number; seq: number } | undefined> {
  const time = Number(msgKey.split('_')[2]);
  if (!Number.isSafeInteger(time) || time < 0) return undefined;
  const range: IndexRange = { index: 'time', high: time, low: time, limit: PAGE };
  for (;;) {
    const page = await log.readIndex(stream, range);
    const found = page.find((e) => msgKeyOf(e.data as MessageSentData) === msgKey);
    if (found) return { version: found.version, seq: (found.data as MessageSentData).seq };
    if (page.length < range.limit) return undefined;
    range.beforeVersion = page[page.length - 1].version;
  }
}

/** The sequence of the newest message stored below `version`, read backwards (a cursor that is no message). */
async function seqBefore(log: EventLog, stream: string, version: number): Promise<number> {
  for (let before = version, limit = 16; ; limit = Math.min(PAGE, limit * 2)) {
    const page = await log.readBackward(stream, before, limit);
    for (const e of page as unknown as (C2CEvent & { version: number })[]) {
      if (e.type === MESSAGE_SENT) return e.data.seq;
      before = e.version;
    }
    if (page.length < limit) return 0;
  }
}

/**
 * What the conversation would remember of messages it no longer keeps in memory (recall,
 * modification and deletion of older messages): each found through the `time` index, then its
 * recalls and modifications through the `seq` index. Keys not in the log are left out.
 */
export async function storedMessages(log: EventLog, stream: string, msgKeys: string[]): Promise<StoredMessage[]> {
  const found: StoredMessage[] = [];
  for (const msgKey of new Set(msgKeys)) {
    const at = await locateMessage(log, stream, msgKey);
    if (!at) continue;
    const events = await log.readIndex(stream, { index: 'seq', high: at.seq, low: at.seq, limit: PAGE });
    const sent = events.find((e) => e.version === at.version)?.data as MessageSentData | undefined;
    if (!sent) continue;
    const about = events.map((e) => e as unknown as C2CEvent).filter((e) => (e.data as { msgKey?: string }).msgKey === msgKey || (e.type === MESSAGES_RECEIPTED && e.data.msgKeys.includes(msgKey)));
    found.push({
      msgKey,
      seq: at.seq,
      version: at.version,
      from: sent.from,
      time: sent.time,
      clientTime: sent.clientTime || sent.time,
      recalled: about.some((e) => e.type === MESSAGE_RECALLED),
      edits: about.filter((e) => e.type === MESSAGE_MODIFIED).length,
      receipted: about.some((e) => e.type === MESSAGES_RECEIPTED),
    });
  }
  return found;
}
