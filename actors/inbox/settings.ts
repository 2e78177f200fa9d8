/**
 * What a user keeps about their conversations besides recent contacts: pins, standard and
 * custom marks, conversation groups, per-peer do-not-disturb and global quiet hours. Tencent
 * keeps marks and conversation groups apart from the recent-contact list (a conversation may be
 * marked or grouped before it has a message, and keeps its marks when it is deleted), so they
 * live in their own map, keyed by the SDK's conversationID (`C2C<user>`, `GROUP<group>`).
 */
import {
  INBOX_CONTACT_GROUP_CHANGED,
  INBOX_CONTACT_GROUP_CREATED,
  INBOX_CONTACT_GROUP_DELETED,
  INBOX_CONTACT_GROUP_RENAMED,
  INBOX_CONV_MARKED,
  INBOX_CONV_PINNED,
  INBOX_PEER_MUTE_SET,
  INBOX_QUIET_HOURS_SET,
  type ConvId,
  type QuietHoursData,
  type SettingsEvent,
} from './events';

export interface ConvSettings {
  pinned: boolean;
  /** Standard mark bits set (0–63), ascending. */
  marks: number[];
  customMark: string;
  /** Conversation groups the conversation is in, by id, ascending. */
  groups: number[];
  /** One-to-one only: 0 receive and notify, 1 discard, 2 receive silently, 3 silently except @ (MsgRecvOption). */
  mute: number;
  /** Unix seconds of the last change (Timestamp of search_contact_group). */
  time: number;
}

export type QuietHours = Omit<QuietHoursData, 'at'>;

export interface InboxSettings {
  convs: Map<ConvId, ConvSettings>;
  /** Conversation groups: id → name. */
  contactGroups: Map<number, string>;
  nextGroupId: number;
  quiet: QuietHours;
}

export const initialSettings = (): InboxSettings => ({ convs: new Map(), contactGroups: new Map(), nextGroupId: 1, quiet: { level: 0, startTime: 0, endTime: 0, repeated: false } });

export const blankConv = (): ConvSettings => ({ pinned: false, marks: [], customMark: '', groups: [], mute: 0, time: 0 });

export const c2cConv = (user: string): ConvId => `C2C${user}`;
export const groupConv = (groupId: string): ConvId => `GROUP${groupId}`;

/** A standard mark as Tencent writes it: a string of bits, the rightmost bit 0. */
export function standardMark(bits: number[]): string {
  if (bits.length === 0) return '';
  const top = Math.max(...bits);
  let s = '';
  for (let b = top; b >= 0; b--) s += bits.includes(b) ? '1' : '0';
  return s;
}

/** Whether a conversation counts against the limit of marked conversations. */
export const isMarked = (c: ConvSettings) => c.marks.length > 0 || c.customMark !== '';

/** Applies one settings event; entries back at their defaults are dropped, so the map stays small. */
export function evolveSettings(s: InboxSettings, event: SettingsEvent): void {
  switch (event.type) {
    case INBOX_CONV_PINNED:
      for (const conv of event.data.convs) update(s, conv, event.data.at, (c) => ({ ...c, pinned: event.data.pinned }));
      break;
    case INBOX_CONV_MARKED: {
      const { set, clear, customMark } = event.data;
      update(s, event.data.conv, event.data.at, (c) => ({
        ...c,
        marks: [...new Set([...c.marks.filter((b) => !clear.includes(b)), ...set])].sort((a, b) => a - b),
        customMark: customMark ?? c.customMark,
      }));
      break;
    }
    case INBOX_CONTACT_GROUP_CREATED:
      s.contactGroups.set(event.data.groupId, event.data.name);
      s.nextGroupId = Math.max(s.nextGroupId, event.data.groupId + 1);
      for (const conv of event.data.convs) update(s, conv, event.data.at, (c) => withGroup(c, event.data.groupId, true));
      break;
    case INBOX_CONTACT_GROUP_RENAMED:
      s.contactGroups.set(event.data.groupId, event.data.name);
      break;
    case INBOX_CONTACT_GROUP_DELETED:
      s.contactGroups.delete(event.data.groupId);
      for (const [conv, c] of s.convs) if (c.groups.includes(event.data.groupId)) update(s, conv, event.data.at, (x) => withGroup(x, event.data.groupId, false));
      break;
    case INBOX_CONTACT_GROUP_CHANGED:
      for (const conv of event.data.added) update(s, conv, event.data.at, (c) => withGroup(c, event.data.groupId, true));
      for (const conv of event.data.removed) update(s, conv, event.data.at, (c) => withGroup(c, event.data.groupId, false));
      break;
    case INBOX_PEER_MUTE_SET:
      for (const peer of event.data.peers) update(s, c2cConv(peer), event.data.at, (c) => ({ ...c, mute: event.data.flag }));
      break;
    case INBOX_QUIET_HOURS_SET: {
      const { level, startTime, endTime, repeated } = event.data;
      s.quiet = { level, startTime, endTime, repeated };
      break;
    }
  }
}

function update(s: InboxSettings, conv: ConvId, atMs: number, change: (c: ConvSettings) => ConvSettings): void {
  const next = { ...change(s.convs.get(conv) ?? blankConv()), time: Math.floor(atMs / 1000) };
  if (!next.pinned && !isMarked(next) && next.groups.length === 0 && next.mute === 0) s.convs.delete(conv);
  else s.convs.set(conv, next);
}

function withGroup(c: ConvSettings, groupId: number, inside: boolean): ConvSettings {
  const groups = c.groups.filter((g) => g !== groupId);
  if (inside) groups.push(groupId);
  return { ...c, groups: groups.sort((a, b) => a - b) };
}
