/** Events of a user's follow lists (schemas/follow/*.avsc). */
export const FOLLOW_ADDED = 'parley.follow.FollowAdded';
export const FOLLOW_REMOVED = 'parley.follow.FollowRemoved';

/** `following`: the stream's user follows `user`; `follower`: `user` follows the stream's user. */
export type Side = 'following' | 'follower';

export interface FollowChange {
  side: Side;
  user: string;
  at: number;
}

export type FollowEvent = { type: typeof FOLLOW_ADDED; data: FollowChange } | { type: typeof FOLLOW_REMOVED; data: FollowChange };
