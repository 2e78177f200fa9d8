/**
 * The push of a modified group message (modify_group_msg), as the SDK takes it: an EventArray
 * item holding GroupMsgModNotifys, which the SDK renames groupMessageModified and hands to the
 * group module's onMsgModified. It finds the message by sender, group, random, sequence and time,
 * and replaces its elements and cloud data when MsgVersion is newer than its own, firing
 * MESSAGE_MODIFIED [bundle: _onGroupMsgModified, onMsgModified]; docs/groups.md.
 */
import type { Outgoing } from '../../actors/group';

type Modify = Extract<Outgoing, { kind: 'modify' }>;

/** Any event number but the three the SDK routes itself (24, 26, 100) reaches the key's handler; 4 as for C2C. */
const NOTIFY_EVENT = 4;

export function modifyPush(groupId: string, o: Modify) {
  const item = {
    GroupId: groupId,
    From_Account: o.message.from,
    MsgSeq: o.message.seq,
    MsgRandom: o.message.random,
    MsgTime: o.message.time,
    MsgBody: JSON.parse(o.body) as unknown[],
    CloudCustomData: o.cloudCustomData,
    MsgVersion: o.version,
    // A topic's message: the SDK files the change under the topic's conversation (topicID || groupID).
    ...(o.topicId ? { TopicId: o.topicId } : {}),
  };
  return { EventArray: [{ Event: NOTIFY_EVENT, GroupMsgModNotifys: [item] }] };
}
