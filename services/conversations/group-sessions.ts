/**
 * Group conversations in a user's conversation list (recentcontact page_get and get_list),
 * merged with the one-to-one ones by their last message's time. The groups context answers
 * what the group knows (last message, unread, receive option: services/groups/client.ts); the
 * user's inbox what is theirs (deleted, cleared, pinned, marked).
 *
 * Paging: the list is two sources merged, so the cursor the SDK echoes (`StartIndex`) carries
 * two offsets — one-to-one conversations in its low 26 bits, group conversations above them.
 */
import type { Context } from 'moleculer';
import { groupConv, standardMark, type Contact, type ConvSettings, type GroupConvsReply } from '../../actors/inbox';
import { groupsOf, type GroupConversation } from '../groups/client';
import type { ConversationsService } from './types';

const C2C_BITS = 2 ** 26;

export const splitCursor = (startIndex: number) => ({ c2c: startIndex % C2C_BITS, groups: Math.floor(startIndex / C2C_BITS) });
export const joinCursor = (c2c: number, groups: number) => groups * C2C_BITS + c2c;

/** A group conversation with what the user keeps about it. */
export interface GroupSession {
  conv: GroupConversation;
  time: number;
  settings?: ConvSettings;
  /** The last message, unless the user cleared the history past it. */
  last: GroupConversation['last'];
}

/** The user's group conversations that are in their list, newest first. */
export async function groupSessions(svc: ConversationsService, app: number, user: string, ctx: Context): Promise<GroupSession[]> {
  const all = await groupsOf(svc.broker).conversations(app, user, ctx);
  if (all.length === 0) return [];
  const mine = await svc.inbox<GroupConvsReply>(app, user, { op: 'groupConvs', groupIds: all.map((c) => c.groupId) }, ctx);
  const sessions: GroupSession[] = [];
  for (const conv of all) {
    const kept = mine.convs[conv.groupId];
    // Deleted: back with the first message after the deletion.
    if (kept && conv.nextSeq - 1 <= kept.deletedUpTo) continue;
    const last = conv.last && conv.last.seq > (kept?.clearedUpTo ?? 0) ? conv.last : undefined;
    sessions.push({ conv, time: conv.last?.time ?? conv.joinTime, settings: mine.settings[groupConv(conv.groupId)], last });
  }
  return sessions.sort((a, b) => b.time - a.time || (a.conv.groupId < b.conv.groupId ? -1 : 1));
}

/** recentcontact.page_get SessionItem of a group conversation (the SDK's `_getConvOptions` reads these). */
export function sdkGroupSessionItem(s: GroupSession) {
  const { conv, last, settings } = s;
  return {
    Type: 2 as const,
    ToAccount: conv.groupId,
    MsgTimeStamp: s.time,
    MsgSeq: last?.seq ?? 0,
    MsgGroupFromAccount: last?.from ?? '',
    MsgGroupFromNickName: last?.nick ?? '',
    MsgGroupFromCardName: last?.nameCard ?? '',
    LastMsg: { MsgBody: last?.body ?? [], CloudCustomData: last?.cloudCustomData ?? '' },
    // 2: the last message was recalled (group conversations; one-to-one ones use 8).
    LastMsgFlags: last?.recalled ? 2 : 0,
    GroupNick: conv.name,
    GroupImage: conv.faceUrl,
    GroupType: conv.type,
    GroupNextMsgSeq: conv.nextSeq,
    MsgGroupReadedSeq: conv.readSeq,
    UnreadMsgCount: conv.unread,
    GroupIgnoredUnreadSeqCount: 0,
    TopFlags: settings?.pinned ? 1 : 0,
    MsgRecvOption: conv.recvOption,
    StandardMark: standardMark(settings?.marks ?? []),
    CustomMark: settings?.customMark ?? '',
    ContactGroupId: settings?.groups ?? [],
  };
}

/** recentcontact/get_list SessionItem of a group conversation (REST). */
export const restGroupItem = (s: GroupSession) => ({ Type: 2, GroupId: s.conv.groupId, MsgTime: s.time, TopFlag: s.settings?.pinned ? 1 : 0, UnreadMsgCount: s.conv.unread });

export type Merged = { kind: 'c2c'; contact: Contact } | { kind: 'group'; session: GroupSession };

/**
 * Up to `limit` conversations, newest first, from a page of one-to-one contacts (newest first,
 * starting at the cursor) and the group sessions from `groupOffset` on.
 */
export function merge(contacts: Contact[], groups: GroupSession[], groupOffset: number, limit: number): Merged[] {
  const out: Merged[] = [];
  let c = 0;
  let g = groupOffset;
  while (out.length < limit && (c < contacts.length || g < groups.length)) {
    const contact = contacts[c];
    const group = groups[g];
    if (group === undefined || (contact !== undefined && contact.lastTime >= group.time)) out.push({ kind: 'c2c', contact: contacts[c++] });
    else out.push({ kind: 'group', session: groups[g++] });
  }
  return out;
}

/** How far a page went in each source: the next cursor, or undefined when both are done. */
export function nextCursor(sent: Merged[], start: { c2c: number; groups: number }, c2cComplete: boolean, c2cFetched: number, groupTotal: number): number | undefined {
  const c2c = start.c2c + sent.filter((m) => m.kind === 'c2c').length;
  const groups = start.groups + sent.filter((m) => m.kind === 'group').length;
  const c2cDone = c2cComplete && c2c >= start.c2c + c2cFetched;
  return c2cDone && groups >= groupTotal ? undefined : joinCursor(c2c, groups);
}
