import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type ReactionCommand, type ReactionReply } from './decide';
import type { ReactionEvent } from './events';
import { evolve, initialState, type ReactionState } from './state';

export * from './decide';
export * from './events';
export type { ReactionState, MessageReactions } from './state';

/**
 * The reactions of one conversation: key `<sdkAppId>:c2c:<a>|<b>` (the pair sorted) or
 * `<sdkAppId>:group:<groupId>`. Its own actor rather than part of the c2c or group actor, so a
 * burst of reactions on a hot message never queues behind the group's message sends, and the
 * message actors' states and snapshots stay as they are (docs/conversations.md).
 */
export const reactionKind: ActorKind<ReactionState, ReactionCommand, ReactionEvent, ReactionReply> = {
  name: 'reaction',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<ReactionState>('reaction.v1'),
  snapshotWeight: (s) => s.messages.size,
  // A hot message's queued reactions share an append (runtime/host.ts).
  batches: (command) => command.op === 'add' || command.op === 'remove',
};

export const c2cReactionsKey = (app: number, a: string, b: string) => (a < b ? `${app}:c2c:${a}|${b}` : `${app}:c2c:${b}|${a}`);
export const groupReactionsKey = (app: number, groupId: string) => `${app}:group:${groupId}`;
