/**
 * Rules of an app's console audit log: an entry names who, what and on what, with field names
 * only; an entry completes once, and only an entry that was requested.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { CHANGE_COMPLETED, CHANGE_REQUESTED, type AuditEvent, type ChangeRequestedData } from './events';
import type { AuditState } from './state';

/** 70402: Tencent's "invalid parameter"; 70500: an internal error (a completion out of order). */
export const AUDIT_CODES = { INVALID: 70402, NOT_OPEN: 70500 } as const;

/** A field name as the console writes them: `roamingDays`, `login.policy`, `Tag_Profile_IM_Nick`. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63})?$/;
const ACTION = /^[a-z][a-z/]{0,63}$/;
const MAX_FIELDS = 64;
const MAX_TARGET = 256;
const MAX_INFO = 256;

export type AuditRequest = Omit<ChangeRequestedData, 'entry'>;

export type AuditCommand =
  | { op: 'request'; change: AuditRequest }
  | { op: 'complete'; entry: number; at: number; code: number; info: string }
  | { op: 'head' };

export interface AuditReply {
  /** The entry requested or completed; for `head`, the last entry's number. */
  entry: number;
}

export function decide(state: AuditState, command: AuditCommand): Decision<AuditEvent, AuditReply> {
  switch (command.op) {
    case 'request': {
      const { change } = command;
      if (change.admin === '') throw new DomainError(AUDIT_CODES.INVALID, 'an audit entry names its administrator');
      if (!ACTION.test(change.action)) throw new DomainError(AUDIT_CODES.INVALID, `'${change.action}' is not a console action`);
      if (change.target.length > MAX_TARGET) throw new DomainError(AUDIT_CODES.INVALID, `an audit target is at most ${MAX_TARGET} characters`);
      if (change.fields.length > MAX_FIELDS) throw new DomainError(AUDIT_CODES.INVALID, `an audit entry names at most ${MAX_FIELDS} fields`);
      // Names only: a value (a token, a key) has no place here, and a name shaped like one is refused.
      const bad = change.fields.find((f) => !FIELD_NAME.test(f));
      if (bad !== undefined) throw new DomainError(AUDIT_CODES.INVALID, 'audit fields are field names');
      const entry = state.entries + 1;
      return { events: [{ type: CHANGE_REQUESTED, data: { entry, ...change } }], reply: { entry } };
    }
    case 'complete': {
      if (!state.open.includes(command.entry)) throw new DomainError(AUDIT_CODES.NOT_OPEN, `audit entry ${command.entry} is not open`);
      const data = { entry: command.entry, at: command.at, code: command.code, info: command.info.slice(0, MAX_INFO) };
      return { events: [{ type: CHANGE_COMPLETED, data }], reply: { entry: command.entry } };
    }
    case 'head':
      return { events: [], reply: { entry: state.entries } };
    default: {
      const never: never = command;
      throw new Error(`unknown audit command ${JSON.stringify(never)}`);
    }
  }
}
