/**
 * The console's pages for accounts, groups and messages run Tencent REST commands, through
 * the same command table and `dispatchCommand` as `/v4/…`, with the signed-in administrator
 * as the caller: every rule (IDs, limits, permissions, error codes) stays the command's own,
 * and nothing here re-validates a field. A refusal keeps the command's ErrorCode and text.
 */
import type { ServiceBroker } from 'moleculer';
import { commandTable, type Caller } from '../commands/commands';
import { dispatchCommand } from '../commands/dispatch';
import { REST, Refusal, type Admin } from '../rest/admin-auth';

/** A command that answered with an error: the console shows its code and text (HTTP 422). */
export class CommandRefused extends Error {
  readonly data: { code: number };
  constructor(code: number, info: string) {
    super(info);
    this.data = { code };
  }
}

/** Tencent's "not served" (60002, as /v4 answers an unknown command): a node without that context. */
const NOT_SERVED = 60002;

export type Answer = Record<string, unknown>;

export async function runCommand(broker: ServiceBroker, admin: Admin, command: string, body: Answer, requestId: string): Promise<Answer> {
  const entry = commandTable(broker).get(command);
  if (!entry) throw new CommandRefused(NOT_SERVED, `${command} is not served by this cluster`);
  const caller: Caller = { kind: 'admin', id: admin.identifier };
  const outcome = await dispatchCommand(broker, entry, admin.app.sdkAppId, caller, body, requestId);
  if (!outcome.ok) throw new CommandRefused(outcome.code, outcome.info);
  const result = (outcome.result ?? {}) as Answer;
  // Some commands answer per item or with a top-level code inside a successful call.
  if (typeof result.ErrorCode === 'number' && result.ErrorCode !== 0) throw new CommandRefused(result.ErrorCode, String(result.ErrorInfo ?? 'refused'));
  return result;
}

/** The one item of a per-item answer (account_check, account_delete…), refused with its own code. */
export function onlyItem(result: Answer, list: string): Answer {
  const item = (result[list] as Answer[] | undefined)?.[0];
  if (!item) throw new CommandRefused(NOT_SERVED, `the answer has no ${list}`);
  const code = item.ResultCode ?? item.ErrorCode;
  if (typeof code === 'number' && code !== 0) throw new CommandRefused(code, String(item.ResultInfo ?? item.ErrorInfo ?? 'refused'));
  return item;
}

/** A single ID from the query string; the command itself checks what an ID may hold. */
export function idParam(query: URLSearchParams, name: string): string {
  const values = query.getAll(name);
  if (values.length !== 1) throw new Refusal(REST.BAD_URL, `give one ${name}= in the query`);
  return values[0];
}
