/**
 * The friends service's own types, for the files split out of friends.service.ts: they take them
 * from here, so no file imports the service it is part of.
 */
import type { Context } from 'moleculer';
import type { RelationsCommand, RelationsEvent, RelationsReply, RelationsState } from '../../actors/relations';
import type { ActorHostService } from '../../runtime/moleculer/host.mixin';
import type { CommandParams } from '../commands/commands';
import type * as b from './bodies';
import type { Chain } from './client';

export type FriendsService = ActorHostService<RelationsState, RelationsCommand, RelationsEvent, RelationsReply> & {
  owner(ctx: Context<CommandParams<b.FromBody>>): Promise<{ chain: Chain; owner: string }>;
};
