/**
 * The console's groups page: one group by ID (profile, members with their roles) and
 * disbanding it, through group_open_http_svc/get_group_info, get_group_member_info and
 * destroy_group (commands-api.ts), so the groups context's rules answer.
 */
import type { ServiceBroker } from 'moleculer';
import type { Admin } from '../rest/admin-auth';
import { onlyItem, runCommand, type Answer } from './commands-api';

/** Members listed per page view; get_group_member_info pages further with Offset. */
const MEMBERS_PAGE = 100;

export async function groupAnswer(broker: ServiceBroker, admin: Admin, groupId: string, offset: number, requestId: string): Promise<Answer> {
  const run = (command: string, body: Answer) => runCommand(broker, admin, command, body, requestId);
  const info = onlyItem(await run('group_open_http_svc/get_group_info', { GroupIdList: [groupId] }), 'GroupInfo');
  // Audio-video groups keep no member list: get_group_member_info refuses them (10007).
  const members = info.Type === 'AVChatRoom' ? { MemberNum: info.MemberNum, MemberList: [] } : await run('group_open_http_svc/get_group_member_info', { GroupId: groupId, Limit: MEMBERS_PAGE, Offset: offset });
  const profile = Object.fromEntries(PROFILE_FIELDS.filter((f) => f in info).map((f) => [f, info[f]]));
  return { Group: { GroupId: groupId, ...profile }, MemberNum: members.MemberNum, Members: members.MemberList ?? [], Offset: offset, PageSize: MEMBERS_PAGE };
}

const PROFILE_FIELDS = ['Type', 'Name', 'Introduction', 'Notification', 'FaceUrl', 'Owner_Account', 'CreateTime', 'LastMsgTime', 'MemberNum', 'MaxMemberNum', 'ApplyJoinOption', 'ShutUpAllMember'];

/** POST group/disband, body `{ GroupId }`. */
export async function disbandGroup(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  await runCommand(broker, admin, 'group_open_http_svc/destroy_group', { GroupId: body.GroupId }, requestId);
  return { GroupId: body.GroupId };
}
