/** Rules of a push queue shard: ids are allocated here; finishing an item twice is a no-op. */
import { DomainError, type Decision } from '../../runtime/kind';
import { DONE, DROPPED, QUEUED, SENT, type PushItem, type PushqEvent } from './events';
import type { PendingPush, PushqState } from './state';

export type PushqCommand =
  | { op: 'enqueue'; items: Omit<PushItem, 'id' | 'at'>[]; now: number }
  /** The oldest pending items; `done` first marks those ids finished (one Done event). */
  | { op: 'pending'; limit: number; done?: number[]; now: number }
  /** Some devices of an item were pushed, others wait for a retry. */
  | { op: 'sent'; id: number; devices: string[]; now: number }
  | { op: 'done'; ids: number[]; now: number }
  | { op: 'drop'; id: number; reason: string; now: number };

export type PushqReply = { ids: number[] } | { items: PendingPush[] };

const INVALID = 70402;

export function decide(state: PushqState, command: PushqCommand): Decision<PushqEvent, PushqReply> {
  switch (command.op) {
    case 'enqueue': {
      const events: PushqEvent[] = command.items.map((item, i) => ({ type: QUEUED, data: { ...item, id: state.nextId + i, at: command.now } }));
      return { events, reply: { ids: events.map((_, i) => state.nextId + i) } };
    }
    case 'pending': {
      const done = (command.done ?? []).filter((id) => state.pending.has(id));
      const skip = new Set(done);
      const items: PendingPush[] = [];
      for (const p of state.pending.values()) {
        if (items.length >= command.limit) break;
        if (!skip.has(p.item.id)) items.push(p);
      }
      const events: PushqEvent[] = done.length > 0 ? [{ type: DONE, data: { ids: done, at: command.now } }] : [];
      return { events, reply: { items } };
    }
    case 'sent': {
      const p = state.pending.get(command.id);
      const devices = p ? command.devices.filter((d) => !p.sent.includes(d)) : [];
      if (devices.length === 0) return { events: [], reply: { ids: [] } };
      return { events: [{ type: SENT, data: { id: command.id, devices, at: command.now } }], reply: { ids: [command.id] } };
    }
    case 'done': {
      const ids = command.ids.filter((id) => state.pending.has(id));
      return { events: ids.length ? [{ type: DONE, data: { ids, at: command.now } }] : [], reply: { ids } };
    }
    case 'drop': {
      if (!state.pending.has(command.id)) return { events: [], reply: { ids: [] } };
      return { events: [{ type: DROPPED, data: { id: command.id, reason: command.reason, at: command.now } }], reply: { ids: [command.id] } };
    }
    default: {
      const never: never = command;
      throw new DomainError(INVALID, `unknown push queue command ${JSON.stringify(never)}`);
    }
  }
}
