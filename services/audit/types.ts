/** The audit context's action params and answers, shared by the service, its client and the console. */
import type { ChangeRequestedData } from '../../actors/audit';

/** Largest page of the log. */
export const MAX_AUDIT_PAGE = 100;

export interface AuditRequestParams {
  app: number;
  admin: string;
  action: string;
  target: string;
  fields: string[];
  requestId: string;
}
export interface AuditCompleteParams {
  app: number;
  entry: number;
  code: number;
  info: string;
}
export interface AuditListParams {
  app: number;
  /** Entries numbered below this one (the previous page's `next`); absent: the newest. */
  before?: number;
  limit: number;
}

export interface AuditEntry extends ChangeRequestedData {
  /** Absent while the change runs, or when the node making it stopped before it ended. */
  outcome?: { code: number; info: string; at: number };
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Entries in the app's log. */
  total: number;
  /** `before` of the next (older) page; absent on the last page. */
  next?: number;
}

