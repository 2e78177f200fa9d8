/**
 * Whose data a command reads or writes. A logged-in SDK user always acts as themself, whatever
 * the body's From_Account says; an app administrator (REST) names the account in the body.
 */
import type { Caller } from './commands';

export function subjectOf(caller: Caller, bodyAccount: unknown, invalidCode: number): string {
  if (caller.kind === 'user') return caller.id;
  if (typeof bodyAccount !== 'string' || bodyAccount === '') {
    throw Object.assign(new Error('From_Account is required'), { data: { code: invalidCode } });
  }
  return bodyAccount;
}
