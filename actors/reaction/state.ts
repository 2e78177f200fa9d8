/**
 * The reactions of one conversation's messages: per message, its reactions in the order they
 * were first added, each with its users in the order they reacted (the order the SDK shows).
 * Only messages with at least one reaction are kept; an emptied reaction or message is dropped.
 */
import { REACTION_ADDED, REACTION_REMOVED, type ReactionEvent } from './events';

/** reaction id → users, in first-added order (a Map keeps insertion order, even for "1"). */
export type MessageReactions = Map<string, string[]>;

export interface ReactionState {
  messages: Map<string, MessageReactions>;
}

export const initialState = (): ReactionState => ({ messages: new Map() });

/**
 * Applies in place, as the conversation actors do: the host drops an activation whose append
 * failed, so a state never outlives an event that was not stored. Copying every message's map per
 * event would cost O(reacted messages) on a busy group.
 */
export function evolve(state: ReactionState, event: ReactionEvent): ReactionState {
  const { message, reaction, user } = event.data;
  const reactions = state.messages.get(message) ?? new Map<string, string[]>();
  const users = reactions.get(reaction) ?? [];
  switch (event.type) {
    case REACTION_ADDED:
      if (!users.includes(user)) reactions.set(reaction, [...users, user]);
      state.messages.set(message, reactions);
      break;
    case REACTION_REMOVED: {
      const left = users.filter((u) => u !== user);
      if (left.length > 0) reactions.set(reaction, left);
      else reactions.delete(reaction);
      if (reactions.size > 0) state.messages.set(message, reactions);
      else state.messages.delete(message);
      break;
    }
  }
  return state;
}
