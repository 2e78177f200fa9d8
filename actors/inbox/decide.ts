/** A user's recent-contacts list: paging and deletion; conversation settings in decide-settings.ts. */
import { DomainError, type Decision } from '../../runtime/kind';
import { changedAfter } from './changes';
import { decideSettings, type ContactGroup, type SettingsCommand, type SettingsReply } from './decide-settings';
import { INBOX_CONTACT_DELETED, type InboxEvent } from './events';
import { decideGroupConv, type GroupConvCommand, type GroupConvsReply } from './group-convs';
import { c2cConv, groupConv, type ConvSettings, type QuietHours } from './settings';
import type { Contact, InboxState } from './state';
import { decideTouch, type TouchCommand } from './touch';
import { decideGroupNotice, type GroupNoticeCommand } from './group-notices';

/** A page of recent contacts, with the settings of those that have any and the user's conversation groups. */
export interface ContactPage {
  contacts: Contact[];
  total: number;
  complete: boolean;
  version: number;
  settings: Record<string, ConvSettings>;
  contactGroups: ContactGroup[];
}

/** The conversations changed after a stream version (the SDK's incremental list; changes.ts). */
export interface ContactChanges {
  /** One-to-one contacts changed after `after`, oldest change first, with the version of each. */
  contacts: Contact[];
  versions: number[];
  complete: boolean;
  /** The inbox's version now: where the next incremental list starts once this one is complete. */
  version: number;
  settings: Record<string, ConvSettings>;
  contactGroups: ContactGroup[];
  /** Group conversations whose deletion, clearing, pin, marks or groups changed after `after`. */
  groupIds: string[];
}

export type InboxCommand =
  | SettingsCommand
  | GroupConvCommand
  | TouchCommand
  | GroupNoticeCommand
  | { op: 'list'; offset: number; limit: number }
  | { op: 'changes'; after: number; limit: number }
  | { op: 'unread'; peers?: string[] }
  /** What an offline push to this user needs, in one turn (services/push/targets.ts); `peer`: a one-to-one message's sender. */
  | { op: 'pushView'; peer?: string }
  | { op: 'deleteContact'; peer: string; now: number };

export type InboxReply =
  | SettingsReply
  | GroupConvsReply
  | { changed: boolean }
  | ContactPage
  | ContactChanges
  | { total: number; perPeer: Record<string, number> }
  | PushView
  | { deleted: boolean };

/** One-to-one unread total, the unread from `peer`, the mute of that conversation, the quiet hours. */
export interface PushView {
  total: number;
  peerUnread: number;
  peerMute: number;
  quiet: QuietHours;
}

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
    case 'changes': {
      const found = changedAfter(state.changed, command.after, (conv) => conv.startsWith('C2C') && state.contacts.has(conv.slice(3)), command.limit);
      const contacts = found.items.map((i) => state.contacts.get(i.conv.slice(3)) as Contact);
      const groupIds = changedAfter(state.changed, command.after, (conv) => conv.startsWith('GROUP'), Infinity).items.map((i) => i.conv.slice(5));
      const settings: Record<string, ConvSettings> = {};
      for (const conv of [...found.items.map((i) => i.conv), ...groupIds.map(groupConv)]) {
        const s = state.settings.convs.get(conv);
        if (s) settings[conv] = s;
      }
      const contactGroups = [...state.settings.contactGroups].map(([groupId, name]) => ({ groupId, name }));
      return { events: [], reply: { contacts, versions: found.items.map((i) => i.version), complete: found.complete, version: state.version, settings, contactGroups, groupIds } };
    }
    case 'unread': {
      const peers = command.peers ?? [...state.contacts.keys()];
      const perPeer = Object.fromEntries(peers.map((p) => [p, state.contacts.get(p)?.unread ?? 0]));
      const total = [...state.contacts.values()].reduce((sum, c) => sum + c.unread, 0);
      return { events: [], reply: { total, perPeer } };
    }
    case 'pushView': {
      let total = 0;
      for (const c of state.contacts.values()) total += c.unread;
      const peer = command.peer;
      const view: PushView = {
        total,
        peerUnread: peer === undefined ? 0 : (state.contacts.get(peer)?.unread ?? 0),
        peerMute: peer === undefined ? 0 : (state.settings.convs.get(c2cConv(peer))?.mute ?? 0),
        quiet: state.settings.quiet,
      };
      return { events: [], reply: view };
    }
    case 'deleteContact': {
      if (!state.contacts.has(command.peer)) return { events: [], reply: { deleted: false } };
      return { events: [{ type: INBOX_CONTACT_DELETED, data: { peer: command.peer, at: command.now } }], reply: { deleted: true } };
    }
    case 'touch':
      return decideTouch(state.contacts, command);
    case 'keepGroupNotice':
      return decideGroupNotice(command);
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
