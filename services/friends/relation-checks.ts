/**
 * friend_check and black_list_check (both directions come from one view of the owner's chain),
 * and black_list_add / black_list_delete with their per-account result codes.
 */
import { DomainError } from '../../runtime/kind';
import { REL, SNS } from '../../actors/relations';
import { isValidUserId } from '../../actors/apps/settings/limits';
import type * as b from './bodies';
import { nowSec, results, type P } from './common';
import { BLOCK_ADD, BLOCK_DELETE, reportHeader } from './callbacks';
import { setBlocked } from './saga';
import type { FriendsService } from './types';

const CHECK = {
  friend: { single: 'CheckResult_Type_Single', none: 'CheckResult_Type_NoRelation', a: 'CheckResult_Type_AWithB', b: 'CheckResult_Type_BWithA', both: 'CheckResult_Type_BothWay' },
  block: { single: 'BlackCheckResult_Type_Single', none: 'BlackCheckResult_Type_NO', a: 'BlackCheckResult_Type_AWithB', b: 'BlackCheckResult_Type_BWithA', both: 'BlackCheckResult_Type_BothWay' },
};

/** friend_check / black_list_check from one view of the owner's chain: both directions are in it. */
function relations(kind: 'friend' | 'block', ids: string[], flags: number[], type: string) {
  const names = CHECK[kind];
  const [mine, theirs] = kind === 'friend' ? [REL.FRIEND, REL.FRIEND_OF] : [REL.BLOCKED, REL.BLOCKED_BY];
  const single = type === names.single;
  const items = ids.map((To_Account, i) => {
    const a = (flags[i] & mine) !== 0;
    const b2 = !single && (flags[i] & theirs) !== 0;
    const Relation = a && b2 ? names.both : a ? names.a : b2 ? names.b : names.none;
    return { To_Account, Relation, ResultCode: 0, ResultInfo: '' };
  });
  return items;
}

export async function check(svc: FriendsService, ctx: P<b.CheckBody>, kind: 'friend' | 'block') {
  const { chain, owner } = await svc.owner(ctx);
  const type = ctx.params.body.CheckType ?? CHECK[kind].single;
  if (type !== CHECK[kind].single && type !== CHECK[kind].both.replace('BothWay', 'Both')) throw new DomainError(SNS.INVALID, `CheckType is ${CHECK[kind].single} or its _Both twin`);
  const ids = ctx.params.body.To_Account;
  const { flags } = await chain.view(owner, ids);
  const items = relations(kind, ids, flags, type);
  return kind === 'friend' ? { InfoItem: items, Fail_Account: [] } : { BlackListCheckItem: items, Fail_Account: [] };
}

export async function block(svc: FriendsService, ctx: P<b.AccountsBody>, present: boolean) {
  const { chain, owner } = await svc.owner(ctx);
  const ids = [...new Set(ctx.params.body.To_Account)];
  const valid: string[] = [];
  const codes: Record<string, number> = {};
  for (const id of ids) {
    if (id === owner || !isValidUserId(id)) codes[id] = SNS.INVALID;
    else if (present && !(await chain.user(id)).imported) codes[id] = SNS.NO_SUCH_USER;
    else valid.push(id);
  }
  const header = reportHeader(svc.broker, ctx.params.app, present ? BLOCK_ADD : BLOCK_DELETE, ctx.params.caller);
  Object.assign(codes, await setBlocked(chain, owner, valid, present, nowSec(), header));
  return results(codes, ids);
}
