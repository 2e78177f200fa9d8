/**
 * Roaming history of a one-to-one conversation, read backwards from the conversation's stream:
 * reading newest first, a recall, a modification or a one-sided deletion is seen before the
 * messages it applies to, so one pass gives each message as the reader should see it.
 */
import {
  HISTORY_DELETED,
  MESSAGES_DELETED,
  MESSAGE_MODIFIED,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  msgKeyOf,
  type C2CEvent,
  type MessageSentData,
} from '../../actors/c2c';
import type { EventLog } from '../../runtime/eventlog';

export interface HistoryQuery {
  stream: string;
  reader: string;
  /** Start below this stream version (exclusive); use MAX_SAFE_INTEGER for the newest. */
  beforeVersion: number;
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
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Nothing older matches the query. */
  complete: boolean;
}

const PAGE = 200;

export async function readHistory(log: EventLog, q: HistoryQuery): Promise<HistoryPage> {
  const recalled = new Set<string>();
  const deleted = new Set<string>();
  const edits = new Map<string, number>();
  const modified = new Map<string, { body: string | null; cloudCustomData: string | null }>();
  let deletedUpTo = 0;
  const items: HistoryItem[] = [];
  let before = q.beforeVersion;
  // Effects newer than the cursor still apply to the messages below it.
  const effects = q.beforeVersion === Number.MAX_SAFE_INTEGER ? [] : await log.readBackward(q.stream, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  for (const e of effects) if (e.version >= q.beforeVersion) collect(e as unknown as C2CEvent);

  function collect(e: C2CEvent): void {
    if (e.type === MESSAGE_RECALLED) recalled.add(e.data.msgKey);
    else if (e.type === MESSAGE_MODIFIED) {
      edits.set(e.data.msgKey, (edits.get(e.data.msgKey) ?? 0) + 1);
      if (!modified.has(e.data.msgKey)) modified.set(e.data.msgKey, e.data);
    } else if (e.type === HISTORY_DELETED && e.data.user === q.reader) deletedUpTo = Math.max(deletedUpTo, e.data.upToSeq);
    else if (e.type === MESSAGES_DELETED && e.data.user === q.reader) for (const k of e.data.msgKeys) deleted.add(k);
  }

  for (;;) {
    const page = await log.readBackward(q.stream, before, PAGE);
    for (const stored of page) {
      const e = stored as unknown as C2CEvent & { version: number };
      before = stored.version;
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
      items.push({ message, version: stored.version, recalled: recalled.has(key), edits: edits.get(key) ?? 0 });
    }
    if (page.length < PAGE) return { items, complete: true };
  }
}
