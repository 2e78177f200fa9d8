/**
 * Messages of a topic: its own sequence, resend window, recall, mutes, read positions and
 * history window. They reach every member of the community; rights come from roles, or from
 * the permission bits while the community's permission groups are on (permissions.ts).
 */
import type { GroupCommand, HistoryWindow, SendResult } from './commands';
import { TOPIC_MEMBERS_MUTED, TOPIC_MESSAGE_SENT, TOPIC_MESSAGES_DELETED, TOPIC_MESSAGES_RECALLED, TOPIC_READ, topicKey, type MessageSentData } from './events';
import { authorize, holds } from './permissions';
import { MUTE_FOREVER } from './profile';
import { actorOf, existing, GROUP_CODES, none, receivers, refuse, type Effects } from './rules';
import { mayActOn } from './rights';
import { DEDUP_SECONDS, type GroupState } from './state';
import { community, factsOf, topicOf } from './topics';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

const MANAGERS = ['Owner', 'Admin'] as const;
const EVERYONE = ['Owner', 'Admin', 'Member'] as const;

export function sendToTopic(s: GroupState, c: Cmd<'send'>, topicId: string): { fx: Effects; result: SendResult } {
  const { profile } = community(s);
  const t = topicOf(s, topicId);
  const m = c.message;
  const time = Math.floor(c.now / 1000);
  const member = s.members.get(m.from);
  if (!c.by.admin) {
    if (!member) refuse(GROUP_CODES.NO_PERMISSION, `${m.from} is not a member`);
    if (Math.max(s.mutes.get(m.from) ?? 0, t.mutes.get(m.from) ?? 0) > time) refuse(GROUP_CODES.MUTED, `${m.from} is muted`);
    const facts = factsOf(s);
    const actor = actorOf(s, c.by);
    const manager = actor === 'Owner' || (!facts.enabled && actor === 'Admin');
    if ((t.muteAll || profile.muteAll) && !manager) refuse(GROUP_CODES.MUTED, 'every ordinary member is muted in this topic');
    authorize(facts, c.by, actor, EVERYONE, 'SendGroupMessage', 'send in this topic', { id: topicId, right: 'SendTopicMessage' });
    if (m.atAll) authorize(facts, c.by, actor, EVERYONE, 'GroupAtAll', 'mention everyone in this topic', { id: topicId, right: 'TopicAtAll' });
  }
  if (m.to && m.to.length > 0) refuse(GROUP_CODES.INVALID, 'Community groups take no targeted messages');
  const first = t.dedup.get(`${m.from}|${m.random}`);
  if (first && first.contentHash === m.contentHash && first.time >= time - DEDUP_SECONDS) return { fx: none(), result: { seq: first.seq, time: first.time, duplicate: true } };
  const fx = none();
  const message: MessageSentData = { ...m, seq: c.onlineOnly ? 0 : t.lastSeq + 1, time, nameCard: member?.nameCard ?? '' };
  if (!c.onlineOnly) fx.events.push({ type: TOPIC_MESSAGE_SENT, data: { ...message, topicId, key: topicKey(t.slot, message.seq) } });
  fx.out.push({ kind: 'message', message, recipients: receivers(s), onlineOnly: c.onlineOnly, topicId });
  return { fx, result: { seq: message.seq, time, duplicate: false } };
}

export function recallInTopic(s: GroupState, c: Cmd<'recall'>, topicId: string): { fx: Effects; results: { seq: number; code: number }[] } {
  community(s);
  const t = topicOf(s, topicId);
  const facts = factsOf(s);
  const actor = actorOf(s, c.by);
  const nowSec = Math.floor(c.now / 1000);
  const mayRecallOthers = (() => {
    try {
      authorize(facts, c.by, actor, MANAGERS, 'RevokeOtherMemberGroupMessage', 'recall messages of others', { id: topicId, right: 'RevokeOtherMemberTopicMessage' });
      return true;
    } catch {
      return false;
    }
  })();
  const done: number[] = [];
  const items: { seq: number; random: number; clientTime: number; from: string }[] = [];
  const results = [...new Set(c.seqs)].map((seq) => {
    const meta = t.messages.get(seq);
    if (!meta || meta.deleted) return { seq, code: GROUP_CODES.RECALL_NOT_FOUND };
    if (meta.recalled) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    if (!mayRecallOthers && meta.from !== c.by.id) return { seq, code: GROUP_CODES.RECALL_REFUSED };
    if (!mayRecallOthers && nowSec - meta.time > c.limitSeconds) return { seq, code: GROUP_CODES.RECALL_TOO_LATE };
    done.push(seq);
    items.push({ seq, random: meta.random, clientTime: meta.clientTime || meta.time, from: meta.from });
    return { seq, code: 0 };
  });
  const fx = none();
  if (done.length > 0) {
    fx.events.push({ type: TOPIC_MESSAGES_RECALLED, data: { topicId, seqs: done, by: c.by.id, at: c.now } });
    fx.out.push({ kind: 'recall', time: nowSec, by: c.by.id, items, recipients: receivers(s), topicId });
  }
  return { fx, results };
}

/** forbid_send_msg with TopicId: a mute in that topic only. */
export function muteInTopic(s: GroupState, c: Cmd<'mute'>, topicId: string): Effects {
  community(s);
  topicOf(s, topicId);
  const actor = actorOf(s, c.by);
  authorize(factsOf(s), c.by, actor, MANAGERS, 'GroupMuteMember', 'mute members in this topic', { id: topicId, right: 'TopicMuteMember' });
  const users = [...new Set(c.users)];
  for (const u of users) {
    if (!s.members.has(u)) refuse(GROUP_CODES.NO_PERMISSION, `${u} is not a member`);
    mayActOn(s, actor, s.members.get(u), 'mute');
  }
  const fx = none();
  if (users.length === 0) return fx;
  const nowSec = Math.floor(c.now / 1000);
  const until = c.seconds === 0 ? 0 : c.seconds >= MUTE_FOREVER ? MUTE_FOREVER : Math.min(MUTE_FOREVER, nowSec + c.seconds);
  fx.events.push({ type: TOPIC_MEMBERS_MUTED, data: { topicId, users, until, by: c.by.id, at: c.now } });
  return fx;
}

export function readTopic(s: GroupState, c: Cmd<'read'>, topicId: string): Effects {
  existing(s);
  const t = topicOf(s, topicId);
  if (!s.members.has(c.user)) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  const seq = Math.min(c.seq, t.lastSeq);
  const fx = none();
  if (seq > (t.reads.get(c.user) ?? 0)) fx.events.push({ type: TOPIC_READ, data: { topicId, user: c.user, seq, at: c.now } });
  return fx;
}

/**
 * Where a viewer's page of topic history starts. Every member sees the topic's whole history,
 * except that with permission groups on, messages from before the member joined need
 * GetGroupHistoryMessage or GetTopicHistoryMessage.
 */
export function locateInTopic(s: GroupState, c: Cmd<'locate'>, topicId: string): HistoryWindow {
  community(s);
  const t = topicOf(s, topicId);
  const actor = actorOf(s, c.viewer);
  if (actor === 'NotMember') refuse(GROUP_CODES.NO_PERMISSION, `${c.viewer.id} is not a member`);
  const facts = factsOf(s);
  const early = !facts.enabled || actor === 'AppAdmin' || actor === 'Owner' || holds(facts, c.viewer.id, 'GetGroupHistoryMessage', { id: topicId, right: 'GetTopicHistoryMessage' });
  // Without the right, messages sent before the member joined the community stay hidden (by time: a topic's sequence at joining is not kept).
  const since = early ? undefined : s.members.get(c.viewer.id)?.joinTime;
  const recalled: number[] = [];
  const deleted: number[] = [];
  for (const [seq, m] of t.messages) {
    if (m.recalled) recalled.push(seq);
    if (m.deleted) deleted.push(seq);
  }
  return { top: Math.min(c.seq, t.lastSeq), floor: 1, recalled, deleted, slot: t.slot, ...(since !== undefined ? { since } : {}) };
}

export function importToTopic(s: GroupState, c: Cmd<'importMessages'>, topicId: string): { fx: Effects; results: { seq: number; time: number; code: number }[] } {
  community(s);
  const t = topicOf(s, topicId);
  const fx = none();
  const nowSec = Math.floor(c.now / 1000);
  let seq = t.lastSeq;
  const results = c.messages.map((m) => {
    if (m.time > nowSec || m.time < t.createTime) return { seq: 0, time: m.time, code: GROUP_CODES.INVALID };
    seq++;
    fx.events.push({ type: TOPIC_MESSAGE_SENT, data: { ...m, seq, nameCard: s.members.get(m.from)?.nameCard ?? '', noUnread: true, topicId, key: topicKey(t.slot, seq) } });
    return { seq, time: m.time, code: 0 };
  });
  return { fx, results };
}

/** delete_group_msg_by_sender with TopicId: the sender's messages the topic remembers (its newest 1,000). */
export function deleteInTopic(s: GroupState, c: Cmd<'deleteBySender'>, topicId: string): Effects {
  community(s);
  const t = topicOf(s, topicId);
  const seqs = [...t.messages].filter(([, m]) => m.from === c.sender && !m.deleted).map(([seq]) => seq);
  const fx = none();
  if (seqs.length > 0) fx.events.push({ type: TOPIC_MESSAGES_DELETED, data: { topicId, seqs, by: c.by.id, at: c.now } });
  return fx;
}
