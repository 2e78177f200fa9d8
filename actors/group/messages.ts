/** Group messages: sequence, resends, mutes, imports, recall, deletion, read marks. */
import type { DeleteBySenderResult, GroupCommand, SendResult } from './commands';
import { MEMBER_CHANGED, MESSAGE_SENT, MESSAGES_DELETED, MESSAGES_RECALLED, type MessageSentData } from './events';
import { mutedFor } from './profile';
import { actorOf, existing, GROUP_CODES, none, receivers, refuse, type Effects } from './rules';
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
    if (!member && !live?.inRoom) refuse(GROUP_CODES.NO_PERMISSION, `${m.from} is not a member`);
    if (mutedFor(s, m.from, time) > 0) refuse(GROUP_CODES.MUTED, `${m.from} is muted`);
    if (profile.muteAll && (member?.role ?? 'Member') === 'Member') refuse(GROUP_CODES.MUTED, 'every ordinary member is muted');
  }
  const first = s.dedup.get(`${m.from}|${m.random}`);
  if (first && first.contentHash === m.contentHash && first.time >= time - DEDUP_SECONDS) {
    return { fx: none(), result: { seq: first.seq, time: first.time, duplicate: true } };
  }
  const fx = none();
  const stored = policy.storesHistory && !c.onlineOnly;
  const message: MessageSentData = { ...m, seq: stored ? s.lastSeq + 1 : (live?.seq ?? 0), time, nameCard: member?.nameCard ?? '' };
  if (stored) fx.events.push({ type: MESSAGE_SENT, data: message });
  fx.out.push({ kind: 'message', message, recipients: receivers(s), onlineOnly: !stored });
  return { fx, result: { seq: message.seq, time, duplicate: false } };
}

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
  const items: { seq: number; random: number; clientTime: number; from: string }[] = [];
  const results = [...new Set(c.seqs)].map((seq) => {
    const meta = s.messages.get(seq);
    if (!meta || meta.deleted || meta.tip) return { seq, code: GROUP_CODES.RECALL_NOT_FOUND };
    if (meta.recalled) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    const manager = actor === 'AppAdmin' || actor === 'Owner' || actor === 'Admin';
    if (!manager && meta.from !== c.by.id) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    if (!manager && nowSec - meta.time > c.limitSeconds) return { seq, code: GROUP_CODES.RECALL_TOO_LATE };
    done.push(seq);
    items.push({ seq, random: meta.random, clientTime: meta.clientTime, from: meta.from });
    return { seq, code: 0 };
  });
  const fx = none();
  if (done.length > 0) {
    fx.events.push({ type: MESSAGES_RECALLED, data: { seqs: done, by: c.by.id, at: c.now } });
    fx.out.push({ kind: 'recall', time: nowSec, by: c.by.id, items, recipients: receivers(s) });
  }
  return { fx, results };
}

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
  return { fx, result: { deleted: seqs.length } };
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
