/**
 * Changes the app administrator makes to a group's stored history: modify_group_msg (a message's
 * MsgBody and CloudCustomData replaced; also a sender's own edit from the SDK's modifyMessage) and clear_group_msg (members no longer read messages up
 * to a sequence; the administrator still does, as Tencent's page says).
 *
 * A modification names the message's whole new content: the service reads the current one from
 * the log and merges what the request gives. `edits` is how many modifications the service saw;
 * if another landed meanwhile the command is refused (EDIT_RACE) and the service reads again,
 * so two partial changes never undo each other. A topic's messages (TopicId) follow the same rules
 * within the topic's own window.
 */
import type { GroupCommand } from './commands';
import { HISTORY_CLEARED, MESSAGE_MODIFIED, TOPIC_MESSAGE_MODIFIED, topicKey } from './events';
import { mayRead } from './messages';
import { existing, GROUP_CODES, none, receivers, refuse, type Effects } from './rules';
import type { GroupState } from './state';
import { community, topicOf } from './topics';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/** A modification raced another one: read the content again and retry (services/groups/message-edits.ts). */
export const EDIT_RACE = 10002;

export function modifyMessage(s: GroupState, c: Cmd<'modifyMessage'>): { fx: Effects; result: { version: number } } {
  if (c.topicId !== undefined) return modifyInTopic(s, c, c.topicId);
  const { profile, policy } = existing(s);
  // Tencent's page: no live room (nothing is stored); a topic's messages are modifyInTopic's.
  if (!policy.storesHistory) refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups store no messages to modify`);
  const meta = s.messages.get(c.seq);
  // Only messages the actor still remembers (its newest 10,000), as for recall.
  if (!meta || meta.tip || meta.deleted || c.seq <= (s.clearedUpTo ?? 0)) refuse(GROUP_CODES.RECALL_NOT_FOUND, `no message ${c.seq} to modify`);
  if (meta!.recalled) refuse(GROUP_CODES.RECALL_REFUSED, `message ${c.seq} was recalled`);
  // Over the SDK (modifyMessage) a member edits only their own messages; the administrator any.
  if (!c.by.admin && (meta!.from !== c.by.id || !s.members.has(c.by.id))) refuse(GROUP_CODES.NO_PERMISSION, 'only the sender or the app administrator modifies a group message');
  if ((meta!.edits ?? 0) !== c.edits) refuse(EDIT_RACE, `message ${c.seq} was modified meanwhile`);
  const fx = none();
  fx.events.push({ type: MESSAGE_MODIFIED, data: { seq: c.seq, body: c.body, cloudCustomData: c.cloudCustomData, by: c.by.id, at: c.now } });
  const version = c.edits + 1;
  // A targeted message's change reaches only those who may see it.
  const recipients = meta!.to ? [meta!.from, ...meta!.to].filter((u, i, all) => s.members.has(u) && all.indexOf(u) === i && mayRead(meta!, u)) : receivers(s);
  const message = { seq: c.seq, random: meta!.random, time: meta!.time, from: meta!.from };
  fx.out.push({ kind: 'modify', message, body: c.body, cloudCustomData: c.cloudCustomData, version, recipients });
  return { fx, result: { version } };
}

/**
 * A topic message: the same rules and codes as the community's own messages, within the topic's
 * remembered window (its newest 1,000); the change reaches the community's members, as the
 * topic's messages do.
 */
function modifyInTopic(s: GroupState, c: Cmd<'modifyMessage'>, topicId: string): { fx: Effects; result: { version: number } } {
  community(s);
  const t = topicOf(s, topicId);
  const meta = t.messages.get(c.seq);
  if (!meta || meta.deleted) refuse(GROUP_CODES.RECALL_NOT_FOUND, `no message ${c.seq} in topic ${topicId} to modify`);
  if (meta!.recalled) refuse(GROUP_CODES.RECALL_REFUSED, `message ${c.seq} was recalled`);
  if (!c.by.admin && (meta!.from !== c.by.id || !s.members.has(c.by.id))) refuse(GROUP_CODES.NO_PERMISSION, 'only the sender or the app administrator modifies a topic message');
  if ((meta!.edits ?? 0) !== c.edits) refuse(EDIT_RACE, `message ${c.seq} was modified meanwhile`);
  const fx = none();
  fx.events.push({ type: TOPIC_MESSAGE_MODIFIED, data: { topicId, key: topicKey(t.slot, c.seq), seq: c.seq, body: c.body, cloudCustomData: c.cloudCustomData, by: c.by.id, at: c.now } });
  const version = c.edits + 1;
  const message = { seq: c.seq, random: meta!.random, time: meta!.time, from: meta!.from };
  fx.out.push({ kind: 'modify', message, body: c.body, cloudCustomData: c.cloudCustomData, version, recipients: receivers(s), topicId });
  return { fx, result: { version } };
}

export function clearHistory(s: GroupState, c: Cmd<'clearHistory'>): Effects {
  const { profile } = existing(s);
  if (!c.by.admin) refuse(GROUP_CODES.NO_PERMISSION, 'only the app administrator clears group history');
  if (profile.type === 'Community') refuse(GROUP_CODES.NO_PERMISSION, 'Community history is not cleared (Tencent: not supported)');
  const upToSeq = Math.min(c.upToSeq ?? s.lastSeq, s.lastSeq);
  const fx = none();
  if (upToSeq > (s.clearedUpTo ?? 0)) fx.events.push({ type: HISTORY_CLEARED, data: { upToSeq, by: c.by.id, at: c.now } });
  return fx;
}
