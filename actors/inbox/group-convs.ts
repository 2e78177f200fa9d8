/**
 * What a user did to their group conversations: deleted one from the list (it comes back with
 * the group's next message) or cleared its history on their side. The group keeps the messages,
 * the read marks and the member's receive option; only the user's view of the list and of the
 * history is theirs, so it lives beside their recent contacts in the inbox actor.
 */
import type { Decision } from '../../runtime/kind';
import { INBOX_GROUP_CONV_DELETED, INBOX_GROUP_HISTORY_CLEARED, type InboxEvent } from './events';
import { groupConv, type ConvSettings } from './settings';

export interface GroupConvState {
  /** Hidden from the list while the group's newest sequence is at most this. */
  deletedUpTo: number;
  /** Messages up to this sequence no longer show to the user. */
  clearedUpTo: number;
}

export type GroupConvCommand =
  /** `upToSeq`: the group's newest sequence when the user deleted (the conversations context asks the group). */
  | { op: 'deleteGroupConv'; groupId: string; upToSeq: number; clear: boolean; now: number }
  | { op: 'clearGroupHistory'; groupId: string; upToSeq: number; now: number }
  | { op: 'groupConvs'; groupIds: string[] };

export interface GroupConvsReply {
  convs: Record<string, GroupConvState>;
  /** Pins, marks and conversation groups of those with any, by `GROUP<id>`. */
  settings: Record<string, ConvSettings>;
}

export interface GroupConvHolder {
  groupConvs?: Map<string, GroupConvState>;
  settings: { convs: Map<string, ConvSettings> };
}

export const blankGroupConv = (): GroupConvState => ({ deletedUpTo: 0, clearedUpTo: 0 });

export function decideGroupConv(state: GroupConvHolder, c: GroupConvCommand): Decision<InboxEvent, GroupConvsReply | { changed: boolean }> {
  if (c.op === 'groupConvs') {
    const convs: Record<string, GroupConvState> = {};
    const settings: Record<string, ConvSettings> = {};
    for (const id of c.groupIds) {
      const found = state.groupConvs?.get(id);
      if (found) convs[id] = found;
      const s = state.settings.convs.get(groupConv(id));
      if (s) settings[groupConv(id)] = s;
    }
    return { events: [], reply: { convs, settings } };
  }
  const now = state.groupConvs?.get(c.groupId) ?? blankGroupConv();
  const events: InboxEvent[] = [];
  const clear = c.op === 'clearGroupHistory' || c.clear;
  if (c.op === 'deleteGroupConv' && (c.upToSeq > now.deletedUpTo || !state.groupConvs?.has(c.groupId) || state.settings.convs.get(groupConv(c.groupId))?.pinned)) {
    events.push({ type: INBOX_GROUP_CONV_DELETED, data: { groupId: c.groupId, upToSeq: Math.max(c.upToSeq, now.deletedUpTo), at: c.now } });
  }
  if (clear && c.upToSeq > now.clearedUpTo) events.push({ type: INBOX_GROUP_HISTORY_CLEARED, data: { groupId: c.groupId, upToSeq: c.upToSeq, at: c.now } });
  return { events, reply: { changed: events.length > 0 } };
}

/** Applies one of this file's events (in place, as the inbox's other maps). */
export function evolveGroupConv(state: GroupConvHolder, e: Extract<InboxEvent, { type: typeof INBOX_GROUP_CONV_DELETED | typeof INBOX_GROUP_HISTORY_CLEARED }>): void {
  const convs = (state.groupConvs ??= new Map());
  const now = convs.get(e.data.groupId) ?? blankGroupConv();
  if (e.type === INBOX_GROUP_CONV_DELETED) {
    convs.set(e.data.groupId, { ...now, deletedUpTo: Math.max(now.deletedUpTo, e.data.upToSeq) });
    // A pin belongs to the conversation in the list, as for one-to-one ones; marks and groups outlive it.
    const s = state.settings.convs.get(groupConv(e.data.groupId));
    if (s?.pinned) state.settings.convs.set(groupConv(e.data.groupId), { ...s, pinned: false });
  } else {
    convs.set(e.data.groupId, { ...now, clearedUpTo: Math.max(now.clearedUpTo, e.data.upToSeq) });
  }
}
