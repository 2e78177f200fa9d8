/**
 * Two-sided operations as small sagas over the two users' relationship actors. Each step is an
 * idempotent command that records one side's half; the order puts every check that can refuse
 * before the first write where it can (the requester's view first, then the peer's step, which
 * can still refuse with the peer's own limits, then the requester's step).
 *
 * Failure behaviour: a step that fails after an earlier step was recorded leaves the earlier
 * half in place (for example the peer's reverse index says "friend of" while the requester's
 * list lacks the peer). The caller gets the error (30006 for an internal one); repeating the
 * same call converges, since recorded halves are no-ops the second time. No step is ever
 * undone, so no compensation can race a retry.
 */
import { DomainError } from '../../actors/kind';
import { REL, SNS, type NewFriend } from '../../actors/relations';
import { RELATION_LIMITS as L } from '../../config/relations';
import { allowTypeOf, TAG } from '../profiles/fields';
import type { Chain } from './client';

export interface AddItem {
  To_Account: string;
  Remark?: string;
  GroupName?: string;
  AddSource?: string;
  AddWording?: string;
}

export interface AddOptions {
  both: boolean;
  force: boolean;
  now: number;
}

const codeOf = (err: unknown): number | undefined => {
  const e = err as { code?: unknown; data?: { code?: unknown } };
  const code = e.data?.code ?? e.code;
  return typeof code === 'number' ? code : undefined;
};

/** Runs one step; a domain refusal becomes its code, anything else propagates. */
export async function step(run: () => Promise<unknown>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (err) {
    const code = codeOf(err);
    if (code === undefined || code === SNS.INTERNAL) throw err;
    return code;
  }
}

const limits = (limitCode: number) => ({ limit: L.friends, limitCode, lists: L.lists });

/** friend_add of one target: 0 added, 30539 pending, or the refusal code. */
export async function addFriend(chain: Chain, from: string, item: AddItem, o: AddOptions): Promise<number> {
  const to = item.To_Account;
  if (to === from) return SNS.INVALID;
  const [target, me, view] = await Promise.all([chain.user(to), chain.user(from), chain.view(from, [to])]);
  if (!target.imported) return SNS.NO_SUCH_USER;
  const bits = view.flags[0];
  if (bits & REL.BLOCKED) return SNS.PEER_IN_MY_BLOCKLIST;
  if (bits & REL.BLOCKED_BY) return SNS.IN_PEER_BLOCKLIST;
  if (!o.force && me.profile?.[TAG.ADMIN_FORBID] === 'AdminForbid_Type_SendOut') return SNS.FORBIDDEN_TO_ADD;
  if (!(bits & REL.FRIEND) && view.friends >= L.friends) return SNS.FRIEND_LIMIT;
  const friend: NewFriend = { remark: item.Remark ?? '', groups: item.GroupName ? [item.GroupName] : [], source: item.AddSource ?? '', wording: item.AddWording ?? '', addTime: o.now, custom: {} };
  // The peer already has the requester as a friend: nothing to confirm.
  if (!o.force && !(bits & REL.FRIEND_OF)) {
    const allow = allowTypeOf(target);
    if (allow === 'AllowType_Type_DenyAny') return SNS.PEER_DENIES_ALL;
    if (allow === 'AllowType_Type_NeedConfirm') {
      const request = { source: friend.source, wording: friend.wording, remark: friend.remark, group: item.GroupName ?? '', at: o.now };
      const code = await step(() => chain.change(to, { op: 'request', peer: from, direction: 'in', request: { ...request, remark: '', group: '' }, limit: L.pending, now: o.now }));
      if (code !== 0) return code;
      const mine = await step(() => chain.change(from, { op: 'request', peer: to, direction: 'out', request, limit: L.pending, now: o.now }));
      return mine === 0 ? SNS.PENDING : mine;
    }
  }
  const peerHalf = o.both ? { ...friend, remark: '', groups: [] } : undefined;
  const code = await step(() => chain.change(to, { op: 'link', peer: from, friend: peerHalf, friendOf: true, ...limits(SNS.PEER_FRIEND_LIMIT), now: o.now }));
  if (code !== 0) return code;
  return step(() => chain.change(from, { op: 'link', peer: to, friend, friendOf: o.both, ...limits(SNS.FRIEND_LIMIT), now: o.now }));
}

export type ResponseAction = 'Response_Action_Agree' | 'Response_Action_AgreeAndAdd' | 'Response_Action_Reject';

/** `me` answers the pending request of `requester`. */
export async function respond(chain: Chain, me: string, requester: string, action: ResponseAction, remark: string, group: string, now: number): Promise<number> {
  const { flags } = await chain.view(me, [requester]);
  if (!(flags[0] & REL.PENDING_IN)) return SNS.NO_SUCH_REQUEST;
  if (action === 'Response_Action_Reject') {
    await chain.change(requester, { op: 'unrequest', peer: me, direction: 'out', now });
    await chain.change(me, { op: 'unrequest', peer: requester, direction: 'in', now });
    return 0;
  }
  const both = action === 'Response_Action_AgreeAndAdd';
  const mine: NewFriend | undefined = both ? { remark, groups: group ? [group] : [], source: '', wording: '', addTime: now, custom: {} } : undefined;
  const code = await step(() => chain.change(me, { op: 'link', peer: requester, friend: mine, friendOf: true, ...limits(SNS.FRIEND_LIMIT), now }));
  if (code !== 0) return code;
  const theirs: NewFriend = { remark: '', groups: [], source: '', wording: '', addTime: now, custom: {} };
  return step(() => chain.change(requester, { op: 'link', peer: me, friend: theirs, fromRequest: true, friendOf: both, ...limits(SNS.PEER_FRIEND_LIMIT), now }));
}

/** friend_delete of one peer: 0, or 31704 when there was nothing to delete. */
export async function deleteFriend(chain: Chain, from: string, peer: string, both: boolean, now: number): Promise<number> {
  const mine = await chain.change(from, { op: 'unlink', peer, friend: true, friendOf: both, now });
  const theirs = await chain.change(peer, { op: 'unlink', peer: from, friend: both, friendOf: true, now });
  return mine.unfriended || (both && theirs.unfriended) ? 0 : SNS.NOT_FRIENDS;
}

/** A withdrawn or declined request, removed from both sides. */
export async function dropRequest(chain: Chain, owner: string, peer: string, direction: 'in' | 'out', now: number): Promise<number> {
  const mine = await chain.change(owner, { op: 'unrequest', peer, direction, now });
  await chain.change(peer, { op: 'unrequest', peer: owner, direction: direction === 'in' ? 'out' : 'in', now });
  return mine.changed ? 0 : SNS.NO_SUCH_REQUEST;
}

/** black_list_add / black_list_delete: the owner's blocklist, then each peer's reverse index. */
export async function setBlocked(chain: Chain, owner: string, peers: string[], present: boolean, now: number): Promise<Record<string, number>> {
  const { codes } = await chain.batch(owner, present ? { op: 'block', peers, limit: L.blocked, now } : { op: 'unblock', peers, now });
  await Promise.all(peers.filter((p) => codes[p] === 0).map((p) => chain.change(p, { op: 'blockedBy', peer: owner, present, now })));
  return codes;
}

export function requireCode(code: number, message: string): void {
  if (code !== 0) throw new DomainError(code, message);
}
