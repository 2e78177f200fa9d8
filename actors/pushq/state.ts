import { DONE, DROPPED, QUEUED, SENT, type PushItem, type PushqEvent } from './events';

export interface PendingPush {
  item: PushItem;
  /** Devices ("user/instId") already handed to their provider. */
  sent: string[];
}

export interface PushqState {
  nextId: number;
  /** Pending items by id, in id order (a Map iterates in insertion order). */
  pending: Map<number, PendingPush>;
}

export const initialState = (): PushqState => ({ nextId: 1, pending: new Map() });

/** Mutates in place: the state is owned by its single activation and the backlog may be large. */
export function evolve(state: PushqState, event: PushqEvent): PushqState {
  switch (event.type) {
    case QUEUED: {
      // Items written in other actors' transactions carry id 0 and take the next id in stream order.
      const id = event.data.id > 0 ? event.data.id : state.nextId;
      state.pending.set(id, { item: { ...event.data, id }, sent: [] });
      state.nextId = Math.max(state.nextId, id + 1);
      break;
    }
    case SENT: {
      const p = state.pending.get(event.data.id);
      if (p) p.sent = [...new Set([...p.sent, ...event.data.devices])];
      break;
    }
    case DONE:
      for (const id of event.data.ids) state.pending.delete(id);
      break;
    case DROPPED:
      state.pending.delete(event.data.id);
      break;
  }
  return state;
}
