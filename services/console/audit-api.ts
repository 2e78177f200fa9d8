/**
 * The console's audit log: every write the console makes is recorded in the app's audit log
 * (services/audit) before it is made, and its outcome after, both before the console answers;
 * if the log cannot take the entry, nothing is changed. An entry names the administrator, the
 * resource, its target and the names of the fields sent, never their values (a callback
 * token, a setting), so the log may be shown to anyone who may read the console.
 * GET /console/api/audit[?before=N][&limit=M] reads it, newest first.
 */
import type { ServiceBroker } from 'moleculer';
import { auditPage, completeChange, MAX_AUDIT_PAGE, requestChange, type AuditEntry } from '../audit/client';
import { REST, Refusal, type Admin } from '../rest/admin-auth';
import type { Answer } from './commands-api';

const INTERNAL = 70500;
const MAX_TARGET = 256;
const PAGE = 20;

/** What a write acts on, as the log shows it: a user, a group, a message, or the app itself. */
function targetOf(resource: string, body: Answer, sdkAppId: number): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
  if (resource === 'account/import' && Array.isArray(body.Accounts)) return `${body.Accounts.length} accounts: ${body.Accounts.map(text).join(', ')}`;
  if (resource.startsWith('account/')) return text(body.UserID);
  if (resource === 'group/mute') return `${text(body.GroupId)}: ${Array.isArray(body.Members_Account) ? body.Members_Account.map(text).join(', ') : text(body.Members_Account)}`;
  if (resource.startsWith('group/')) return text(body.GroupId);
  if (resource === 'apps/create') return 'a new app';
  if (resource === 'apps/rotate') return `app ${text(body.SdkAppId)}`;
  if (resource.startsWith('messages/')) return `${text(body.From_Account)} > ${text(body.To_Account)}: ${text(body.MsgKey)}`;
  return `app ${sdkAppId}`;
}

/** The names of the fields a write sets: a settings section's fields (or a push provider's) as `section.field`. */
function fieldsOf(resource: string, body: Answer): string[] {
  if (resource !== 'settings' && resource !== 'push') return Object.keys(body);
  return Object.entries(body).flatMap(([section, fields]) =>
    fields !== null && typeof fields === 'object' && !Array.isArray(fields) && Object.keys(fields).length > 0 ? Object.keys(fields).map((f) => `${section}.${f}`) : [section],
  );
}

/** The ErrorCode the console answers for `err`, as http.ts maps it. */
function codeOf(err: unknown): number {
  // A Moleculer error's own `code` is an HTTP status; the Tencent code is in data.code.
  const data = (err as { data?: { code?: unknown } }).data;
  if (data && typeof data.code === 'number') return data.code;
  return err instanceof Refusal ? err.code : INTERNAL;
}

/** Runs a console write between its audit entry and the entry's outcome. */
export async function audited(broker: ServiceBroker, admin: Admin, requestId: string, resource: string, body: Answer, work: () => Promise<Answer>): Promise<Answer> {
  const app = admin.app.sdkAppId;
  const entry = await requestChange(broker, {
    app, admin: admin.identifier, action: resource, target: targetOf(resource, body, app).slice(0, MAX_TARGET), fields: fieldsOf(resource, body), requestId,
  });
  let answer: Answer;
  try {
    answer = await work();
  } catch (err) {
    await completeChange(broker, { app, entry, code: codeOf(err), info: err instanceof Error ? err.message : String(err) }).catch((e) => broker.logger.error(`console request ${requestId}: audit entry ${entry}'s outcome not stored:`, e));
    throw err;
  }
  // The change is made: a lost outcome must not turn the answer into a failure (the entry shows it unfinished).
  await completeChange(broker, { app, entry, code: 0, info: '' }).catch((e) => broker.logger.error(`console request ${requestId}: audit entry ${entry}'s outcome not stored:`, e));
  return answer;
}

/** GET audit: a page of the app's audit log, newest first. */
export async function auditAnswer(broker: ServiceBroker, admin: Admin, query: URLSearchParams): Promise<Answer> {
  const before = wholeParam(query, 'before');
  const limit = wholeParam(query, 'limit') ?? PAGE;
  if (before === 0 || limit < 1 || limit > MAX_AUDIT_PAGE) throw new Refusal(REST.BAD_URL, `before must be at least 1 and limit 1 to ${MAX_AUDIT_PAGE}`);
  const page = await auditPage(broker, { app: admin.app.sdkAppId, limit, ...(before === undefined ? {} : { before }) });
  return { Entries: page.entries.map(view), Total: page.total, ...(page.next === undefined ? {} : { Next: page.next }) };
}

function view(e: AuditEntry): Answer {
  return {
    Entry: e.entry, Time: e.at, Admin: e.admin, Action: e.action, Target: e.target, Fields: e.fields, RequestId: e.requestId,
    ...(e.outcome ? { ErrorCode: e.outcome.code, ErrorInfo: e.outcome.info, DoneTime: e.outcome.at } : {}),
  };
}

function wholeParam(query: URLSearchParams, name: string): number | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1 || !/^\d{1,9}$/.test(values[0])) throw new Refusal(REST.BAD_URL, `${name} must be one whole number`);
  return Number(values[0]);
}
