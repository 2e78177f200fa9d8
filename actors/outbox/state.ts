import { DELIVERED, ENQUEUED, GAVE_UP, type OutboxEvent, type OutboxItem } from './events';

export interface OutboxState {
  /** Id of the next item queued. */
  nextId: number;
  /** Undelivered items by id; a Map iterates in insertion order, which is id order. */
  pending: Map<number, OutboxItem>;
}

export const initialState = (): OutboxState => ({ nextId: 1, pending: new Map() });

/** Mutates in place: the state is owned by its single activation and pending may be large. */
export function evolve(state: OutboxState, event: OutboxEvent): OutboxState {
  switch (event.type) {
    case ENQUEUED: {
      // Items written by other actors' transactions carry id 0: they take the next id in
      // stream order, which every replay reproduces.
      const id = event.data.id > 0 ? event.data.id : state.nextId;
      state.pending.set(id, { ...event.data, id });
      state.nextId = Math.max(state.nextId, id + 1);
      break;
    }
    case DELIVERED:
      for (const id of event.data.ids) state.pending.delete(id);
      break;
    case GAVE_UP:
      state.pending.delete(event.data.id);
      break;
  }
  return state;
}
