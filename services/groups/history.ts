/**
 * A page of a group's history, newest first, read backwards from the group's stream starting
 * at the version of the newest wanted message (the actor knows it for remembered messages).
 * Recalls and deletions come from the actor's window, so one backward pass suffices.
 */
import { MESSAGE_SENT, TIP_STORED, type HistoryWindow, type MessageSentData, type TipStoredData } from '../../actors/group';
import type { EventLog } from '../../runtime/eventlog';

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
  let before = w.version > 0 ? w.version + 1 : Number.MAX_SAFE_INTEGER;
  let oldest = w.top + 1;
  for (;;) {
    const page = await log.readBackward(stream, before, PAGE);
    for (const stored of page) {
      before = stored.version;
      if (stored.type !== MESSAGE_SENT && stored.type !== TIP_STORED) continue;
      const seq = (stored.data as { seq: number }).seq;
      if (seq > w.top) continue;
      if (seq < w.floor) return { items, complete: true, next: 0 };
      if (items.length === count) return { items, complete: false, next: oldest - 1 };
      oldest = seq;
      if (stored.type === TIP_STORED) items.push({ kind: 'tip', tip: stored.data as unknown as TipStoredData });
      else if (!recalled.has(seq) || withRecalled) items.push({ kind: 'message', message: stored.data as unknown as MessageSentData, recalled: recalled.has(seq), deleted: deleted.has(seq) });
    }
    if (page.length < PAGE) return { items, complete: true, next: 0 };
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
