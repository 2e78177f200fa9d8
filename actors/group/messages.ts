/** Group messages: sequence, resends, mutes, imports, recall, deletion, read marks. */
import type { DeleteBySenderResult, GroupCommand, SendResult } from './commands';
import { MEMBER_CHANGED, MESSAGE_SENT, MESSAGES_DELETED, MESSAGES_RECALLED, type MessageSentData } from './events';
import { mutedFor } from './profile';
import { actorOf, existing, GROUP_CODES, none, receivers, refuse, roleOf, type Effects } from './rules';
import { holdsRight, permissionsOn } from './rights';
import { DEDUP_SECONDS, type GroupState, type MessageMeta } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export function send(s: GroupState, c: Cmd<'send'>): { fx: Effects; result: SendResult } {
  const { profile, policy } = existing(s);
  const m = c.message;
  const time = Math.floor(c.now / 1000);
  const member = s.members.get(m.from);
  // A live room (AVChatRoom) stores only its owner and admins; everyone else is a member while in the room.
  const live = policy.listsMembers ? undefined : c.live;
  // The app administrator may send as anyone, member or not (the seed's "App admin sends messages").
  if (!c.by.admin) {
    const role = roleOf(s, m.from);
    if (!role && !live?.inRoom) refuse(GROUP_CODES.NO_PERMISSION, `${m.from} is not a member`);
    if (mutedFor(s, m.from, time) > 0) refuse(GROUP_CODES.MUTED, `${m.from} is muted`);
    // Owner and admins speak while everyone else is muted (a live room's admins too, Tencent's modify_admin page).
    if (profile.muteAll && (role ?? 'Member') === 'Member') refuse(GROUP_CODES.MUTED, 'every ordinary member is muted');
    if (!holdsRight(s, c.by, 'SendGroupMessage')) refuse(GROUP_CODES.NO_PERMISSION, `${m.from} may not send in this community`);
    if (m.atAll && !holdsRight(s, c.by, 'GroupAtAll')) refuse(GROUP_CODES.NO_PERMISSION, `${m.from} may not mention everyone`);
  }
  const first = s.dedup.get(`${m.from}|${m.random}`);
  if (first && first.contentHash === m.contentHash && first.time >= time - DEDUP_SECONDS) {
    return { fx: none(), result: { seq: first.seq, time: first.time, duplicate: true } };
  }
  const fx = none();
  const stored = policy.storesHistory && !c.onlineOnly;
  const audience = m.to && m.to.length > 0 ? targets(s, m.from, m.to, m.atAll || m.atUsers.length > 0) : undefined;
  const message: MessageSentData = { ...m, seq: stored ? s.lastSeq + 1 : (live?.seq ?? 0), time, nameCard: member?.nameCard ?? '', ...(audience ? { to: audience.to, noUnread: true } : {}) };
  if (stored) fx.events.push({ type: MESSAGE_SENT, data: message });
  fx.out.push({ kind: 'message', message, recipients: audience ? audience.recipients : receivers(s), onlineOnly: !stored });
  return { fx, result: { seq: message.seq, time, duplicate: false } };
}

/** Group types that take targeted messages (the reference: Private, Public, ChatRoom; never Community or AVChatRoom). */
const TARGETABLE: readonly string[] = ['Work', 'Public', 'Meeting'];
/** At most this many receivers per targeted message (the reference). */
export const MAX_TARGETS = 50;

/**
 * A targeted message's audience: the named members (at most 50, an @ message may not be
 * targeted) and the sender, whose other devices see what they sent. Nobody else receives it,
 * reads it in history or counts it as unread.
 */
function targets(s: GroupState, from: string, to: string[], mentions: boolean): { to: string[]; recipients: string[] } {
  const { profile } = existing(s);
  if (!TARGETABLE.includes(profile.type)) refuse(GROUP_CODES.INVALID, `${profile.type} groups take no targeted messages`);
  const named = [...new Set(to)];
  if (named.length > MAX_TARGETS) refuse(GROUP_CODES.INVALID, `a targeted message names at most ${MAX_TARGETS} receivers`);
  if (mentions) refuse(GROUP_CODES.INVALID, 'an @ message cannot be targeted');
  const members = named.filter((u) => s.members.has(u));
  if (members.length === 0) refuse(GROUP_CODES.INVALID, 'no account of To_Account is a member');
  const recipients = [...new Set([from, ...members])].filter((u) => (s.members.get(u)?.msgFlag ?? 'Discard') !== 'Discard');
  return { to: members, recipients };
}

/** Who may see a message: everyone, or a targeted message's audience and sender. */
export const mayRead = (meta: { from: string; to?: string[] }, viewer: string): boolean => !meta.to || meta.to.length === 0 || meta.from === viewer || meta.to.includes(viewer);

export function systemNotice(s: GroupState, c: Cmd<'systemNotice'>): Effects {
  const { policy } = existing(s);
  const fx = none();
  const everyone = c.to.length === 0;
  // A live room stores no viewers: named ones are taken as named.
  const named = policy.listsMembers ? c.to.filter((u) => s.members.has(u)) : c.to;
  const recipients = everyone ? receivers(s) : named;
  fx.out.push({ kind: 'system', time: Math.floor(c.now / 1000), by: c.by.id, content: c.content, recipients, opType: 255, everyone });
  return fx;
}

export function importMessages(s: GroupState, c: Cmd<'importMessages'>): { fx: Effects; results: { seq: number; time: number; code: number }[] } {
  const { profile, policy } = existing(s);
  if (!policy.importable || !policy.storesHistory) refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups take no imported messages`);
  const fx = none();
  const nowSec = Math.floor(c.now / 1000);
  let seq = s.lastSeq;
  const results = c.messages.map((m) => {
    if (m.time > nowSec || m.time < profile.createTime) return { seq: 0, time: m.time, code: GROUP_CODES.INVALID };
    seq++;
    fx.events.push({ type: MESSAGE_SENT, data: { ...m, seq, nameCard: s.members.get(m.from)?.nameCard ?? '', noUnread: true } });
    return { seq, time: m.time, code: 0 };
  });
  return { fx, results };
}

export function recall(s: GroupState, c: Cmd<'recall'>): { fx: Effects; results: { seq: number; code: number }[] } {
  const { policy } = existing(s);
  if (!policy.storesHistory) refuse(GROUP_CODES.RECALL_UNSUPPORTED, 'messages of this group type are not stored and cannot be recalled');
  const actor = actorOf(s, c.by);
  const nowSec = Math.floor(c.now / 1000);
  const done: number[] = [];
  const items: { seq: number; random: number; clientTime: number; from: string; to?: string[] }[] = [];
  const results = [...new Set(c.seqs)].map((seq) => {
    const meta = s.messages.get(seq);
    if (!meta || meta.deleted || meta.tip) return { seq, code: GROUP_CODES.RECALL_NOT_FOUND };
    if (meta.recalled) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    const manager = permissionsOn(s) ? holdsRight(s, c.by, 'RevokeOtherMemberGroupMessage') : actor === 'AppAdmin' || actor === 'Owner' || actor === 'Admin';
    if (!manager && meta.from !== c.by.id) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    if (!manager && nowSec - meta.time > c.limitSeconds) return { seq, code: GROUP_CODES.RECALL_TOO_LATE };
    done.push(seq);
    items.push({ seq, random: meta.random, clientTime: meta.clientTime || meta.time, from: meta.from, to: meta.to });
    return { seq, code: 0 };
  });
  const fx = none();
  if (done.length > 0) {
    fx.events.push({ type: MESSAGES_RECALLED, data: { seqs: done, by: c.by.id, at: c.now } });
    // A targeted message's recall reaches only those who could see it.
    const everyone = items.filter((i) => !i.to);
    if (everyone.length > 0) fx.out.push({ kind: 'recall', time: nowSec, by: c.by.id, items: everyone.map(plain), recipients: receivers(s) });
    for (const i of items.filter((x) => x.to)) {
      const audience = [i.from, ...(i.to ?? [])].filter((u, k, all) => s.members.has(u) && all.indexOf(u) === k);
      fx.out.push({ kind: 'recall', time: nowSec, by: c.by.id, items: [plain(i)], recipients: audience });
    }
  }
  return { fx, results };
}

const plain = ({ seq, random, clientTime, from }: { seq: number; random: number; clientTime: number; from: string }) => ({ seq, random, clientTime, from });

/**
 * delete_group_msg_by_sender, all of the sender's messages: those in the remembered window from
 * the state, older ones as read from the log by the service (`older`). When the log has not been
 * read down to the window's oldest message (it moves as messages arrive), the answer asks for
 * that range first and nothing is written.
 */
export function deleteBySender(s: GroupState, c: Cmd<'deleteBySender'>): { fx: Effects; result: DeleteBySenderResult } {
  const { policy } = existing(s);
  if (!policy.storesHistory) refuse(GROUP_CODES.DELETE_UNSUPPORTED, 'messages of this group type are not stored');
  const fx = none();
  const first = s.messages.entries().next().value as [number, MessageMeta] | undefined;
  const floor = first ? first[0] : s.lastSeq + 1;
  const scannedBelow = c.scannedBelow ?? floor;
  if (first && scannedBelow < floor) return { fx, result: { deleted: 0, scan: { fromSeq: scannedBelow, toSeq: floor, beforeVersion: first[1].version } } };
  const older = [...new Set(c.older ?? [])].filter((seq) => seq >= 1 && seq < floor && !s.deletedBefore.has(seq));
  const recent = [...s.messages].filter(([, m]) => m.from === c.sender && !m.deleted && !m.tip).map(([seq]) => seq);
  const seqs = [...older.sort((a, b) => a - b), ...recent];
  if (seqs.length > 0) fx.events.push({ type: MESSAGES_DELETED, data: { seqs, by: c.by.id, at: c.now } });
  return { fx, result: { deleted: seqs.length, seqs } };
}

export function read(s: GroupState, c: Cmd<'read'>): Effects {
  existing(s);
  const member = s.members.get(c.user);
  if (!member) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  const seq = Math.min(c.seq, s.lastSeq);
  const fx = none();
  if (member && seq > member.readSeq) fx.events.push({ type: MEMBER_CHANGED, data: { user: c.user, patch: JSON.stringify({ readSeq: seq }), by: c.user, at: c.now } });
  return fx;
}

export function setUnread(s: GroupState, c: Cmd<'setUnread'>): Effects {
  existing(s);
  if (!s.members.has(c.user)) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  if (c.unread > s.lastSeq) refuse(GROUP_CODES.INVALID, `UnreadMsgNum is above the group's ${s.lastSeq} messages`);
  const fx = none();
  fx.events.push({ type: MEMBER_CHANGED, data: { user: c.user, patch: JSON.stringify({ readSeq: s.lastSeq - c.unread }), by: 'admin', at: c.now } });
  return fx;
}
