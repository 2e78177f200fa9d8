/** A user's recent-contacts list: paging and deletion. */
import { DomainError, type Decision } from '../../runtime/kind';
import { INBOX_CONTACT_DELETED, type InboxEvent } from './events';
import type { Contact, InboxState } from './state';

export type InboxCommand =
  | { op: 'list'; offset: number; limit: number }
  | { op: 'unread'; peers?: string[] }
  | { op: 'deleteContact'; peer: string; now: number };

export type InboxReply =
  | { contacts: Contact[]; total: number; complete: boolean; version: number }
  | { total: number; perPeer: Record<string, number> }
  | { deleted: boolean };

export function decide(state: InboxState, command: InboxCommand): Decision<InboxEvent, InboxReply> {
  switch (command.op) {
    case 'list': {
      const newestFirst = [...state.contacts.values()].reverse();
      const page = newestFirst.slice(command.offset, command.offset + command.limit);
      const complete = command.offset + page.length >= newestFirst.length;
      return { events: [], reply: { contacts: page, total: newestFirst.length, complete, version: state.version } };
    }
    case 'unread': {
      const peers = command.peers ?? [...state.contacts.keys()];
      const perPeer = Object.fromEntries(peers.map((p) => [p, state.contacts.get(p)?.unread ?? 0]));
      const total = [...state.contacts.values()].reduce((sum, c) => sum + c.unread, 0);
      return { events: [], reply: { total, perPeer } };
    }
    case 'deleteContact': {
      if (!state.contacts.has(command.peer)) return { events: [], reply: { deleted: false } };
      return { events: [{ type: INBOX_CONTACT_DELETED, data: { peer: command.peer, at: command.now } }], reply: { deleted: true } };
    }
    default: {
      const never: never = command;
      throw new DomainError(50002, `unknown inbox command ${JSON.stringify(never)}`);
    }
  }
}
