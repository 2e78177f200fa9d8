import { splitAppKey } from '../../runtime/kind';
import { INBOX_CONTACT_DELETED, INBOX_CONV_PINNED, INBOX_CONVS_TOUCHED, INBOX_GROUP_CONV_DELETED, INBOX_GROUP_NOTICE_KEPT, INBOX_GROUP_HISTORY_CLEARED, INBOX_MESSAGE_REF, INBOX_PEER_READ, type InboxEvent } from './events';
import { convsChangedBy, recordChanges } from './changes';
import { evolveGroupConv, type GroupConvState } from './group-convs';
import { c2cConv, evolveSettings, initialSettings, type InboxSettings } from './settings';

export interface Contact {
  peer: string;
  lastSeq: number;
  lastTime: number;
  lastMsgKey: string;
  lastFrom: string;
  /** Version of the last message's event in the conversation stream. */
  lastVersion: number;
  unread: number;
  readSeq: number;
  peerReadSeq: number;
  /** Time (unix s) of the newest message the peer has read (absent in old snapshots). */
  peerReadTime?: number;
}

/** A user's recent contacts, folded from their sync feed. */
export interface InboxState {
  user: string;
  contacts: Map<string, Contact>;
  version: number;
  /** Pins, marks, conversation groups, do-not-disturb (settings.ts). */
  settings: InboxSettings;
  /** Deleted and cleared group conversations by GroupId (group-convs.ts); absent in older snapshots. */
  groupConvs?: Map<string, GroupConvState>;
  /** Stream version at which each conversation last changed, oldest first (changes.ts); absent in inbox.v2 snapshots. */
  changed?: Map<string, number>;
}

export const initialState = (key: string): InboxState => ({ user: splitAppKey(key)[1], contacts: new Map(), version: 0, settings: initialSettings() });

/** Updates the contact in place (see c2c/state.ts on why maps are not copied per event). */
export function evolve(state: InboxState, event: InboxEvent): InboxState {
  const version = state.version + 1;
  recordChanges(state, event, convsChangedBy(state, event), version);
  switch (event.type) {
    case INBOX_MESSAGE_REF: {
      const m = event.data;
      const c = state.contacts.get(m.peer) ?? blank(m.peer);
      const unread = m.from === state.user || m.noUnread ? c.unread : c.unread + 1;
      if (m.noLastMsg) {
        // SendMsgControl NoLastMsg: the conversation keeps its place and last message.
        if (state.contacts.has(m.peer)) state.contacts.set(m.peer, { ...c, unread });
        break;
      }
      state.contacts.delete(m.peer); // re-inserted last: the map's order is recency
      state.contacts.set(m.peer, { ...c, lastSeq: m.seq, lastTime: m.time, lastMsgKey: m.msgKey, lastFrom: m.from, lastVersion: m.version, unread });
      break;
    }
    case INBOX_PEER_READ: {
      const { peer, reader, seq, time } = event.data;
      const c = state.contacts.get(peer);
      if (c && reader === state.user) state.contacts.set(peer, { ...c, unread: 0, readSeq: seq });
      else if (c) state.contacts.set(peer, { ...c, peerReadSeq: seq, peerReadTime: time || Math.floor(event.data.at / 1000) });
      break;
    }
    case INBOX_CONTACT_DELETED: {
      state.contacts.delete(event.data.peer);
      // A pin belongs to the recent contact (TopFlag of get_list); marks and groups outlive it.
      const conv = c2cConv(event.data.peer);
      if (state.settings.convs.get(conv)?.pinned) evolveSettings(state.settings, { type: INBOX_CONV_PINNED, data: { convs: [conv], pinned: false, at: event.data.at } });
      break;
    }
    case INBOX_GROUP_CONV_DELETED:
    case INBOX_GROUP_HISTORY_CLEARED:
      evolveGroupConv(state, event);
      break;
    case INBOX_CONVS_TOUCHED:
      break; // only the change record above moves
    case INBOX_GROUP_NOTICE_KEPT:
      break; // for getmsg only (group-notices.ts)
    default:
      evolveSettings(state.settings, event);
  }
  return { ...state, version };
}

const blank = (peer: string): Contact => ({ peer, lastSeq: 0, lastTime: 0, lastMsgKey: '', lastFrom: '', lastVersion: 0, unread: 0, readSeq: 0, peerReadSeq: 0, peerReadTime: 0 });
