/**
 * The daily group quota's decider: places up to the quota then 10036, the alarm once per
 * crossing of 70%, give-backs and disbandings (written by the groups into the stream) freeing places.
 */
import { expect } from 'chai';
import { GROUPS_COUNTED, groupQuotaKind, quotaDay, type GroupQuotaCommand, type GroupQuotaEvent, type GroupQuotaState } from '../../../../actors/groupquota';
import { DomainError } from '../../../../runtime/kind';

const NOW = 1_796_000_000_000;
const take = (quota: number): GroupQuotaCommand => ({ op: 'take', groupId: '', quota, now: NOW });
const run = (s: GroupQuotaState, c: GroupQuotaCommand) => groupQuotaKind.decide(s, c).events.reduce(groupQuotaKind.evolve, s);
const code = (s: GroupQuotaState, c: GroupQuotaCommand) => {
  try {
    groupQuotaKind.decide(s, c);
    return 0;
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('group quota decider', () => {
  it('takes places up to the quota, then refuses with 10036 and stores nothing', () => {
    let s = groupQuotaKind.initialState('1400000000:20261203');
    for (let i = 0; i < 3; i++) s = run(s, take(3));
    expect(s.used).to.equal(3);
    expect(code(s, take(3))).to.equal(10036);
    // A larger quota (the app changed it) lets the day go on; 0 judges nothing.
    expect(code(s, take(4))).to.equal(0);
    expect(code(s, take(0))).to.equal(0);
  });

  it('alarms when a create takes the count past 70%, once per crossing', () => {
    let s = groupQuotaKind.initialState('1:d');
    const alarms: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const [e] = groupQuotaKind.decide(s, take(10)).events;
      if (e.data.alarm) alarms.push(i);
      s = groupQuotaKind.evolve(s, e);
    }
    // 7 of 10 is 70%, not past it: the 8th create alarms, and only it.
    expect(alarms).to.deep.equal([8]);
    // Three disbandings bring the day back to 7 (not past 70%): the next create alarms again.
    const disbanded: GroupQuotaEvent = { type: GROUPS_COUNTED, data: { delta: -1, reason: 'destroy', groupId: 'g', quota: 0, alarm: false, at: NOW } };
    s = groupQuotaKind.evolve(groupQuotaKind.evolve(groupQuotaKind.evolve(s, disbanded), disbanded), disbanded);
    expect(s.used).to.equal(7);
    expect(groupQuotaKind.decide(s, take(10)).events[0].data.alarm).to.equal(true);
  });

  it('gives a failed create’s place back', () => {
    const s = run(run(groupQuotaKind.initialState('1:d'), take(1)), { op: 'release', groupId: '', now: NOW });
    expect(s.used).to.equal(0);
    expect(code(s, take(1))).to.equal(0);
  });

  it('counts days in the statistics’ zone: the same instant is another day east of UTC', () => {
    const lateUtc = Date.UTC(2026, 11, 3, 23, 30);
    expect([quotaDay(lateUtc, 0), quotaDay(lateUtc, 480), quotaDay(lateUtc, -60)]).to.deep.equal(['20261203', '20261204', '20261203']);
  });
});
