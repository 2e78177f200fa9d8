/**
 * A page of a group's history, newest first: one range of the stream's `seq` index, which files
 * the group's messages and tips under their sequences (schemas/group/MessageSent.avsc), so a
 * page costs the same at any depth, whatever else the stream holds between them (members
 * coming and going, recalls, read marks). Recalls and deletions come from the actor's window.
 */
import { MESSAGE_SENT, TIP_STORED, type HistoryWindow, type MessageSentData, type TipStoredData } from '../../actors/group';
import type { EventLog, IndexRange } from '../../runtime/eventlog';

export type HistoryItem =
  | { kind: 'message'; message: MessageSentData; recalled: boolean; deleted: boolean }
  | { kind: 'tip'; tip: TipStoredData };

export interface HistoryPage {
  items: HistoryItem[];
  /** No older message the viewer may see. */
  complete: boolean;
  /** Sequence to ask for next (oldest returned − 1); 0 when complete. */
  next: number;
}

const PAGE = 200;

export async function readGroupHistory(log: EventLog, stream: string, w: HistoryWindow, count: number, withRecalled: boolean): Promise<HistoryPage> {
  const items: HistoryItem[] = [];
  if (w.top < w.floor) return { items, complete: true, next: 0 };
  const recalled = new Set(w.recalled);
  const deleted = new Set(w.deleted);
  // One more than the page shows tells whether an older message follows; a page with recalled
  // messages left out reads again, twice as many each time.
  const range: IndexRange = { index: 'seq', high: w.top, low: w.floor, limit: Math.min(PAGE, count + 1) };
  let oldest = w.top + 1;
  for (;;) {
    const page = await log.readIndex(stream, range);
    for (const stored of page) {
      range.high = stored.key;
      range.beforeVersion = stored.version;
      if (stored.type !== MESSAGE_SENT && stored.type !== TIP_STORED) continue;
      const seq = (stored.data as { seq: number }).seq;
      if (items.length === count) return { items, complete: false, next: oldest - 1 };
      oldest = seq;
      if (stored.type === TIP_STORED) items.push({ kind: 'tip', tip: stored.data as unknown as TipStoredData });
      else if (!recalled.has(seq) || withRecalled) items.push({ kind: 'message', message: stored.data as unknown as MessageSentData, recalled: recalled.has(seq), deleted: deleted.has(seq) });
    }
    if (page.length < range.limit) return { items, complete: true, next: 0 };
    range.limit = Math.min(PAGE, range.limit * 2);
  }
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
