/**
 * Rules of following (Tencent's follow_* commands, the SDK's followUser / unfollowUser and the
 * follow lists). A follow lives in two streams: the follower's `following` side, decided here
 * with its limit, and the followed user's `follower` side, which the service writes after it
 * (see index.ts for why that is safe). Whether the named accounts exist is the service's check.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { FOLLOW_ADDED, FOLLOW_REMOVED, type FollowEvent } from './events';
import type { FollowState } from './state';

/** Per-item codes: 30001 bad item (following oneself), 30010 the caller follows too many. */
export const FOLLOW_CODES = { INVALID: 30001, TOO_MANY: 30010 } as const;
/** Parley's bound on whom one user follows (Tencent publishes none for followers). */
export const FOLLOW_LIMITS = { following: 5000, perRequest: 20, perQuery: 100, perPage: 1000 } as const;

/** 1 followers, 2 following, 3 mutual (the SDK's FOLLOW_TYPE and follow_get's FollowType). */
export type ListType = 1 | 2 | 3;

export type FollowCommand =
  | { op: 'follow' | 'unfollow'; me: string; users: string[]; now: number }
  /** The other side of a follow, written in the followed user's stream. */
  | { op: 'addFollower' | 'removeFollower'; user: string; now: number }
  | { op: 'list'; type: ListType; from: number; count: number }
  | { op: 'check'; users: string[] }
  | { op: 'counts' };

export interface ItemResult {
  user: string;
  code: number;
  /** The follow actually changed (a push and the other side are due). */
  changed: boolean;
}
export interface FollowPage {
  items: { user: string; at: number }[];
  next: number;
}
export interface FollowCounts {
  followers: number;
  following: number;
  mutual: number;
}
export type FollowReply = ItemResult[] | FollowPage | Record<string, number> | FollowCounts | null;

/** 0 none, 1 they follow me, 2 I follow them, 3 both (checkFollowType). */
export const followTypeOf = (s: FollowState, user: string) => (s.followers.has(user) ? 1 : 0) + (s.following.has(user) ? 2 : 0);

const mutual = (s: FollowState) => [...s.following].filter(([u]) => s.followers.has(u));

export function decide(state: FollowState, command: FollowCommand): Decision<FollowEvent, FollowReply> {
  switch (command.op) {
    case 'follow':
    case 'unfollow': {
      const events: FollowEvent[] = [];
      const results: ItemResult[] = [];
      let count = state.following.size;
      for (const user of command.users) {
        const has = state.following.has(user) || events.some((e) => e.data.user === user);
        if (user === command.me) results.push({ user, code: FOLLOW_CODES.INVALID, changed: false });
        else if (command.op === 'unfollow') {
          if (has) events.push({ type: FOLLOW_REMOVED, data: { side: 'following', user, at: command.now } });
          results.push({ user, code: 0, changed: has });
        } else if (has) results.push({ user, code: 0, changed: false });
        else if (count >= FOLLOW_LIMITS.following) results.push({ user, code: FOLLOW_CODES.TOO_MANY, changed: false });
        else {
          count++;
          events.push({ type: FOLLOW_ADDED, data: { side: 'following', user, at: command.now } });
          results.push({ user, code: 0, changed: true });
        }
      }
      return { events, reply: results };
    }
    case 'addFollower':
      return { events: state.followers.has(command.user) ? [] : [{ type: FOLLOW_ADDED, data: { side: 'follower', user: command.user, at: command.now } }], reply: null };
    case 'removeFollower':
      return { events: state.followers.has(command.user) ? [{ type: FOLLOW_REMOVED, data: { side: 'follower', user: command.user, at: command.now } }] : [], reply: null };
    case 'list': {
      const all = command.type === 1 ? [...state.followers] : command.type === 2 ? [...state.following] : mutual(state);
      const items = all.slice(command.from, command.from + command.count).map(([user, at]) => ({ user, at }));
      const next = command.from + items.length;
      return { events: [], reply: { items, next: next < all.length ? next : 0 } };
    }
    case 'check':
      return { events: [], reply: Object.fromEntries(command.users.map((u) => [u, followTypeOf(state, u)])) };
    case 'counts':
      return { events: [], reply: { followers: state.followers.size, following: state.following.size, mutual: mutual(state).length } };
    default: {
      const never: never = command;
      throw new DomainError(90001, `unknown follow command ${JSON.stringify(never)}`);
    }
  }
}
