/** A user's recent-contacts list: paging and deletion; conversation settings in decide-settings.ts. */
import { DomainError, type Decision } from '../../runtime/kind';
import { decideSettings, type ContactGroup, type SettingsCommand, type SettingsReply } from './decide-settings';
import { INBOX_CONTACT_DELETED, type InboxEvent } from './events';
import { decideGroupConv, type GroupConvCommand, type GroupConvsReply } from './group-convs';
import { c2cConv, type ConvSettings } from './settings';
import type { Contact, InboxState } from './state';

/** A page of recent contacts, with the settings of those that have any and the user's conversation groups. */
export interface ContactPage {
  contacts: Contact[];
  total: number;
  complete: boolean;
  version: number;
  settings: Record<string, ConvSettings>;
  contactGroups: ContactGroup[];
}

export type InboxCommand =
  | SettingsCommand
  | GroupConvCommand
  | { op: 'list'; offset: number; limit: number }
  | { op: 'unread'; peers?: string[] }
  | { op: 'deleteContact'; peer: string; now: number };

export type InboxReply =
  | SettingsReply
  | GroupConvsReply
  | { changed: boolean }
  | ContactPage
  | { total: number; perPeer: Record<string, number> }
  | { deleted: boolean };

export function decide(state: InboxState, command: InboxCommand): Decision<InboxEvent, InboxReply> {
  switch (command.op) {
    case 'list': {
      const newestFirst = [...state.contacts.values()].reverse();
      const page = newestFirst.slice(command.offset, command.offset + command.limit);
      const complete = command.offset + page.length >= newestFirst.length;
      const settings: Record<string, ConvSettings> = {};
      for (const c of page) {
        const found = state.settings.convs.get(c2cConv(c.peer));
        if (found) settings[c2cConv(c.peer)] = found;
      }
      const contactGroups = [...state.settings.contactGroups].map(([groupId, name]) => ({ groupId, name }));
      return { events: [], reply: { contacts: page, total: newestFirst.length, complete, version: state.version, settings, contactGroups } };
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
    case 'deleteGroupConv':
    case 'clearGroupHistory':
    case 'groupConvs':
      return decideGroupConv(state, command);
    case 'pin':
    case 'mark':
    case 'createContactGroup':
    case 'renameContactGroup':
    case 'deleteContactGroups':
    case 'changeContactGroup':
    case 'convSettings':
    case 'setPeerMute':
    case 'setQuietHours':
    case 'getQuietHours':
      return decideSettings(state.settings, command);
    default: {
      const never: never = command;
      throw new DomainError(50002, `unknown inbox command ${JSON.stringify(never)}`);
    }
  }
}
