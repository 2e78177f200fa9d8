import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type FollowCommand, type FollowReply } from './decide';
import type { FollowEvent } from './events';
import { evolve, initialState, type FollowState } from './state';

export * from './decide';
export * from './events';
export type { FollowState } from './state';

/**
 * One user's follow lists: key `<sdkAppId>:<user>`. A follow is written twice, first in the
 * follower's stream (where its limit is decided), then in the followed user's; the second write
 * is idempotent and a retried follow_add or follow_delete repeats it, so a crash between the two
 * heals on the caller's retry instead of needing a cross-actor transaction. Followed users'
 * follower lists are not part of the users' own actor, so a celebrity's million followers never
 * load with their profile.
 */
export const followKind: ActorKind<FollowState, FollowCommand, FollowEvent, FollowReply> = {
  name: 'follow',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<FollowState>('follow.v1'),
  snapshotWeight: (s) => s.following.size + s.followers.size,
};

export const followKey = (app: number, user: string) => `${app}:${user}`;
