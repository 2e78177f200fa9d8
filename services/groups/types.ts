/**
 * The groups service's own type, for the action files split out of groups.service.ts: they
 * take it from here, so no file imports the service it is part of.
 */
import type { Context } from 'moleculer';
import type { GroupCommand, GroupEvent, GroupReply, GroupState } from '../../actors/group';
import type { ActorHostService } from '../../runtime/moleculer/host.mixin';
import type { FrequencyGate } from './frequency';

export type GroupsService = ActorHostService<GroupState, GroupCommand, GroupEvent, GroupReply> & {
  gate: FrequencyGate;
  /** Runs a command on the group's owner node and answers its result. */
  group<R>(app: number, groupId: string, command: GroupCommand, ctx?: Context): Promise<R>;
};
