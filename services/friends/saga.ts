/**
 * Two-sided operations as small sagas over the users' relationship actors. Each step is an
 * idempotent command that records one side's half. Every check that can refuse runs before the
 * first write where it can; then the peers' halves are written, target by target; the request
 * ends with the owner's halves of every target in one append (`many`), which also records the
 * request's after-callback, so the callback is stored exactly when the owner's half is.
 *
 * Failure behaviour: a step that fails after an earlier step was recorded leaves the earlier
 * half in place (the peer's list has the owner while the owner's lacks the peer). The caller
 * gets the error (30006 for an internal one); repeating the same call converges, since
 * recorded halves are no-ops the second time, and the owner's half, written then, reports
 * what the first call could not. No step is ever undone, so no compensation can race a retry.
 * Blocking is the exception in order: the owner's blocklist is the change itself and is
 * written first (with its callback); the peers' reverse indexes follow and are rewritten on
 * every repeat.
 */
import { DomainError } from '../../runtime/kind';
import { REL, SNS, type BatchReply, type ChangeReply, type NewFriend, type RelationsStep, type ReportHeader, type ReportPair } from '../../actors/relations';
import { RELATION_LIMITS as L } from '../../actors/apps/settings/relations';
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

export type Codes = Record<string, number>;

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

/** The owner's half of one target, written by `ownerHalves`; `done` is the target's code once written. */
interface OwnerHalf {
  peer: string;
  step: RelationsStep;
  pairs: ReportPair[];
  done: number;
  /** Whether the step adds a friend to the owner's list (counts against the limit). */
  adds: boolean;
}

/** Writes the owner's halves in one append with the request's callback, and fills in their codes. */
async function ownerHalves(chain: Chain, owner: string, halves: OwnerHalf[], codes: Codes, header: ReportHeader | undefined): Promise<(ChangeReply | BatchReply | null)[]> {
  if (halves.length === 0) return [];
  const report = header && { ...header, pairs: halves.map((h) => h.pairs) };
  const reply = await chain.many(owner, { op: 'many', steps: halves.map((h) => h.step), report });
  halves.forEach((h, i) => (codes[h.peer] = reply.codes[i] || h.done));
  return reply.replies as (ChangeReply | BatchReply | null)[];
}

/**
 * The other side's half of each item in turn (a refusal is that item's code), then the owner's
 * halves of all the others in one append with the callback. `adding` counts the friends the
 * owner's append will add before this item, so the owner's limit is checked before any write.
 */
async function twoSided<T>(chain: Chain, owner: string, items: T[], idOf: (item: T) => string, otherHalf: (item: T, adding: number) => Promise<number | OwnerHalf>, header: ReportHeader | undefined): Promise<Codes> {
  const codes: Codes = {};
  const halves: OwnerHalf[] = [];
  for (const item of items) {
    const half = await otherHalf(item, halves.filter((h) => h.adds).length);
    if (typeof half === 'number') codes[idOf(item)] = half;
    else halves.push(half);
  }
  await ownerHalves(chain, owner, halves, codes, header);
  return codes;
}

/** friend_add: 0 added, 30539 pending, or the refusal code, per target. */
export function addFriends(chain: Chain, from: string, items: AddItem[], o: AddOptions, header?: ReportHeader): Promise<Codes> {
  return twoSided(chain, from, items, (i) => i.To_Account, (i, adding) => peerHalfOfAdd(chain, from, i, o, adding), header);
}

/** The checks of one target and the peer's half (their link, or the request they receive). */
async function peerHalfOfAdd(chain: Chain, from: string, item: AddItem, o: AddOptions, adding: number): Promise<number | OwnerHalf> {
  const to = item.To_Account;
  if (to === from) return SNS.INVALID;
  const [target, me, view] = await Promise.all([chain.user(to), chain.user(from), chain.view(from, [to])]);
  if (!target.imported) return SNS.NO_SUCH_USER;
  const bits = view.flags[0];
  if (bits & REL.BLOCKED) return SNS.PEER_IN_MY_BLOCKLIST;
  if (bits & REL.BLOCKED_BY) return SNS.IN_PEER_BLOCKLIST;
  if (!o.force && me.profile?.[TAG.ADMIN_FORBID] === 'AdminForbid_Type_SendOut') return SNS.FORBIDDEN_TO_ADD;
  const adds = !(bits & REL.FRIEND);
  if (adds && view.friends + adding >= L.friends) return SNS.FRIEND_LIMIT;
  const friend: NewFriend = { remark: item.Remark ?? '', groups: item.GroupName ? [item.GroupName] : [], source: item.AddSource ?? '', wording: item.AddWording ?? '', addTime: o.now, custom: {} };
  // The peer already has the requester as a friend: nothing to confirm.
  if (!o.force && !(bits & REL.FRIEND_OF)) {
    const allow = allowTypeOf(target);
    if (allow === 'AllowType_Type_DenyAny') return SNS.PEER_DENIES_ALL;
    if (allow === 'AllowType_Type_NeedConfirm') {
      const request = { source: friend.source, wording: friend.wording, remark: friend.remark, group: item.GroupName ?? '', at: o.now };
      const code = await step(() => chain.change(to, { op: 'request', peer: from, direction: 'in', request: { ...request, remark: '', group: '' }, limit: L.pending, now: o.now }));
      if (code !== 0) return code;
      return { peer: to, step: { op: 'request', peer: to, direction: 'out', request, limit: L.pending, now: o.now }, pairs: [], done: SNS.PENDING, adds: false };
    }
  }
  const peerHalf = o.both ? { ...friend, remark: '', groups: [] } : undefined;
  const code = await step(() => chain.change(to, { op: 'link', peer: from, friend: peerHalf, friendOf: true, ...limits(SNS.PEER_FRIEND_LIMIT), now: o.now }));
  if (code !== 0) return code;
  const link: RelationsStep = { op: 'link', peer: to, friend, friendOf: o.both, ...limits(SNS.FRIEND_LIMIT), now: o.now };
  return { peer: to, step: link, pairs: [{ from, to, initiator: from }], done: 0, adds };
}

export type ResponseAction = 'Response_Action_Agree' | 'Response_Action_AgreeAndAdd' | 'Response_Action_Reject';

export interface Response {
  requester: string;
  action: ResponseAction;
  remark: string;
  group: string;
}

/** `me` answers pending requests: per requester 0 or the refusal code. */
export function respond(chain: Chain, me: string, responses: Response[], now: number, header?: ReportHeader): Promise<Codes> {
  return twoSided(chain, me, responses, (r) => r.requester, (r, adding) => requesterHalf(chain, me, r, now, adding), header);
}

async function requesterHalf(chain: Chain, me: string, r: Response, now: number, adding: number): Promise<number | OwnerHalf> {
  const { requester } = r;
  const { flags, friends } = await chain.view(me, [requester]);
  if (!(flags[0] & REL.PENDING_IN)) return SNS.NO_SUCH_REQUEST;
  if (r.action === 'Response_Action_Reject') {
    await chain.change(requester, { op: 'unrequest', peer: me, direction: 'out', now });
    await chain.change(me, { op: 'unrequest', peer: requester, direction: 'in', now });
    return 0;
  }
  const both = r.action === 'Response_Action_AgreeAndAdd';
  const adds = both && !(flags[0] & REL.FRIEND);
  if (adds && friends + adding >= L.friends) return SNS.FRIEND_LIMIT;
  const theirs: NewFriend = { remark: '', groups: [], source: '', wording: '', addTime: now, custom: {} };
  const code = await step(() => chain.change(requester, { op: 'link', peer: me, friend: theirs, fromRequest: true, friendOf: both, ...limits(SNS.PEER_FRIEND_LIMIT), now }));
  if (code !== 0) return code;
  const mine: NewFriend | undefined = both ? { remark: r.remark, groups: r.group ? [r.group] : [], source: '', wording: '', addTime: now, custom: {} } : undefined;
  const pairs = [{ from: requester, to: me, initiator: requester }, ...(both ? [{ from: me, to: requester, initiator: requester }] : [])];
  return { peer: requester, step: { op: 'link', peer: requester, friend: mine, friendOf: true, ...limits(SNS.FRIEND_LIMIT), now }, pairs, done: 0, adds };
}

/** friend_delete of peers: per peer 0, or 31704 when there was nothing to delete. */
export async function deleteFriends(chain: Chain, from: string, peers: string[], both: boolean, now: number, header?: ReportHeader): Promise<Codes> {
  const theirs: ChangeReply[] = [];
  for (const peer of peers) theirs.push(await chain.change(peer, { op: 'unlink', peer: from, friend: both, friendOf: true, now }));
  const codes: Codes = {};
  const halves = peers.map((peer): OwnerHalf => ({ peer, step: { op: 'unlink', peer, friend: true, friendOf: both, now }, pairs: [{ from, to: peer, initiator: '' }], done: 0, adds: false }));
  const mine = await ownerHalves(chain, from, halves, codes, header);
  peers.forEach((peer, i) => (codes[peer] = (mine[i] as ChangeReply | null)?.unfriended || (both && theirs[i].unfriended) ? 0 : SNS.NOT_FRIENDS));
  return codes;
}

/** A withdrawn or declined request, removed from both sides. */
export async function dropRequest(chain: Chain, owner: string, peer: string, direction: 'in' | 'out', now: number): Promise<number> {
  const mine = await chain.change(owner, { op: 'unrequest', peer, direction, now });
  await chain.change(peer, { op: 'unrequest', peer: owner, direction: direction === 'in' ? 'out' : 'in', now });
  return mine.changed ? 0 : SNS.NO_SUCH_REQUEST;
}

/** black_list_add / black_list_delete: the owner's blocklist with its callback, then each peer's reverse index. */
export async function setBlocked(chain: Chain, owner: string, peers: string[], present: boolean, now: number, header?: ReportHeader): Promise<Codes> {
  const codes: Codes = {};
  const halves = peers.map(
    (peer): OwnerHalf => ({ peer, step: present ? { op: 'block', peers: [peer], limit: L.blocked, now } : { op: 'unblock', peers: [peer], now }, pairs: [{ from: owner, to: peer, initiator: '' }], done: 0, adds: false }),
  );
  const replies = await ownerHalves(chain, owner, halves, codes, header);
  peers.forEach((peer, i) => (codes[peer] = (replies[i] as BatchReply | null)?.codes[peer] ?? codes[peer]));
  // A peer already in that state gets its index written again: a crash may have cut the first call short.
  const indexed = present ? peers.filter((p) => codes[p] === 0) : peers;
  await Promise.all(indexed.map((p) => chain.change(p, { op: 'blockedBy', peer: owner, present, now })));
  return codes;
}

export function requireCode(code: number, message: string): void {
  if (code !== 0) throw new DomainError(code, message);
}
