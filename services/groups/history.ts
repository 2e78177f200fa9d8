/**
 * A page of a group's history, newest first: one range of the stream's `seq` index, which files
 * the group's messages and tips under their sequences (schemas/group/MessageSent.avsc), so a
 * page costs the same at any depth, whatever else the stream holds between them (members
 * coming and going, recalls, read marks). Recalls and deletions come from the actor's window.
 */
import { mayRead, MESSAGE_MODIFIED, MESSAGE_SENT, TIP_STORED, TOPIC_MESSAGE_MODIFIED, TOPIC_MESSAGE_SENT, topicKey, type HistoryWindow, type MessageSentData, type TipStoredData } from '../../actors/group';
import type { EventLog, IndexRange } from '../../runtime/eventlog';

export type HistoryItem =
  /** `version`: modifications (modify_group_msg), whose newest content `message` already carries. */
  | { kind: 'message'; message: MessageSentData; recalled: boolean; deleted: boolean; version?: number }
  | { kind: 'tip'; tip: TipStoredData };

export interface HistoryPage {
  items: HistoryItem[];
  /** No older message the viewer may see. */
  complete: boolean;
  /** Sequence to ask for next (oldest returned − 1); 0 when complete. */
  next: number;
  /** Targeted messages of the page the viewer may not see (the SDK's InvisibleMsgSeq). */
  invisible: number[];
}

const PAGE = 200;

/**
 * `viewer`: the member reading (targeted messages of others are left out and listed as
 * invisible), or undefined for the app administrator, who reads everything.
 */
export async function readGroupHistory(log: EventLog, stream: string, w: HistoryWindow, count: number, withRecalled: boolean, viewer?: string): Promise<HistoryPage> {
  const items: HistoryItem[] = [];
  const invisible: number[] = [];
  if (w.top < w.floor) return { items, complete: true, next: 0, invisible };
  const recalled = new Set(w.recalled);
  const deleted = new Set(w.deleted);
  // One more than the page shows tells whether an older message follows; a page with recalled
  // messages left out reads again, twice as many each time.
  // A topic's messages are filed in the community's stream under (slot, seq) in the `tkey` index.
  const topic = w.slot !== undefined;
  const key = (seq: number) => (topic ? topicKey(w.slot as number, seq) : seq);
  const messageType = topic ? TOPIC_MESSAGE_SENT : MESSAGE_SENT;
  const modifiedType = topic ? TOPIC_MESSAGE_MODIFIED : MESSAGE_MODIFIED;
  const range: IndexRange = { index: topic ? 'tkey' : 'seq', high: key(w.top), low: key(w.floor), limit: Math.min(PAGE, count + 1) };
  let oldest = w.top + 1;
  // A modification is filed under its message's sequence and read before it (newer first).
  const edits = new Map<number, { body: string; cloudCustomData: string; version: number }>();
  for (;;) {
    const page = await log.readIndex(stream, range);
    for (const stored of page) {
      range.high = stored.key;
      range.beforeVersion = stored.version;
      if (stored.type === modifiedType) {
        const m = stored.data as { seq: number; body: string; cloudCustomData: string };
        const seen = edits.get(m.seq);
        edits.set(m.seq, seen ? { ...seen, version: seen.version + 1 } : { body: m.body, cloudCustomData: m.cloudCustomData, version: 1 });
        continue;
      }
      if (stored.type !== messageType && stored.type !== TIP_STORED) continue;
      const seq = (stored.data as { seq: number }).seq;
      // Times rise with sequences: nothing older is shown either.
      if (w.since !== undefined && (stored.data as { time: number }).time < w.since) return { items, complete: true, next: 0, invisible };
      if (items.length === count) return { items, complete: false, next: oldest - 1, invisible };
      oldest = seq;
      if (stored.type === TIP_STORED) items.push({ kind: 'tip', tip: stored.data as unknown as TipStoredData });
      else if (viewer !== undefined && !mayRead(stored.data as unknown as MessageSentData, viewer)) invisible.push(seq);
      else if (!recalled.has(seq) || withRecalled) items.push(messageItem(stored.data as unknown as MessageSentData, recalled.has(seq), deleted.has(seq), edits.get(seq)));
    }
    if (page.length < range.limit) return { items, complete: true, next: 0, invisible };
    range.limit = Math.min(PAGE, range.limit * 2);
  }
}

function messageItem(message: MessageSentData, recalled: boolean, deleted: boolean, edit?: { body: string; cloudCustomData: string; version: number }): HistoryItem {
  if (!edit) return { kind: 'message', message, recalled, deleted };
  return { kind: 'message', message: { ...message, body: edit.body, cloudCustomData: edit.cloudCustomData }, recalled, deleted, version: edit.version };
}

/**
 * The sequences of `sender`'s messages in [fromSeq, …) stored before `beforeVersion`, read
 * backwards (sequences fall with versions): what delete_group_msg_by_sender needs below the
 * actor's window. Cost: one pass over that part of the stream, in pages.
 */
export async function sentBy(log: EventLog, stream: string, sender: string, fromSeq: number, beforeVersion: number): Promise<number[]> {
  const seqs: number[] = [];
  let before = beforeVersion;
  for (;;) {
    const page = await log.readBackward(stream, before, SCAN_PAGE);
    for (const stored of page) {
      before = stored.version;
      if (stored.type !== MESSAGE_SENT && stored.type !== TIP_STORED) continue;
      const data = stored.data as { seq: number; from?: string };
      if (data.seq < fromSeq) return seqs;
      if (stored.type === MESSAGE_SENT && data.from === sender) seqs.push(data.seq);
    }
    if (page.length < SCAN_PAGE) return seqs;
  }
}

const SCAN_PAGE = 1000;
