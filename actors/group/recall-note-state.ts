/** Applies recalls to a group's recall notes (recall-notes.ts): evolve's side, no rules. */

/** What a note takes from the message (state.ts MessageMeta; named here, state.ts imports this file). */
interface Recalled {
  from: string;
  time: number;
  random: number;
  clientTime: number;
  to?: string[];
}

/** Recalls a group remembers for devices that come back; older ones are in history (IsPlaceMsg 2). */
export const RECALL_NOTES_KEPT = 1_000;

export interface RecallNote {
  /**
   * The notice's time in microseconds, the unit of the SDK's BeginTime and EndTime: the recall's
   * millisecond × 1000, raised to one past the previous note so that every note has its own time
   * and a page can end between two recalls of the same millisecond.
   */
  t: number;
  seq: number;
  random: number;
  clientTime: number;
  from: string;
  by: string;
  /** A targeted message's audience besides its sender (MessageMeta.to). */
  to?: string[];
}

/** MessagesRecalled: one note per message still in the window, the oldest dropped beyond RECALL_NOTES_KEPT. */
export function noteRecalls(s: { recallNotes?: RecallNote[]; messages: Map<number, Recalled> }, data: { seqs: number[]; by: string; at: number }): void {
  const notes = (s.recallNotes ??= []);
  for (const seq of data.seqs) {
    const meta = s.messages.get(seq);
    if (!meta) continue;
    const last = notes.length > 0 ? notes[notes.length - 1].t : 0;
    // A message sent without a client time (REST) carries its server time as MsgClientTime everywhere (services/groups/wire.ts).
    notes.push({ t: Math.max(data.at * 1000, last + 1), seq, random: meta.random, clientTime: meta.clientTime || meta.time, from: meta.from, by: data.by, ...(meta.to ? { to: meta.to } : {}) });
  }
  if (notes.length > RECALL_NOTES_KEPT) notes.splice(0, notes.length - RECALL_NOTES_KEPT);
}
