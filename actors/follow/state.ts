/**
 * One user's follow lists: whom they follow and who follows them, each with the time it began
 * (unix ms), in the order it began (a Map keeps insertion order: the lists page in that order).
 */
import { FOLLOW_ADDED, FOLLOW_REMOVED, type FollowEvent } from './events';

export interface FollowState {
  following: Map<string, number>;
  followers: Map<string, number>;
}

export const initialState = (): FollowState => ({ following: new Map(), followers: new Map() });

/** Applies in place, as actors/reaction does: the host drops an activation whose append failed. */
export function evolve(state: FollowState, event: FollowEvent): FollowState {
  const list = event.data.side === 'following' ? state.following : state.followers;
  if (event.type === FOLLOW_ADDED) list.set(event.data.user, event.data.at);
  if (event.type === FOLLOW_REMOVED) list.delete(event.data.user);
  return state;
}
