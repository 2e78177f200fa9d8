/**
 * Read receipts of group messages (group_msg_receipt, get_group_msg_receipt,
 * get_group_msg_receipt_detail; the SDK's sendMessageReadReceipt, getMessageReadReceiptList,
 * getGroupMessageReadMemberList). A message asks for them when sent (needReadReceipt); a member
 * who may read it and did not send it receipts it once; its sender learns the new counts by push.
 * Work, Public, Meeting and Community groups only (a live room keeps no members to count;
 * topics are not covered). Counted among: the members who joined before the message and may
 * read it (a targeted message's audience), the sender left out.
 */
import type { GroupCommand, Who } from './commands';
import { MESSAGES_RECEIPTED } from './events';
import { mayRead } from './messages';
import { existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import type { GroupType } from './policy';
import type { GroupState, MessageMeta } from './state';

export const RECEIPT_TYPES: readonly GroupType[] = ['Work', 'Public', 'Meeting', 'Community'];
/** Messages per receipt request and per count request (the SDK sends a page of messages at most). */
export const MAX_RECEIPT_SEQS = 100;

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export interface ReceiptCount {
  seq: number;
  /** 0, or 10004 for a message that does not exist, did not ask for receipts, or the viewer may not read. */
  code: number;
  read: number;
  unread: number;
}

export interface ReceiptDetail {
  users: string[];
  /** Where the next page starts; `finished` once there is none. */
  next: number;
  finished: boolean;
}

function receiptGroup(s: GroupState, who: Who): void {
  const { profile } = existing(s);
  if (!RECEIPT_TYPES.includes(profile.type)) refuse(GROUP_CODES.NO_PERMISSION, `a ${profile.type} group has no read receipts`);
  if (!who.admin && !s.members.has(who.id)) refuse(GROUP_CODES.NO_PERMISSION, `${who.id} is not a member`);
}

/** The message at `seq` if it asked for receipts and `user` may see it (an administrator sees all). */
function receiptable(s: GroupState, seq: number, user: string | undefined): MessageMeta | undefined {
  const meta = s.messages.get(seq);
  if (!meta || meta.tip || meta.recalled || meta.deleted || !s.receipts?.has(seq)) return undefined;
  if (user === undefined) return meta;
  const member = s.members.get(user);
  return member && member.joinSeq <= seq && mayRead(meta, user) ? meta : undefined;
}

/** Who is to read a message: members who joined before it and may read it, less its sender. */
function audience(s: GroupState, seq: number, meta: MessageMeta): string[] {
  const out: string[] = [];
  for (const [user, m] of s.members) if (user !== meta.from && m.joinSeq <= seq && mayRead(meta, user)) out.push(user);
  return out;
}

function count(s: GroupState, seq: number, meta: MessageMeta, also?: string): { read: number; unread: number } {
  const readers = s.receipts?.get(seq) ?? new Set<string>();
  let read = 0;
  let unread = 0;
  for (const u of audience(s, seq, meta)) {
    if (readers.has(u) || u === also) read++;
    else unread++;
  }
  return { read, unread };
}

export function receipt(s: GroupState, c: Cmd<'receipt'>): Effects {
  receiptGroup(s, c.by);
  if (c.by.admin === false && c.by.id !== c.user) refuse(GROUP_CODES.NO_PERMISSION, 'a member sends only their own receipts');
  if (!s.members.has(c.user)) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  const fresh: number[] = [];
  for (const seq of new Set(c.seqs)) {
    const meta = receiptable(s, seq, c.user);
    if (!meta || meta.from === c.user) refuse(GROUP_CODES.INVALID, `message ${seq} is not one ${c.user} can receipt`);
    if (!s.receipts?.get(seq)?.has(c.user)) fresh.push(seq);
  }
  const fx = none();
  if (fresh.length === 0) return fx;
  fx.events.push({ type: MESSAGES_RECEIPTED, data: { user: c.user, seqs: fresh, at: c.now } });
  const bySender = new Map<string, { seq: number; random: number; clientTime: number; from: string; read: number; unread: number }[]>();
  for (const seq of fresh) {
    const meta = s.messages.get(seq) as MessageMeta;
    const items = bySender.get(meta.from) ?? [];
    items.push({ seq, random: meta.random, clientTime: meta.clientTime || meta.time, from: meta.from, ...count(s, seq, meta, c.user) });
    bySender.set(meta.from, items);
  }
  const time = Math.floor(c.now / 1000);
  for (const [sender, items] of bySender) fx.out.push({ kind: 'receipt', time, by: c.user, items, recipients: [sender] });
  return fx;
}

export function receiptCounts(s: GroupState, c: Cmd<'viewReceipts'>): ReceiptCount[] {
  receiptGroup(s, c.viewer);
  const viewer = c.viewer.admin ? undefined : c.viewer.id;
  return [...new Set(c.seqs)].map((seq) => {
    const meta = receiptable(s, seq, viewer);
    return meta ? { seq, code: 0, ...count(s, seq, meta) } : { seq, code: GROUP_CODES.INVALID, read: 0, unread: 0 };
  });
}

export function receiptDetail(s: GroupState, c: Cmd<'receiptDetail'>): ReceiptDetail {
  receiptGroup(s, c.viewer);
  const meta = receiptable(s, c.seq, c.viewer.admin ? undefined : c.viewer.id);
  if (!meta) refuse(GROUP_CODES.INVALID, `message ${c.seq} did not ask for read receipts`);
  const readers = s.receipts?.get(c.seq) ?? new Set<string>();
  const all = audience(s, c.seq, meta as MessageMeta).filter((u) => readers.has(u) === c.read).sort();
  const users = all.slice(c.cursor, c.cursor + c.count);
  const next = c.cursor + users.length;
  return { users, next, finished: next >= all.length };
}
