/** Events of a conversation's reactions (schemas/reaction/*.avsc). */
export const REACTION_ADDED = 'parley.reaction.ReactionAdded';
export const REACTION_REMOVED = 'parley.reaction.ReactionRemoved';

/** `message`: the one-to-one MsgKey, or the group message's sequence written in decimal. */
export interface ReactionChange {
  message: string;
  reaction: string;
  user: string;
  at: number;
}

export interface ReactionAdded {
  type: typeof REACTION_ADDED;
  data: ReactionChange;
}
export interface ReactionRemoved {
  type: typeof REACTION_REMOVED;
  data: ReactionChange;
}

export type ReactionEvent = ReactionAdded | ReactionRemoved;
