/**
 * The console's messages page: a one-to-one conversation's history as the administrator sees
 * it (openim/admin_getroammsg, read as the first account, paged backwards by LastMsgKey) and
 * recalling one of its messages (openim/admin_msgwithdraw), both run by commands-api.ts.
 */
import type { ServiceBroker } from 'moleculer';
import type { Admin } from '../rest/admin-auth';
import { idParam, runCommand, type Answer } from './commands-api';

const PAGE = 50;

export async function historyAnswer(broker: ServiceBroker, admin: Admin, query: URLSearchParams, requestId: string): Promise<Answer> {
  const body: Answer = { Operator_Account: idParam(query, 'account'), Peer_Account: idParam(query, 'peer'), MaxCnt: PAGE, MinTime: 0, MaxTime: Math.floor(Date.now() / 1000) + 60 };
  const before = query.get('before');
  if (before) body.LastMsgKey = before;
  const page = await runCommand(broker, admin, 'openim/admin_getroammsg', body, requestId);
  return { Messages: page.MsgList ?? [], Complete: page.Complete === 1, LastMsgKey: page.LastMsgKey ?? '' };
}

/** POST messages/recall, body `{ From_Account, To_Account, MsgKey }`. */
export async function recallMessage(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  await runCommand(broker, admin, 'openim/admin_msgwithdraw', { From_Account: body.From_Account, To_Account: body.To_Account, MsgKey: body.MsgKey }, requestId);
  return { MsgKey: body.MsgKey };
}
