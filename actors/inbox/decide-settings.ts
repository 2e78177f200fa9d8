/**
 * The user's conversation settings: pins, marks, conversation groups, do-not-disturb. Every
 * request is checked whole before anything is decided, so a refused one stores nothing.
 * Limits are Tencent's (REST recentcontact pages): 20 conversation groups of names up to 32
 * bytes, 1,000 grouped and 1,000 marked conversations (51008 beyond), custom marks up to 256
 * bytes, standard mark bits 0–63. Pins are capped at 1,000 too (Parley's bound, no Tencent figure).
 */
import { DomainError, type Decision } from '../../runtime/kind';
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
  type SettingsEvent,
} from './events';
import { blankConv, isMarked, type ConvSettings, type InboxSettings, type QuietHours } from './settings';

export const SETTINGS_LIMITS = { contactGroups: 20, groupNameBytes: 32, groupedConvs: 1000, markedConvs: 1000, customMarkBytes: 256, pinnedConvs: 1000, markBits: 64 } as const;
/** recentcontact codes: 50002 invalid parameter (also an unknown or taken group name), 51008 over a limit. */
export const SETTINGS_CODES = { INVALID: 50002, OVER_LIMIT: 51008 } as const;

export interface MarkChange {
  conv: ConvId;
  set: number[];
  clear: number[];
  /** Absent: the custom mark stays as it is. */
  customMark?: string;
}

export type SettingsCommand =
  | { op: 'pin'; convs: ConvId[]; pinned: boolean; now: number }
  | { op: 'mark'; items: MarkChange[]; now: number }
  | { op: 'createContactGroup'; name: string; convs: ConvId[]; now: number }
  | { op: 'renameContactGroup'; oldName: string; newName: string; now: number }
  | { op: 'deleteContactGroups'; names: string[]; now: number }
  | { op: 'changeContactGroup'; name: string; add: ConvId[]; remove: ConvId[]; now: number }
  /** The settings of the given conversations (search_contact_group), or a page of all that have any (get_contact_group). */
  | { op: 'convSettings'; convs?: ConvId[]; offset?: number; limit?: number }
  | { op: 'setPeerMute'; peers: string[]; flag: number; now: number }
  | { op: 'setQuietHours'; quiet: QuietHours; now: number }
  | { op: 'getQuietHours' };

export interface ContactGroup {
  groupId: number;
  name: string;
}

export type SettingsReply =
  | { convs: ConvId[] }
  | { group: ContactGroup; convs: ConvId[]; removed?: ConvId[]; oldName?: string }
  | { groups: ContactGroup[] }
  | ConvSettingsPage
  | { quiet: QuietHours };

/** Settings of conversations, the user's conversation groups and quiet hours. */
export interface ConvSettingsPage {
  items: [ConvId, ConvSettings][];
  groups: ContactGroup[];
  quiet: QuietHours;
  complete: boolean;
  next: number;
}

type SettingsDecision = Decision<SettingsEvent, SettingsReply>;

const fail = (code: number, message: string): never => {
  throw new DomainError(code, message);
};

export function decideSettings(s: InboxSettings, command: SettingsCommand): SettingsDecision {
  switch (command.op) {
    case 'pin': {
      const changing = command.convs.filter((c) => (s.convs.get(c)?.pinned ?? false) !== command.pinned);
      if (command.pinned && count(s, (c) => c.pinned) + changing.length > SETTINGS_LIMITS.pinnedConvs) fail(SETTINGS_CODES.OVER_LIMIT, 'too many pinned conversations');
      const events: SettingsEvent[] = changing.length ? [{ type: INBOX_CONV_PINNED, data: { convs: changing, pinned: command.pinned, at: command.now } }] : [];
      return { events, reply: { convs: command.convs } };
    }
    case 'mark':
      return mark(s, command.items, command.now);
    case 'createContactGroup': {
      checkName(command.name);
      if (groupNamed(s, command.name)) fail(SETTINGS_CODES.INVALID, `conversation group ${command.name} exists`);
      if (s.contactGroups.size >= SETTINGS_LIMITS.contactGroups) fail(SETTINGS_CODES.OVER_LIMIT, `at most ${SETTINGS_LIMITS.contactGroups} conversation groups`);
      checkGrouped(s, command.convs);
      const group = { groupId: s.nextGroupId, name: command.name };
      return { events: [{ type: INBOX_CONTACT_GROUP_CREATED, data: { ...group, convs: command.convs, at: command.now } }], reply: { group, convs: command.convs } };
    }
    case 'renameContactGroup': {
      checkName(command.newName);
      const group = groupNamed(s, command.oldName) ?? fail(SETTINGS_CODES.INVALID, `no conversation group ${command.oldName}`);
      if (command.newName !== command.oldName && groupNamed(s, command.newName)) fail(SETTINGS_CODES.INVALID, `conversation group ${command.newName} exists`);
      const renamed = { groupId: group.groupId, name: command.newName };
      return { events: [{ type: INBOX_CONTACT_GROUP_RENAMED, data: { ...renamed, at: command.now } }], reply: { group: renamed, convs: [], oldName: command.oldName } };
    }
    case 'deleteContactGroups': {
      const groups = command.names.map((n) => groupNamed(s, n) ?? fail(SETTINGS_CODES.INVALID, `no conversation group ${n}`));
      return { events: groups.map((g) => ({ type: INBOX_CONTACT_GROUP_DELETED, data: { groupId: g.groupId, at: command.now } })), reply: { groups } };
    }
    case 'changeContactGroup': {
      const group = groupNamed(s, command.name) ?? fail(SETTINGS_CODES.INVALID, `no conversation group ${command.name}`);
      const add = command.add.filter((c) => !s.convs.get(c)?.groups.includes(group.groupId));
      const remove = command.remove.filter((c) => s.convs.get(c)?.groups.includes(group.groupId));
      checkGrouped(s, add);
      const events: SettingsEvent[] = add.length || remove.length ? [{ type: INBOX_CONTACT_GROUP_CHANGED, data: { groupId: group.groupId, added: add, removed: remove, at: command.now } }] : [];
      return { events, reply: { group, convs: command.add, removed: command.remove } };
    }
    case 'convSettings':
      return { events: [], reply: convSettings(s, command) };
    case 'setPeerMute':
      if (![0, 1, 2, 3].includes(command.flag)) fail(SETTINGS_CODES.INVALID, 'Mute_Notifications must be 0 to 3');
      return { events: [{ type: INBOX_PEER_MUTE_SET, data: { peers: command.peers, flag: command.flag, at: command.now } }], reply: { convs: [] } };
    case 'setQuietHours':
      return { events: [{ type: INBOX_QUIET_HOURS_SET, data: { ...command.quiet, at: command.now } }], reply: { quiet: command.quiet } };
    case 'getQuietHours':
      return { events: [], reply: { quiet: s.quiet } };
    default: {
      const never: never = command;
      throw new DomainError(SETTINGS_CODES.INVALID, `unknown settings command ${JSON.stringify(never)}`);
    }
  }
}

function mark(s: InboxSettings, items: MarkChange[], now: number): SettingsDecision {
  const after = new Map<ConvId, ConvSettings>();
  for (const item of items) {
    for (const bit of [...item.set, ...item.clear]) if (!Number.isInteger(bit) || bit < 0 || bit >= SETTINGS_LIMITS.markBits) fail(SETTINGS_CODES.INVALID, `mark bit ${bit} is not 0 to 63`);
    if (item.customMark !== undefined && Buffer.byteLength(item.customMark) > SETTINGS_LIMITS.customMarkBytes) fail(SETTINGS_CODES.INVALID, `CustomMark over ${SETTINGS_LIMITS.customMarkBytes} bytes`);
    const c = after.get(item.conv) ?? s.convs.get(item.conv) ?? blankConv();
    const marks = [...new Set([...c.marks.filter((b) => !item.clear.includes(b)), ...item.set])];
    after.set(item.conv, { ...c, marks, customMark: item.customMark ?? c.customMark });
  }
  const marked = count(s, isMarked, after) + [...after.values()].filter(isMarked).length;
  if (marked > SETTINGS_LIMITS.markedConvs && marked > count(s, isMarked)) fail(SETTINGS_CODES.OVER_LIMIT, `at most ${SETTINGS_LIMITS.markedConvs} marked conversations`);
  const events: SettingsEvent[] = items.map((i) => ({ type: INBOX_CONV_MARKED, data: { conv: i.conv, set: i.set, clear: i.clear, customMark: i.customMark ?? null, at: now } }));
  return { events, reply: { convs: items.map((i) => i.conv) } };
}

function convSettings(s: InboxSettings, q: { convs?: ConvId[]; offset?: number; limit?: number }): ConvSettingsPage {
  const groups = [...s.contactGroups].map(([groupId, name]) => ({ groupId, name }));
  if (q.convs) return { items: q.convs.map((c): [ConvId, ConvSettings] => [c, s.convs.get(c) ?? blankConv()]), groups, quiet: s.quiet, complete: true, next: 0 };
  const all = [...s.convs].filter(([, c]) => isMarked(c) || c.groups.length > 0);
  const offset = q.offset ?? 0;
  const page = all.slice(offset, offset + (q.limit ?? all.length));
  const complete = offset + page.length >= all.length;
  return { items: page, groups, quiet: s.quiet, complete, next: complete ? 0 : offset + page.length };
}

/** Conversations whose settings pass `test`, leaving out those in `except`. */
function count(s: InboxSettings, test: (c: ConvSettings) => boolean, except?: Map<ConvId, unknown>): number {
  let n = 0;
  for (const [conv, c] of s.convs) if (!except?.has(conv) && test(c)) n++;
  return n;
}

function checkName(name: string): void {
  if (name === '' || Buffer.byteLength(name) > SETTINGS_LIMITS.groupNameBytes) fail(SETTINGS_CODES.INVALID, `a conversation group name has 1 to ${SETTINGS_LIMITS.groupNameBytes} bytes`);
}

function checkGrouped(s: InboxSettings, adding: ConvId[]): void {
  const fresh = new Set(adding.filter((c) => !(s.convs.get(c)?.groups.length ?? 0)));
  if (fresh.size && count(s, (c) => c.groups.length > 0) + fresh.size > SETTINGS_LIMITS.groupedConvs) fail(SETTINGS_CODES.OVER_LIMIT, `at most ${SETTINGS_LIMITS.groupedConvs} conversations in conversation groups`);
}

function groupNamed(s: InboxSettings, name: string): ContactGroup | undefined {
  for (const [groupId, n] of s.contactGroups) if (n === name) return { groupId, name };
  return undefined;
}
