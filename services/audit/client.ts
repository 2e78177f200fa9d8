/**
 * How the console uses the audit context: record a change before making it, its outcome
 * after, and read the log a page at a time.
 */
import type { ServiceBroker } from 'moleculer';
import type { AuditReply } from '../../actors/audit';
import type { AuditCompleteParams, AuditListParams, AuditPage, AuditRequestParams } from './types';

export const AUDIT_SERVICE = 'audit';
export { MAX_AUDIT_PAGE, type AuditEntry, type AuditPage } from './types';

export async function requestChange(broker: ServiceBroker, change: AuditRequestParams): Promise<number> {
  return (await broker.call<AuditReply, AuditRequestParams>(`${AUDIT_SERVICE}.request`, change, { requestID: change.requestId })).entry;
}

export async function completeChange(broker: ServiceBroker, done: AuditCompleteParams): Promise<void> {
  await broker.call<AuditReply, AuditCompleteParams>(`${AUDIT_SERVICE}.complete`, done);
}

export function auditPage(broker: ServiceBroker, query: AuditListParams): Promise<AuditPage> {
  return broker.call<AuditPage, AuditListParams>(`${AUDIT_SERVICE}.list`, query);
}
