import { CHANGE_COMPLETED, CHANGE_REQUESTED, type AuditEvent } from './events';

/**
 * Only what the rules need: the entries are read from the log (readIndex), never held here,
 * so an app's state stays a few numbers however long its history.
 */
export interface AuditState {
  /** The last entry's number. */
  entries: number;
  /** Entries requested and not yet completed, oldest first (a node that died mid-change leaves one). */
  open: number[];
}

/** Open entries kept: older ones (changes abandoned by a node that died) are forgotten. */
export const MAX_OPEN = 64;

export const initialState = (): AuditState => ({ entries: 0, open: [] });

export function evolve(state: AuditState, event: AuditEvent): AuditState {
  switch (event.type) {
    case CHANGE_REQUESTED:
      return { entries: event.data.entry, open: [...state.open, event.data.entry].slice(-MAX_OPEN) };
    case CHANGE_COMPLETED:
      return { entries: state.entries, open: state.open.filter((n) => n !== event.data.entry) };
  }
  return state;
}
