import * as E from './events';
import type { FriendData, RelationsEvent, RequestData } from './events';

export interface RelationsState {
  /** My friend list, in the order friends were added (friend_get pages by it). */
  friends: Map<string, FriendData>;
  /** Reverse index: users who have me in their friend list (friend_check Both, profile pushes). */
  friendOf: Set<string>;
  /** My blocklist: peer → unix seconds it was added. */
  blocked: Map<string, number>;
  /** Reverse index: users who have me in their blocklist (30525, black_list_check Both). */
  blockedBy: Set<string>;
  /** Friend list names, in creation order; memberships live on each friend's `groups`. */
  lists: string[];
  pendingIn: Map<string, RequestData>;
  pendingOut: Map<string, RequestData>;
  pendencyReadAt: number;
  /** Change counters the SDK echoes back (StandardSequence, CurrentSequence …). */
  seq: { friends: number; blocked: number; lists: number; pending: number };
}

export const initialState = (): RelationsState => ({
  friends: new Map(),
  friendOf: new Set(),
  blocked: new Map(),
  blockedBy: new Set(),
  lists: [],
  pendingIn: new Map(),
  pendingOut: new Map(),
  pendencyReadAt: 0,
  seq: { friends: 0, blocked: 0, lists: 0, pending: 0 },
});

/**
 * Mutates in place: a user with 3,000 friends must not copy a Map per event on replay. The
 * host owns the state object and nobody else holds a reference to it.
 */
export function evolve(s: RelationsState, event: RelationsEvent): RelationsState {
  switch (event.type) {
    case E.FRIEND_ADDED: {
      const { peer, ...friend } = event.data;
      s.friends.set(peer, { ...friend, groups: [...friend.groups], custom: { ...friend.custom } });
      s.seq.friends++;
      break;
    }
    case E.FRIEND_UPDATED: {
      const { peer, remark, groups, custom, at } = event.data;
      const friend = s.friends.get(peer);
      if (!friend) break;
      if (remark !== null) Object.assign(friend, { remark, remarkTime: at });
      if (groups !== null) friend.groups = [...groups];
      for (const [tag, value] of Object.entries(custom)) {
        if (value === '') delete friend.custom[tag];
        else friend.custom[tag] = value;
      }
      s.seq.friends++;
      break;
    }
    case E.FRIEND_DELETED:
      s.friends.delete(event.data.peer);
      s.seq.friends++;
      break;
    case E.PEER_EDGE_CHANGED: {
      const index = event.data.edge === 'friend' ? s.friendOf : s.blockedBy;
      if (event.data.present) index.add(event.data.peer);
      else index.delete(event.data.peer);
      break;
    }
    case E.BLOCKED:
      s.blocked.set(event.data.peer, event.data.at);
      s.seq.blocked++;
      break;
    case E.UNBLOCKED:
      s.blocked.delete(event.data.peer);
      s.seq.blocked++;
      break;
    case E.LIST_CREATED:
      if (!s.lists.includes(event.data.name)) s.lists.push(event.data.name);
      s.seq.lists++;
      break;
    case E.LIST_DELETED:
      s.lists = s.lists.filter((n) => n !== event.data.name);
      for (const f of s.friends.values()) f.groups = f.groups.filter((g) => g !== event.data.name);
      s.seq.lists++;
      break;
    case E.LIST_RENAMED:
      s.lists = s.lists.map((n) => (n === event.data.from ? event.data.to : n));
      for (const f of s.friends.values()) f.groups = f.groups.map((g) => (g === event.data.from ? event.data.to : g));
      s.seq.lists++;
      break;
    case E.REQUEST_ADDED: {
      const { peer, direction, ...request } = event.data;
      (direction === 'in' ? s.pendingIn : s.pendingOut).set(peer, request);
      s.seq.pending++;
      break;
    }
    case E.REQUEST_REMOVED:
      (event.data.direction === 'in' ? s.pendingIn : s.pendingOut).delete(event.data.peer);
      s.seq.pending++;
      break;
    case E.PENDENCY_READ:
      s.pendencyReadAt = Math.max(s.pendencyReadAt, event.data.at);
      break;
    case E.CHANGE_REPORTED:
      // Read by the hosting service's side feeds only.
      break;
  }
  return s;
}
