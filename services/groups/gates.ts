/**
 * The app backend's before-callbacks on group membership (docs/webhooks.md): create, apply
 * and invite wait for its verdict. Unreachable or slow backends let the operation proceed,
 * as Tencent does (services/webhooks).
 */
import type { ServiceBroker } from 'moleculer';
import { joinedStream } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import type { Via } from '../commands/commands';
import { groupsOfFeed } from './context';
import { callBefore, wantsCallback } from '../webhooks/client';

/** Refusal (and, for these callbacks, a drop) throws with the backend's or Tencent's code. */
async function gate(broker: ServiceBroker, app: number, command: string, body: Record<string, unknown>, via: Via) {
  const verdict = await callBefore(broker, { app, command, body, ...via });
  if (verdict.verdict === 'reject') throw new DomainError(verdict.code, verdict.info);
  if (verdict.verdict === 'drop') throw new DomainError(10016, 'the app backend refused the operation');
  return verdict;
}

export async function beforeCreate(broker: ServiceBroker, app: number, via: Via, operator: string, owner: string, type: string, name: string, members: string[]): Promise<void> {
  if (!wantsCallback(broker, app, 'Group.CallbackBeforeCreateGroup')) return;
  const CreateGroupNum = await createdGroups(broker, app, owner, type);
  await gate(broker, app, 'Group.CallbackBeforeCreateGroup', { Operator_Account: operator, Owner_Account: owner, Type: type, Name: name, CreateGroupNum, MemberList: members.map((Member_Account) => ({ Member_Account })) }, via);
}

/**
 * CreateGroupNum: groups of this type the owner created and is still in, from their
 * joined-group feed (the owner of a REST creation; an administrator creates for others).
 */
async function createdGroups(broker: ServiceBroker, app: number, user: string, type: string): Promise<number> {
  const groups = await groupsOfFeed(broker, joinedStream(app, user));
  return [...groups.values()].filter((g) => g.created && g.type === type).length;
}

export async function beforeApply(broker: ServiceBroker, app: number, via: Via, groupId: string, type: () => Promise<string>, requestor: string): Promise<void> {
  if (!wantsCallback(broker, app, 'Group.CallbackBeforeApplyJoinGroup')) return;
  await gate(broker, app, 'Group.CallbackBeforeApplyJoinGroup', { GroupId: groupId, Type: await type(), Requestor_Account: requestor }, via);
}

/** The invitees the backend lets in (those it lists in RefusedMembers_Account stay out). */
export async function beforeInvite(broker: ServiceBroker, app: number, via: Via, groupId: string, type: () => Promise<string>, operator: string, users: string[]): Promise<string[]> {
  if (users.length === 0 || !wantsCallback(broker, app, 'Group.CallbackBeforeInviteJoinGroup')) return users;
  const verdict = await gate(broker, app, 'Group.CallbackBeforeInviteJoinGroup', {
    GroupId: groupId,
    Type: await type(),
    Operator_Account: operator,
    DestinationMembers: users.map((Member_Account) => ({ Member_Account })),
  }, via);
  const refused = new Set(verdict.verdict === 'allow' ? (verdict.refused ?? []) : []);
  return users.filter((u) => !refused.has(u));
}
