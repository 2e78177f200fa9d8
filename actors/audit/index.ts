import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type AuditCommand, type AuditReply } from './decide';
import type { AuditEvent } from './events';
import { evolve, initialState, type AuditState } from './state';

export * from './decide';
export * from './events';
export type { AuditState } from './state';
export { MAX_OPEN } from './state';

/**
 * An app's console audit log, key `<sdkAppId>`: one activation numbers the entries in order
 * across nodes; the entries themselves are read back from the log by their index.
 */
export const auditKind: ActorKind<AuditState, AuditCommand, AuditEvent, AuditReply> = {
  name: 'audit',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<AuditState>('audit.v1'),
};

export const auditKey = (sdkAppId: number) => String(sdkAppId);
export const auditStream = (sdkAppId: number) => `audit:${auditKey(sdkAppId)}`;
