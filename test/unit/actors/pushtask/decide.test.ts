/**
 * all_member_push tasks: given events, when command, then events or Tencent's codes — the 1 s
 * interval (90024), the daily quota (90047), the Condition's limits, and the progress a
 * restarted runner resumes from.
 */
import { expect } from 'chai';
import { decide, matches, TASK_CODES, TASK_CREATED, TASK_FINISHED, TASK_PROGRESSED, type PushCondition, type PushtaskCommand, type PushtaskEvent } from '../../../../actors/pushtask';
import { evolve, initialState } from '../../../../actors/pushtask/state';
import type { DomainError } from '../../../../runtime/kind';

const DAY = 86_400_000;
const NOW = 20_000 * DAY + 3_600_000;
const given = (events: PushtaskEvent[]) => events.reduce(evolve, initialState());
const created = (taskId: string, at: number): PushtaskEvent => ({ type: TASK_CREATED, data: { taskId, from: 'admin', message: '{}', condition: '{}', at } });
const create = (taskId: string, now: number, condition: PushCondition = {}, extra: Partial<PushtaskCommand> = {}): PushtaskCommand =>
  ({ op: 'create', taskId, from: 'admin', message: '{}', condition, attrNames: ['city', 'sex'], now, ...extra }) as PushtaskCommand;
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 0;
};

describe('push-to-all task decider', () => {
  it('accepts a task and records it as running from the start of the account directory', () => {
    const { events } = decide(initialState(), create('t1', NOW, { TagsOr: ['vip'] }));
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ type: TASK_CREATED });
    const state = given(events);
    expect(state.running.t1).to.include({ afterPosition: 0, sent: 0, condition: '{"TagsOr":["vip"]}' });
  });

  it('refuses a second task within one second with 90024, and accepts it a second later', () => {
    const state = given([created('t1', NOW)]);
    expect(codeOf(() => decide(state, create('t2', NOW + 999)))).to.equal(TASK_CODES.TOO_FREQUENT);
    expect(decide(state, create('t2', NOW + 1000)).events).to.have.length(1);
  });

  it('refuses the 101st task of a day with 90047, and accepts tasks again the next day', () => {
    const state = given(Array.from({ length: 100 }, (_, i) => created(`t${i}`, NOW + i * 1000)));
    expect(state.dayCount).to.equal(100);
    expect(codeOf(() => decide(state, create('late', NOW + 200_000)))).to.equal(TASK_CODES.DAILY_QUOTA);
    expect(decide(state, create('tomorrow', NOW + DAY)).events).to.have.length(1);
  });

  it('follows a configured daily limit', () => {
    const state = given([created('t1', NOW), created('t2', NOW + 1000)]);
    expect(codeOf(() => decide(state, create('t3', NOW + 5000, {}, { dailyLimit: 2 })))).to.equal(TASK_CODES.DAILY_QUOTA);
  });

  const conditions: [string, PushCondition, number][] = [
    ['tags and attributes mixed', { TagsOr: ['a'], AttrsAnd: { city: 'x' } }, TASK_CODES.MIXED],
    ['a duplicate tag', { TagsAnd: ['a', 'a'] }, TASK_CODES.DUPLICATE_TAG],
    ['more than 10 tags', { TagsOr: Array.from({ length: 11 }, (_, i) => `t${i}`) }, TASK_CODES.TOO_MANY_TAGS],
    ['a tag over 50 bytes', { TagsOr: ['é'.repeat(26)] }, TASK_CODES.TAG_TOO_LONG],
    ['an empty tag', { TagsOr: [''] }, TASK_CODES.EMPTY_TAG],
    ['an attribute the app did not name', { AttrsOr: { age: '3' } }, TASK_CODES.BAD_ATTR],
    ['an attribute value over 50 bytes', { AttrsOr: { city: 'x'.repeat(51) } }, TASK_CODES.BAD_ATTR],
  ];
  for (const [what, condition, code] of conditions) {
    it(`refuses a condition with ${what} (${code}) and writes nothing`, () => {
      expect(codeOf(() => decide(initialState(), create('t', NOW, condition)))).to.equal(code);
    });
  }

  it('records progress forward only, and forgets a finished task', () => {
    let state = given([created('t1', NOW)]);
    const step = decide(state, { op: 'progress', taskId: 't1', afterPosition: 40, sent: 500, now: NOW + 1 }).events;
    expect(step.map((e) => e.type)).to.deep.equal([TASK_PROGRESSED]);
    state = given([created('t1', NOW), ...step]);
    expect(state.running.t1).to.include({ afterPosition: 40, sent: 500 });
    expect(decide(state, { op: 'progress', taskId: 't1', afterPosition: 40, sent: 500, now: NOW + 2 }).events).to.deep.equal([]);
    const done = decide(state, { op: 'finish', taskId: 't1', sent: 700, now: NOW + 3 }).events;
    expect(done.map((e) => e.type)).to.deep.equal([TASK_FINISHED]);
    expect(given([created('t1', NOW), ...step, ...done]).running).to.deep.equal({});
  });

  it('selects users by TagsOr, TagsAnd, AttrsOr and AttrsAnd', () => {
    const user = { tags: ['vip', 'beta'], attrs: { city: 'sz', sex: 'f' } };
    expect(matches({}, user)).to.equal(true);
    expect(matches({ TagsOr: ['x', 'vip'] }, user)).to.equal(true);
    expect(matches({ TagsOr: ['x'] }, user)).to.equal(false);
    expect(matches({ TagsAnd: ['vip', 'beta'] }, user)).to.equal(true);
    expect(matches({ TagsAnd: ['vip', 'x'] }, user)).to.equal(false);
    expect(matches({ AttrsOr: { city: 'bj', sex: 'f' } }, user)).to.equal(true);
    expect(matches({ AttrsAnd: { city: 'bj', sex: 'f' } }, user)).to.equal(false);
  });
});
