/**
 * Rules of message extensions (the SDK's setMessageExtensions / deleteMessageExtensions, REST
 * set_key_values / group_set_key_values): optimistic concurrency per key. A change names the
 * sequence of the key as the caller last saw it (0 for a key it never saw); a different current
 * sequence is a conflict for that key only (23001), answered with the key as it now is so the
 * SDK can retry, while the request's other keys still apply. A deleted or absent key takes 0.
 * At most 300 live keys per message (23004, the whole request refused, nothing stored). Whether
 * the message exists, takes extensions and the caller may touch it is checked by the service
 * before the command is built, as for reactions: those facts belong to the message contexts.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { EXTENSIONS_CLEARED, EXTENSIONS_SET, type ExtensionEvent, type KeyValue } from './events';
import { extensionsOf, liveCount, type ExtensionState } from './state';

export const EXTENSION_CODES = { CONFLICT: 23001, TOO_MANY_KEYS: 23004 } as const;
/** Tencent's published bounds: 300 keys per message, 20 per request, key 100 bytes, value 1 KB. */
export const EXTENSION_LIMITS = { keysPerMessage: 300, keysPerRequest: 20, keyBytes: 100, valueBytes: 1024 } as const;
/** Keys per page of a fetch; the SDK asks again from the last sequence + 1 until CompleteFlag 1. */
export const FETCH_PAGE = 100;

/** The outcome of one key of a change: 0 and the key as stored, or 23001 and the key as it is. */
export interface KeyResult {
  code: number;
  item: KeyValue;
}

export interface ChangeReply {
  results: KeyResult[];
  seq: number;
  clearSeq: number;
  /** What changed, for the push (empty: nothing stored, nothing to push). */
  changed: KeyValue[];
}

export interface FetchReply {
  items: KeyValue[];
  complete: boolean;
  seq: number;
  clearSeq: number;
}

export type ExtensionCommand =
  | { op: 'set' | 'delete'; message: string; items: { key: string; value: string; seq: number }[]; by: string; now: number }
  | { op: 'clear'; message: string; by: string; now: number }
  | { op: 'fetch'; message: string; from: number };

export type ExtensionReply = ChangeReply | FetchReply;

export function decide(state: ExtensionState, command: ExtensionCommand): Decision<ExtensionEvent, ExtensionReply> {
  switch (command.op) {
    case 'set':
    case 'delete':
      return change(state, command);
    case 'clear': {
      const m = extensionsOf(state, command.message);
      const seq = m.seq + 1;
      return {
        events: [{ type: EXTENSIONS_CLEARED, data: { message: command.message, seq, by: command.by, at: command.now } }],
        reply: { results: [], seq, clearSeq: seq, changed: [] },
      };
    }
    case 'fetch': {
      const m = extensionsOf(state, command.message);
      // A first fetch (from 0) needs no deleted keys; a later one does, to drop them on the device.
      const since = [...m.keys.values()].filter((k) => k.seq >= command.from && (command.from > 0 || k.value !== '')).sort((a, b) => a.seq - b.seq);
      const items = since.slice(0, FETCH_PAGE);
      return { events: [], reply: { items, complete: items.length === since.length, seq: m.seq, clearSeq: m.clearSeq } };
    }
    default: {
      const never: never = command;
      throw new DomainError(90001, `unknown extension command ${JSON.stringify(never)}`);
    }
  }
}

function change(state: ExtensionState, command: Extract<ExtensionCommand, { op: 'set' | 'delete' }>): Decision<ExtensionEvent, ExtensionReply> {
  const m = extensionsOf(state, command.message);
  const results: KeyResult[] = [];
  const changed: KeyValue[] = [];
  const written = new Map<string, KeyValue>();
  let seq = m.seq;
  for (const asked of command.items) {
    const current = written.get(asked.key) ?? m.keys.get(asked.key);
    const currentSeq = current && current.value !== '' ? current.seq : 0;
    // A key that is absent or deleted takes 0 or the deletion's own sequence.
    const fresh = asked.seq === currentSeq || (currentSeq === 0 && asked.seq === (current?.seq ?? 0));
    if (!fresh) {
      results.push({ code: EXTENSION_CODES.CONFLICT, item: current ?? { key: asked.key, value: '', seq: 0 } });
      continue;
    }
    if (command.op === 'delete' && currentSeq === 0) {
      results.push({ code: 0, item: current ?? { key: asked.key, value: '', seq: 0 } });
      continue;
    }
    const item = { key: asked.key, value: command.op === 'delete' ? '' : asked.value, seq: ++seq };
    written.set(item.key, item);
    changed.push(item);
    results.push({ code: 0, item });
  }
  const live = liveCount({ ...m, keys: new Map([...m.keys, ...written]) });
  if (command.op === 'set' && live > EXTENSION_LIMITS.keysPerMessage && live > liveCount(m)) {
    throw new DomainError(EXTENSION_CODES.TOO_MANY_KEYS, `a message takes at most ${EXTENSION_LIMITS.keysPerMessage} extension keys`);
  }
  const events: ExtensionEvent[] = changed.length > 0 ? [{ type: EXTENSIONS_SET, data: { message: command.message, items: changed, by: command.by, at: command.now } }] : [];
  return { events, reply: { results, seq, clearSeq: m.clearSeq, changed } };
}
