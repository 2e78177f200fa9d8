/** Rules of an outbox shard: ids are allocated here; acknowledging an item twice is a no-op. */
import { DomainError, type Decision } from '../../runtime/kind';
import { DELIVERED, ENQUEUED, GAVE_UP, type OutboxEvent, type OutboxItem } from './events';
import type { OutboxState } from './state';

export type NewOutboxItem = Omit<OutboxItem, 'id' | 'at'>;

export type OutboxCommand =
  | { op: 'enqueue'; items: NewOutboxItem[]; now: number }
  /** The oldest pending items; `delivered` first marks those ids delivered (one Delivered event). */
  | { op: 'pending'; limit: number; delivered?: number[]; now?: number }
  | { op: 'delivered'; ids: number[]; now: number }
  | { op: 'giveUp'; id: number; attempts: number; reason: string; now: number };

export type OutboxReply = { ids: number[] } | { items: OutboxItem[] };

const INVALID = 70402;

export function decide(state: OutboxState, command: OutboxCommand): Decision<OutboxEvent, OutboxReply> {
  switch (command.op) {
    case 'enqueue': {
      const events: OutboxEvent[] = command.items.map((item, i) => ({
        type: ENQUEUED,
        data: { ...item, id: state.nextId + i, at: command.now },
      }));
      return { events, reply: { ids: events.map((e) => (e.data as OutboxItem).id) } };
    }
    case 'pending': {
      const done = new Set((command.delivered ?? []).filter((id) => state.pending.has(id)));
      const items: OutboxItem[] = [];
      for (const item of state.pending.values()) {
        if (items.length >= command.limit) break;
        if (!done.has(item.id)) items.push(item);
      }
      const events: OutboxEvent[] = done.size > 0 ? [{ type: DELIVERED, data: { ids: [...done], at: command.now ?? 0 } }] : [];
      return { events, reply: { items } };
    }
    case 'delivered': {
      const ids = command.ids.filter((id) => state.pending.has(id));
      const events: OutboxEvent[] = ids.length ? [{ type: DELIVERED, data: { ids, at: command.now } }] : [];
      return { events, reply: { ids } };
    }
    case 'giveUp': {
      if (!state.pending.has(command.id)) return { events: [], reply: { ids: [] } };
      const { id, attempts, reason, now } = command;
      return { events: [{ type: GAVE_UP, data: { id, attempts, reason, at: now } }], reply: { ids: [id] } };
    }
    default: {
      const never: never = command;
      throw new DomainError(INVALID, `unknown outbox command ${JSON.stringify(never)}`);
    }
  }
}
