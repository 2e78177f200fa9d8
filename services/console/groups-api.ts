/**
 * The console's groups page: one group by ID (profile, members with their roles, a Community's
 * topics) and disbanding it, through group_open_http_svc/get_group_info, get_group_member_info,
 * million_group_open_http_svc/get_topic and destroy_group (commands-api.ts), so the groups
 * context's rules answer.
 */
import type { ServiceBroker } from 'moleculer';
import type { Admin } from '../rest/admin-auth';
import { CommandRefused, onlyItem, runCommand, type Answer } from './commands-api';

/** Members listed per page view; get_group_member_info pages further with Offset. */
const MEMBERS_PAGE = 100;

export async function groupAnswer(broker: ServiceBroker, admin: Admin, groupId: string, offset: number, requestId: string): Promise<Answer> {
  const run = (command: string, body: Answer) => runCommand(broker, admin, command, body, requestId);
  const info = onlyItem(await run('group_open_http_svc/get_group_info', { GroupIdList: [groupId] }), 'GroupInfo');
  // Audio-video groups keep no member list: get_group_member_info refuses them (10007).
  const members = info.Type === 'AVChatRoom' ? { MemberNum: info.MemberNum, MemberList: [] } : await run('group_open_http_svc/get_group_member_info', { GroupId: groupId, Limit: MEMBERS_PAGE, Offset: offset });
  const profile = Object.fromEntries(PROFILE_FIELDS.filter((f) => f in info).map((f) => [f, info[f]]));
  const topics = info.Type === 'Community' ? await topicsOf(run, groupId) : [];
  return { Group: { GroupId: groupId, ...profile }, MemberNum: members.MemberNum, Members: members.MemberList ?? [], Offset: offset, PageSize: MEMBERS_PAGE, Topics: topics };
}

/** A Community's topics (at most 200), or none when it was created without topic support. */
async function topicsOf(run: (command: string, body: Answer) => Promise<Answer>, groupId: string): Promise<Answer[]> {
  const answer = await run('million_group_open_http_svc/get_topic', { GroupId: groupId }).catch((err: unknown) => {
    if (err instanceof CommandRefused) return { TopicAndSelfInfo: [] };
    throw err;
  });
  const items = (answer.TopicAndSelfInfo as { TopicInfo: Answer }[] | undefined) ?? [];
  return items.map(({ TopicInfo: t }) => ({ TopicId: t.TopicId, TopicName: t.TopicName, LastMsgTime: t.LastMsgTime, NextMsgSeq: t.NextMsgSeq, ShutUpAllFlag: t.ShutUpAllFlag }));
}

const PROFILE_FIELDS = ['Type', 'Name', 'Introduction', 'Notification', 'FaceUrl', 'Owner_Account', 'CreateTime', 'LastMsgTime', 'MemberNum', 'MaxMemberNum', 'ApplyJoinOption', 'ShutUpAllMember'];

/** POST group/disband, body `{ GroupId }`. */
export async function disbandGroup(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  await runCommand(broker, admin, 'group_open_http_svc/destroy_group', { GroupId: body.GroupId }, requestId);
  return { GroupId: body.GroupId };
}

/** Messages a history page shows; group_msg_get_simple allows at most 20. */
const HISTORY_PAGE = 20;

/**
 * GET group/messages?id=G[&topic=T][&before=SEQ]: the history of a group, or of one of a
 * Community's topics, as the administrator reads it (group_msg_get_simple), newest first;
 * `before` is a page's NextSeq (the messages below it).
 */
export async function groupHistoryAnswer(broker: ServiceBroker, admin: Admin, groupId: string, before: number | undefined, requestId: string, topicId?: string): Promise<Answer> {
  const body: Answer = { GroupId: groupId, ReqMsgNumber: HISTORY_PAGE, WithRecalledMsg: 1, ...(before === undefined ? {} : { ReqMsgSeq: before }), ...(topicId === undefined ? {} : { TopicId: topicId }) };
  const page = await runCommand(broker, admin, 'group_open_http_svc/group_msg_get_simple', body, requestId);
  const messages = (page.RspMsgList as Answer[] | undefined) ?? [];
  const lowest = Math.min(...messages.map((m) => Number(m.MsgSeq)));
  const complete = page.IsFinished === 1 || messages.length === 0 || lowest <= 1;
  return { GroupId: groupId, ...(topicId === undefined ? {} : { TopicId: topicId }), Messages: messages, Complete: complete, ...(complete ? {} : { NextSeq: lowest - 1 }) };
}

/** POST group/mute, body `{ GroupId, Members_Account, MuteTime }` (seconds; 0 unmutes): forbid_send_msg. */
export async function muteMembers(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  await runCommand(broker, admin, 'group_open_http_svc/forbid_send_msg', { GroupId: body.GroupId, Members_Account: body.Members_Account, MuteTime: body.MuteTime }, requestId);
  return { GroupId: body.GroupId };
}
