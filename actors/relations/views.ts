/** The read-only answers of a user's chain: relation bits of given peers, and the whole chain as plain values. */
import type { FriendData, RequestData } from './events';
import type { RelationsState } from './state';

/** Bits of a peer in `view`: how the owner and the peer relate. */
export const REL = { FRIEND: 1, FRIEND_OF: 2, BLOCKED: 4, BLOCKED_BY: 8, PENDING_OUT: 16, PENDING_IN: 32 } as const;

export interface ViewReply {
  flags: number[];
  friends: number;
  blocked: number;
  pendingIn: number;
  pendingOut: number;
}

/** The whole chain as plain values (survives a NATS hop; Maps would not). Read-only. */
export interface ChainView {
  friends: [string, FriendData][];
  friendOf: string[];
  blocked: [string, number][];
  lists: string[];
  pendingIn: [string, RequestData][];
  pendingOut: [string, RequestData][];
  pendencyReadAt: number;
  seq: RelationsState['seq'];
}

export function chainView(s: RelationsState): ChainView {
  return {
    friends: [...s.friends],
    friendOf: [...s.friendOf],
    blocked: [...s.blocked],
    lists: [...s.lists],
    pendingIn: [...s.pendingIn],
    pendingOut: [...s.pendingOut],
    pendencyReadAt: s.pendencyReadAt,
    seq: { ...s.seq },
  };
}

export function view(s: RelationsState, peers: string[]): ViewReply {
  const flags = peers.map(
    (p) =>
      (s.friends.has(p) ? REL.FRIEND : 0) |
      (s.friendOf.has(p) ? REL.FRIEND_OF : 0) |
      (s.blocked.has(p) ? REL.BLOCKED : 0) |
      (s.blockedBy.has(p) ? REL.BLOCKED_BY : 0) |
      (s.pendingOut.has(p) ? REL.PENDING_OUT : 0) |
      (s.pendingIn.has(p) ? REL.PENDING_IN : 0),
  );
  return { flags, friends: s.friends.size, blocked: s.blocked.size, pendingIn: s.pendingIn.size, pendingOut: s.pendingOut.size };
}
