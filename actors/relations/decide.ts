/**
 * Rules of one user's relationship chain. Every command is idempotent: a saga step that is
 * retried after a timeout finds its half already recorded and produces no event. Commands that
 * touch many peers answer one code per peer instead of refusing the whole batch.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { SNS } from './codes';
import * as E from './events';
import type { RelationsEvent } from './events';
import type { NewFriend, RelationsCommand, RelationsReply } from './commands';
import { many } from './many';
import { chainView, view } from './views';
import type { RelationsState } from './state';

export { REL, type ChainView, type ViewReply } from './views';

type Out = Decision<RelationsEvent, RelationsReply>;

export function decide(s: RelationsState, c: RelationsCommand): Out {
  switch (c.op) {
    case 'view':
      return { events: [], reply: view(s, c.peers) };
    case 'read':
      return { events: [], reply: chainView(s) };
    case 'link':
      return link(s, c);
    case 'unlink': {
      const events: RelationsEvent[] = [];
      const unfriended = c.friend === true && s.friends.has(c.peer);
      if (unfriended) events.push({ type: E.FRIEND_DELETED, data: { peer: c.peer, at: c.now } });
      if (c.friendOf && s.friendOf.has(c.peer)) events.push(edge(c.peer, 'friend', false, c.now));
      return { events, reply: { changed: events.length > 0, unfriended } };
    }
    case 'request':
      return request(s, c);
    case 'unrequest': {
      const had = (c.direction === 'in' ? s.pendingIn : s.pendingOut).has(c.peer);
      const events: RelationsEvent[] = had ? [{ type: E.REQUEST_REMOVED, data: { peer: c.peer, direction: c.direction, at: c.now } }] : [];
      return { events, reply: { changed: had } };
    }
    case 'block':
      return block(s, c);
    case 'unblock': {
      const events: RelationsEvent[] = [];
      const codes: Record<string, number> = {};
      for (const peer of c.peers) {
        codes[peer] = s.blocked.has(peer) ? 0 : SNS.INVALID;
        if (s.blocked.has(peer)) events.push({ type: E.UNBLOCKED, data: { peer, at: c.now } });
      }
      return { events, reply: { codes } };
    }
    case 'blockedBy':
      return blockedBy(s, c.peer, c.present, c.now);
    case 'update':
      return update(s, c);
    case 'createLists':
      return createLists(s, c);
    case 'deleteLists': {
      const missing = c.names.find((n) => !s.lists.includes(n));
      if (missing !== undefined) throw new DomainError(SNS.INVALID, `no friend list named ${missing}`);
      return { events: c.names.map((name) => ({ type: E.LIST_DELETED, data: { name, at: c.now } })), reply: { changed: true } };
    }
    case 'renameList':
      if (!s.lists.includes(c.from)) throw new DomainError(SNS.INVALID, `no friend list named ${c.from}`);
      if (s.lists.includes(c.to)) throw new DomainError(SNS.INVALID, `a friend list named ${c.to} exists`);
      return { events: [{ type: E.LIST_RENAMED, data: { from: c.from, to: c.to, at: c.now } }], reply: { changed: true } };
    case 'listMembers':
      return listMembers(s, c);
    case 'readPendency':
      return { events: c.now > s.pendencyReadAt ? [{ type: E.PENDENCY_READ, data: { at: c.now } }] : [], reply: { changed: true } };
    case 'many':
      return many(s, c, decide);
    default: {
      const never: never = c;
      throw new DomainError(SNS.INVALID, `unknown relations command ${JSON.stringify(never)}`);
    }
  }
}

const edge = (peer: string, kind: E.Edge, present: boolean, at: number): E.PeerEdgeChanged => ({ type: E.PEER_EDGE_CHANGED, data: { peer, edge: kind, present, at } });

/** Lists named by a friend that do not exist yet are created, within the limit of lists. */
function newLists(s: RelationsState, names: string[], max: number, at: number): RelationsEvent[] {
  const fresh = [...new Set(names)].filter((n) => !s.lists.includes(n));
  if (s.lists.length + fresh.length > max) throw new DomainError(SNS.LIST_LIMIT, `at most ${max} friend lists`);
  return fresh.map((name) => ({ type: E.LIST_CREATED, data: { name, at } }));
}

function link(s: RelationsState, c: Extract<RelationsCommand, { op: 'link' }>): Out {
  const events: RelationsEvent[] = [];
  if (c.friend && !s.friends.has(c.peer)) {
    if (s.blocked.has(c.peer)) throw new DomainError(SNS.PEER_IN_MY_BLOCKLIST, 'the account is in your blocklist');
    if (s.blockedBy.has(c.peer)) throw new DomainError(SNS.IN_PEER_BLOCKLIST, 'you are in the account’s blocklist');
    if (s.friends.size >= c.limit) throw new DomainError(c.limitCode, `at most ${c.limit} friends`);
    const asked = c.fromRequest ? s.pendingOut.get(c.peer) : undefined;
    const friend: NewFriend = asked
      ? { ...c.friend, remark: asked.remark, groups: asked.group ? [asked.group] : [], source: asked.source, wording: asked.wording }
      : c.friend;
    events.push(...newLists(s, friend.groups, c.lists, c.now));
    events.push({ type: E.FRIEND_ADDED, data: { peer: c.peer, remarkTime: 0, ...friend } });
  }
  if (c.friend && s.pendingOut.has(c.peer)) events.push({ type: E.REQUEST_REMOVED, data: { peer: c.peer, direction: 'out', at: c.now } });
  if (c.friendOf && !s.friendOf.has(c.peer)) events.push(edge(c.peer, 'friend', true, c.now));
  if (c.friendOf && s.pendingIn.has(c.peer)) events.push({ type: E.REQUEST_REMOVED, data: { peer: c.peer, direction: 'in', at: c.now } });
  return { events, reply: { changed: events.length > 0 } };
}

function request(s: RelationsState, c: Extract<RelationsCommand, { op: 'request' }>): Out {
  const pending = c.direction === 'in' ? s.pendingIn : s.pendingOut;
  if (s.blocked.has(c.peer)) throw new DomainError(c.direction === 'out' ? SNS.PEER_IN_MY_BLOCKLIST : SNS.IN_PEER_BLOCKLIST, 'blocked');
  if (s.blockedBy.has(c.peer)) throw new DomainError(c.direction === 'out' ? SNS.IN_PEER_BLOCKLIST : SNS.PEER_IN_MY_BLOCKLIST, 'blocked');
  if (!pending.has(c.peer) && pending.size >= c.limit) throw new DomainError(SNS.PENDING_LIMIT, `at most ${c.limit} pending friend requests`);
  return { events: [{ type: E.REQUEST_ADDED, data: { peer: c.peer, direction: c.direction, ...c.request } }], reply: { changed: true } };
}

function block(s: RelationsState, c: Extract<RelationsCommand, { op: 'block' }>): Out {
  const events: RelationsEvent[] = [];
  const codes: Record<string, number> = {};
  let size = s.blocked.size;
  for (const peer of c.peers) {
    if (s.blocked.has(peer)) {
      codes[peer] = 0;
      continue;
    }
    if (size >= c.limit) {
      codes[peer] = SNS.BLOCK_LIMIT;
      continue;
    }
    size++;
    codes[peer] = 0;
    // Blocking ends the friendship both ways and every request between the two.
    events.push({ type: E.BLOCKED, data: { peer, at: c.now } }, ...severed(s, peer, c.now));
  }
  return { events, reply: { codes } };
}

function severed(s: RelationsState, peer: string, at: number): RelationsEvent[] {
  const events: RelationsEvent[] = [];
  if (s.friends.has(peer)) events.push({ type: E.FRIEND_DELETED, data: { peer, at } });
  if (s.friendOf.has(peer)) events.push(edge(peer, 'friend', false, at));
  for (const direction of ['in', 'out'] as const) {
    if ((direction === 'in' ? s.pendingIn : s.pendingOut).has(peer)) events.push({ type: E.REQUEST_REMOVED, data: { peer, direction, at } });
  }
  return events;
}

function blockedBy(s: RelationsState, peer: string, present: boolean, at: number): Out {
  if (present === s.blockedBy.has(peer)) return { events: [], reply: { changed: false } };
  const events: RelationsEvent[] = [edge(peer, 'block', present, at), ...(present ? severed(s, peer, at) : [])];
  return { events, reply: { changed: true, unfriended: present && s.friends.has(peer) } };
}

function update(s: RelationsState, c: Extract<RelationsCommand, { op: 'update' }>): Out {
  const codes: Record<string, number> = {};
  const events: RelationsEvent[] = [];
  const created = new Set<string>();
  for (const p of c.patches) {
    if (!s.friends.has(p.peer)) {
      codes[p.peer] = SNS.NOT_FRIENDS;
      continue;
    }
    const fresh = (p.groups ?? []).filter((n) => !s.lists.includes(n) && !created.has(n));
    if (s.lists.length + created.size + new Set(fresh).size > c.lists) {
      codes[p.peer] = SNS.LIST_LIMIT;
      continue;
    }
    for (const name of new Set(fresh)) {
      created.add(name);
      events.push({ type: E.LIST_CREATED, data: { name, at: c.now } });
    }
    codes[p.peer] = 0;
    const groups = p.groups ? [...new Set(p.groups)] : null;
    events.push({ type: E.FRIEND_UPDATED, data: { peer: p.peer, remark: p.remark ?? null, groups, custom: p.custom ?? {}, at: c.now } });
  }
  return { events, reply: { codes } };
}

function createLists(s: RelationsState, c: Extract<RelationsCommand, { op: 'createLists' }>): Out {
  const names = [...new Set(c.names)];
  const existing = names.find((n) => s.lists.includes(n));
  if (existing !== undefined) throw new DomainError(SNS.INVALID, `a friend list named ${existing} exists`);
  if (s.lists.length + names.length > c.lists) throw new DomainError(SNS.LIST_LIMIT, `at most ${c.lists} friend lists`);
  const events: RelationsEvent[] = names.map((name) => ({ type: E.LIST_CREATED, data: { name, at: c.now } }));
  const codes: Record<string, number> = {};
  for (const peer of new Set(c.members)) {
    const friend = s.friends.get(peer);
    codes[peer] = friend ? 0 : SNS.NOT_FRIENDS;
    if (friend) events.push(membership(peer, [...new Set([...friend.groups, ...names])], c.now));
  }
  return { events, reply: { codes } };
}

function listMembers(s: RelationsState, c: Extract<RelationsCommand, { op: 'listMembers' }>): Out {
  if (!s.lists.includes(c.name)) throw new DomainError(SNS.INVALID, `no friend list named ${c.name}`);
  const codes: Record<string, number> = {};
  const events: RelationsEvent[] = [];
  const change = (peer: string, add: boolean) => {
    const friend = s.friends.get(peer);
    codes[peer] = friend ? 0 : SNS.NOT_FRIENDS;
    if (!friend || friend.groups.includes(c.name) === add) return;
    events.push(membership(peer, add ? [...friend.groups, c.name] : friend.groups.filter((g) => g !== c.name), c.now));
  };
  for (const peer of new Set(c.add)) change(peer, true);
  for (const peer of new Set(c.remove)) change(peer, false);
  return { events, reply: { codes } };
}

const membership = (peer: string, groups: string[], at: number): E.FriendUpdated => ({ type: E.FRIEND_UPDATED, data: { peer, remark: null, groups, custom: {}, at } });
