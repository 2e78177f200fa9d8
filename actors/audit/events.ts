/**
 * Events of an app's console audit log (schemas/audit/*.avsc). A change is recorded in two
 * steps: what an administrator asked for, stored before the change is made (so nothing changes
 * without an entry), then how it ended. Both are filed under the entry's number (index `entry`),
 * so a page of the log is one range of that index.
 */
export const CHANGE_REQUESTED = 'parley.audit.ChangeRequested';
export const CHANGE_COMPLETED = 'parley.audit.ChangeCompleted';

export interface ChangeRequestedData {
  /** 1, 2, 3…: the entry's number in the app's log. */
  entry: number;
  at: number;
  /** The signed-in administrator. */
  admin: string;
  /** The console resource written, e.g. `account/kick`, `settings`, `callback`. */
  action: string;
  /** What it acts on: a user, a group, a conversation's message, or the app. */
  target: string;
  /** Names of the fields the request set (dotted for settings sections), never their values. */
  fields: string[];
  requestId: string;
}

export interface ChangeCompletedData {
  entry: number;
  at: number;
  /** 0: done; otherwise the ErrorCode the console answered (nothing was changed). */
  code: number;
  info: string;
}

export interface ChangeRequested {
  type: typeof CHANGE_REQUESTED;
  data: ChangeRequestedData;
}

export interface ChangeCompleted {
  type: typeof CHANGE_COMPLETED;
  data: ChangeCompletedData;
}

export type AuditEvent = ChangeRequested | ChangeCompleted;
