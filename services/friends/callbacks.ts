/**
 * The relationship chain's after-callbacks (Sns.CallbackFriendAdd, …FriendDelete,
 * …BlackListAdd, …BlackListDelete). A request's last step, the owner's half of every target
 * in one append (actors/relations/many.ts), records a ChangeReported event when the app wants
 * the callback; the friends service turns it into an outbox item in that same transaction.
 */
import type { ServiceBroker } from 'moleculer';
import type { ChangeReported, ReportHeader } from '../../actors/relations';
import { viaOf, type Caller } from '../commands/commands';
import { wantsCallback, type AfterParams } from '../webhooks/client';

export const FRIEND_ADD = 'Sns.CallbackFriendAdd';
export const FRIEND_DELETE = 'Sns.CallbackFriendDelete';
export const BLOCK_ADD = 'Sns.CallbackBlackListAdd';
export const BLOCK_DELETE = 'Sns.CallbackBlackListDelete';

/** The header of the callback a request reports, or undefined when the app does not want it. */
export function reportHeader(broker: ServiceBroker, app: number, command: string, caller: Caller, more: Partial<Pick<ReportHeader, 'clientCmd' | 'force'>> = {}): ReportHeader | undefined {
  if (!wantsCallback(broker, app, command)) return undefined;
  return { command, clientCmd: '', force: false, ...more, admin: caller.kind === 'admin' ? caller.id : '', ...viaOf(caller) };
}

/** The after-callback of a recorded report, as Tencent's documentation words it. */
export function snsAfter(app: number, owner: string, r: ChangeReported['data']): AfterParams {
  const friendAdd = r.command === FRIEND_ADD;
  const PairList = r.pairs.map((p) => (friendAdd ? { From_Account: p.from, To_Account: p.to, Initiator_Account: p.initiator } : { From_Account: p.from, To_Account: p.to }));
  const body = friendAdd ? { PairList, ClientCmd: r.clientCmd, Admin_Account: r.admin, ForceFlag: r.force ? 1 : 0 } : { PairList };
  return { app, command: r.command, body, orderKey: owner, platform: r.platform || undefined, clientIp: r.clientIp };
}
