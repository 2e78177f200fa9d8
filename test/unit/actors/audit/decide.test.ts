/** The console audit log: given entries, when a command, then events or a refusal. */
import { expect } from 'chai';
import { AUDIT_CODES, auditKind, CHANGE_COMPLETED, CHANGE_REQUESTED, decide, MAX_OPEN, type AuditEvent, type AuditRequest, type AuditState } from '../../../../actors/audit';
import { DomainError } from '../../../../runtime/kind';

const AT = 1_796_000_000_000;
const change = (over: Partial<AuditRequest> = {}): AuditRequest => ({ at: AT, admin: 'administrator', action: 'account/kick', target: 'bob', fields: ['UserID'], requestId: 'r-1', ...over });
const requested = (entry: number): AuditEvent => ({ type: CHANGE_REQUESTED, data: { entry, ...change() } });
const completed = (entry: number, code = 0): AuditEvent => ({ type: CHANGE_COMPLETED, data: { entry, at: AT, code, info: '' } });
const given = (...events: AuditEvent[]): AuditState => events.reduce(auditKind.evolve, auditKind.initialState(''));
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).code;
  }
  return undefined;
};

describe('audit log decider', () => {
  it('numbers entries from 1 in order', () => {
    expect(decide(given(), { op: 'request', change: change() }).events).to.deep.equal([requested(1)]);
    const d = decide(given(requested(1), completed(1)), { op: 'request', change: change() });
    expect(d.events).to.deep.equal([requested(2)]);
    expect(d.reply).to.deep.equal({ entry: 2 });
  });

  it('records field names, dotted for settings sections', () => {
    const d = decide(given(), { op: 'request', change: change({ action: 'settings', fields: ['login.policy', 'messages.roamingDays'] }) });
    expect((d.events[0].data as { fields: string[] }).fields).to.deep.equal(['login.policy', 'messages.roamingDays']);
  });

  it('refuses anything in the fields that is not a field name (a value has no place in the log)', () => {
    for (const fields of [['token=abc'], ['a b'], ['x'.repeat(65)], [''], ['a.b.c']]) {
      expect(refusal(() => decide(given(), { op: 'request', change: change({ fields }) })), fields[0]).to.equal(AUDIT_CODES.INVALID);
    }
  });

  it('refuses an entry without an administrator, with an unknown action shape or an oversized target', () => {
    expect(refusal(() => decide(given(), { op: 'request', change: change({ admin: '' }) }))).to.equal(AUDIT_CODES.INVALID);
    expect(refusal(() => decide(given(), { op: 'request', change: change({ action: 'Account Kick' }) }))).to.equal(AUDIT_CODES.INVALID);
    expect(refusal(() => decide(given(), { op: 'request', change: change({ target: 'x'.repeat(257) }) }))).to.equal(AUDIT_CODES.INVALID);
  });

  it('completes an open entry once, with its outcome', () => {
    const state = given(requested(1));
    const d = decide(state, { op: 'complete', entry: 1, at: AT, code: 70402, info: 'bad id' });
    expect(d.events).to.deep.equal([{ type: CHANGE_COMPLETED, data: { entry: 1, at: AT, code: 70402, info: 'bad id' } }]);
    const after = d.events.reduce(auditKind.evolve, state);
    expect(refusal(() => decide(after, { op: 'complete', entry: 1, at: AT, code: 0, info: '' }))).to.equal(AUDIT_CODES.NOT_OPEN);
  });

  it('refuses to complete an entry never requested', () => {
    expect(refusal(() => decide(given(requested(1)), { op: 'complete', entry: 2, at: AT, code: 0, info: '' }))).to.equal(AUDIT_CODES.NOT_OPEN);
  });

  it('keeps a bounded list of open entries: those a dead node abandoned are forgotten', () => {
    const state = given(...Array.from({ length: MAX_OPEN + 5 }, (_, i) => requested(i + 1)));
    expect(state.open).to.have.length(MAX_OPEN);
    expect(state.entries).to.equal(MAX_OPEN + 5);
    expect(refusal(() => decide(state, { op: 'complete', entry: 1, at: AT, code: 0, info: '' }))).to.equal(AUDIT_CODES.NOT_OPEN);
  });

  it('answers the last entry number without an event', () => {
    expect(decide(given(requested(1), requested(2)), { op: 'head' })).to.deep.equal({ events: [], reply: { entry: 2 } });
  });

  it('snapshots and restores its state', () => {
    const state = given(requested(1), requested(2), completed(1));
    expect(auditKind.snapshot!.decode(auditKind.snapshot!.encode(state))).to.deep.equal(state);
  });
});
