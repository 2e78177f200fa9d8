/**
 * Member marks of a live room (AVChatRoom): group_open_avchatroom_http_svc/modify_user_info, also
 * the SDK's markGroupMemberList (owner only). A mark is a number an app gives some viewers
 * (teachers, guests) so that get_members can list only them (its `Mark` filter).
 *
 * Tencent keeps a mark only while its viewer is online, so the marks live beside the viewers
 * on the gateway nodes (services/connector/rooms.ts) and go when the viewer's last device leaves
 * the room: nothing is stored. A viewer not in the room is left out of the answer, which the
 * SDK reports as a failure for that user.
 *
 * Limits (Tencent's page): at most 10 different marks in a room and 1,000 viewers per mark,
 * checked against the room as gathered at the call, before anything changes; 500 viewers per
 * call (the SDK's). Custom marks start at 1000. Tencent's special mark 500 (a mark that outlives
 * its viewer going offline) is not served: 10004.
 */
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import type { CommandParams } from '../commands/commands';
import { account, groupId } from './bodies';
import { groupCommand } from './context';
import { viewers } from './live-members';
import { markInRoom } from './rooms';
import type { GroupsService } from './types';

export const MIN_MARK = 1000;
export const MAX_MARKS_PER_ROOM = 10;
export const MAX_MARKED_PER_MARK = 1000;
export const MAX_MARK_MEMBERS = 500;

/** CommandType: 1 adds the marks, 2 removes them. */
export interface MarkBody {
  GroupId: string;
  CommandType: 1 | 2;
  MemberList: { Member_Account: string; Marks: number[] }[];
}
const mark = { type: 'number', integer: true, min: MIN_MARK, max: 0xffffffff };
export const markBody = {
  GroupId: groupId,
  CommandType: { type: 'number', integer: true, min: 1, max: 2 },
  MemberList: { type: 'array', min: 1, max: MAX_MARK_MEMBERS, items: { type: 'object', strict: 'remove', props: { Member_Account: account, Marks: { type: 'array', min: 1, max: MAX_MARKS_PER_ROOM, items: mark } } } },
};

/** The marks the room would hold after adding: refused past Tencent's limits. */
function checkLimits(before: Map<string, Set<number>>, adding: MarkBody['MemberList']): void {
  const holders = new Map<number, Set<string>>();
  const hold = (m: number, user: string) => {
    const users = holders.get(m);
    if (users) users.add(user);
    else holders.set(m, new Set([user]));
  };
  for (const [user, marks] of before) for (const m of marks) hold(m, user);
  for (const entry of adding) for (const m of entry.Marks) hold(m, entry.Member_Account);
  if (holders.size > MAX_MARKS_PER_ROOM) throw new DomainError(GROUP_CODES.INVALID, `a live room has at most ${MAX_MARKS_PER_ROOM} different marks`);
  for (const [m, users] of holders) if (users.size > MAX_MARKED_PER_MARK) throw new DomainError(GROUP_CODES.INVALID, `mark ${m} is limited to ${MAX_MARKED_PER_MARK} members`);
}

async function modifyMarks(this: GroupsService, ctx: Context<CommandParams<MarkBody>>) {
  const { app, caller, body } = ctx.params;
  const all = await viewers(this, app, body.GroupId, ctx, caller, true);
  const on = body.CommandType === 1;
  // Only viewers in the room can carry a mark: the others neither count nor change.
  const present = body.MemberList.filter((m) => all.has(m.Member_Account));
  if (on) checkLimits(new Map([...all].map(([user, v]) => [user, v.marks])), present);
  const found = present.length === 0 ? new Set<string>() : await markInRoom(this.broker, app, body.GroupId, present.map((m) => ({ userId: m.Member_Account, marks: m.Marks })), on);
  return { CommandType: body.CommandType, MemberList: body.MemberList.filter((m) => found.has(m.Member_Account)).map((m) => ({ Member_Account: m.Member_Account, Marks: m.Marks })) };
}

export const liveMarkActions: Record<string, ActionSchema> = {
  markLiveMembers: groupCommand('group_open_avchatroom_http_svc/modify_user_info', 'Add or remove member marks of viewers in a live room', markBody, modifyMarks, true),
};
