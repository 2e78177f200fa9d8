/**
 * The key-value extensions of one conversation's messages. Per message: its extension sequence
 * (one step per key written and per clearing, so every key version has its own number and the
 * SDK's incremental fetch "from sequence n" is a range), the sequence of its last clearing, and
 * its keys. A deleted key stays as value '' with its sequence, so a device that fetches changes
 * since n learns of the deletion; a clearing drops every key.
 */
import { EXTENSIONS_CLEARED, EXTENSIONS_SET, type ExtensionEvent, type KeyValue } from './events';

export interface MessageExtensions {
  seq: number;
  clearSeq: number;
  keys: Map<string, KeyValue>;
}

export interface ExtensionState {
  messages: Map<string, MessageExtensions>;
}

export const initialState = (): ExtensionState => ({ messages: new Map() });

export const extensionsOf = (state: ExtensionState, message: string): MessageExtensions => state.messages.get(message) ?? { seq: 0, clearSeq: 0, keys: new Map() };

/** Live keys: the ones a message shows (deleted ones excluded). */
export const liveCount = (m: MessageExtensions) => [...m.keys.values()].filter((k) => k.value !== '').length;

/** Applies in place (as actors/reaction does): the host drops an activation whose append failed. */
export function evolve(state: ExtensionState, event: ExtensionEvent): ExtensionState {
  const m = extensionsOf(state, event.data.message);
  switch (event.type) {
    case EXTENSIONS_SET:
      for (const item of event.data.items) {
        m.keys.set(item.key, { ...item });
        m.seq = Math.max(m.seq, item.seq);
      }
      break;
    case EXTENSIONS_CLEARED:
      m.keys.clear();
      m.seq = Math.max(m.seq, event.data.seq);
      m.clearSeq = event.data.seq;
      break;
  }
  state.messages.set(event.data.message, m);
  return state;
}
