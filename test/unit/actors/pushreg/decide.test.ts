/**
 * A user's push registration and the push queue: given events, when command, then events or
 * Tencent's all_member_push codes; and what a push says (job.ts) for the seed's elements.
 */
import { expect } from 'chai';
import { decide, PUSH_CODES, TAGS_SET, DEVICE_REGISTERED, DEVICES_REMOVED, type PushregEvent } from '../../../../actors/pushreg';
import { evolve, initialState } from '../../../../actors/pushreg/state';
import { pushqKind, QUEUED, SENT, DONE, type PushqEvent } from '../../../../actors/pushq';
import { jobOf } from '../../../../services/push/job';
import { inQuietHours } from '../../../../services/push/targets';
import { DomainError } from '../../../../runtime/kind';

const NOW = 1_796_000_000_000;
const given = (events: PushregEvent[]) => events.reduce(evolve, initialState());
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 0;
};
const device = (instId: string, token: string) => ({ instId, platform: 'iPhone', provider: 'apns' as const, token, brand: 0, businessId: 0, at: NOW });

describe('push registration decider', () => {
  it('moves a token registered again under another device there', () => {
    const s = given([{ type: DEVICE_REGISTERED, data: device('a', 't1') }, { type: DEVICE_REGISTERED, data: device('b', 't1') }]);
    expect(Object.keys(s.devices)).to.deep.equal(['b']);
  });

  it('removes the device holding a token the provider called gone, and nothing else', () => {
    const s = given([{ type: DEVICE_REGISTERED, data: device('a', 't1') }, { type: DEVICE_REGISTERED, data: device('b', 't2') }]);
    const { events } = decide(s, { op: 'remove', token: 't2', reason: 'unregistered', now: NOW });
    expect(events).to.deep.equal([{ type: DEVICES_REMOVED, data: { instIds: ['b'], reason: 'unregistered', at: NOW } }]);
  });

  it('adds tags once each and refuses an eleventh (90032), an empty one (90040) and one over 50 bytes (90020)', () => {
    const s = given([{ type: TAGS_SET, data: { tags: ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'], at: NOW } }]);
    expect(decide(s, { op: 'addTags', tags: ['t0', 't9'], now: NOW }).events).to.have.length(1);
    expect(codeOf(() => decide(s, { op: 'addTags', tags: ['t9', 't10'], now: NOW }))).to.equal(PUSH_CODES.TOO_MANY_TAGS);
    expect(codeOf(() => decide(s, { op: 'addTags', tags: [''], now: NOW }))).to.equal(PUSH_CODES.EMPTY_TAG);
    expect(codeOf(() => decide(s, { op: 'addTags', tags: ['x'.repeat(51)], now: NOW }))).to.equal(PUSH_CODES.TAG_TOO_LONG);
  });

  it('refuses an attribute the app has not named (90033)', () => {
    expect(codeOf(() => decide(initialState(), { op: 'setAttrs', attrs: { city: 'x' }, names: ['sex'], now: NOW }))).to.equal(PUSH_CODES.BAD_ATTR);
    const s = evolve(initialState(), decide(initialState(), { op: 'setAttrs', attrs: { sex: 'f' }, names: ['sex'], now: NOW }).events[0]);
    expect(s.attrs).to.deep.equal({ sex: 'f' });
  });
});

describe('push queue decider', () => {
  const q = (events: PushqEvent[]) => events.reduce(pushqKind.evolve, pushqKind.initialState('1:0'));

  it('numbers items written by other actors in stream order and never lists a device twice', () => {
    const s = q([
      { type: QUEUED, data: { id: 0, users: ['bob'], job: '{}', at: NOW } },
      { type: QUEUED, data: { id: 0, users: ['carol'], job: '{}', at: NOW } },
      { type: SENT, data: { id: 2, devices: ['carol/p'], at: NOW } },
    ]);
    expect([...s.pending.keys()]).to.deep.equal([1, 2]);
    expect(pushqKind.decide(s, { op: 'sent', id: 2, devices: ['carol/p'], now: NOW }).events).to.deep.equal([]);
    const { events, reply } = pushqKind.decide(s, { op: 'pending', limit: 10, done: [1], now: NOW });
    expect(events).to.deep.equal([{ type: DONE, data: { ids: [1], at: NOW } }]);
    expect((reply as { items: { item: { id: number } }[] }).items.map((p) => p.item.id)).to.deep.equal([2]);
  });
});

describe('what a push says', () => {
  const base = { kind: 'c2c' as const, from: 'alice', fromNick: 'Alice', conv: 'alice', seq: 1, msgKey: 'k', offlinePush: null, ttlSec: 0, sentAt: NOW };
  const body = (...elements: object[]) => JSON.stringify(elements);

  it('summarises elements with the seed\'s push texts', () => {
    expect(jobOf({ ...base, body: body({ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi ' } }, { MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } }) })).to.include({ title: 'Alice', desc: 'hi [Face]' });
    expect(jobOf({ ...base, body: body({ MsgType: 'TIMLocationElem', MsgContent: { Latitude: 1, Longitude: 2 } }) })!.desc).to.equal('[Location]');
  });

  it('makes no push of a custom element without Desc unless OfflinePushInfo.Desc says what to show', () => {
    const custom = body({ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } });
    expect(jobOf({ ...base, body: custom })).to.equal(undefined);
    expect(jobOf({ ...base, body: custom, offlinePush: '{"Desc":"New order"}' })!.desc).to.equal('New order');
  });

  it('honours PushFlag 1 and BadgeMode 1', () => {
    const text = body({ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } });
    expect(jobOf({ ...base, body: text, offlinePush: '{"PushFlag":1}' })).to.equal(undefined);
    expect(jobOf({ ...base, body: text, offlinePush: '{"ApnsInfo":{"BadgeMode":1}}' })!.noBadge).to.equal(true);
  });

  it('reads quiet hours: an absolute window, a daily one across midnight, and "always"', () => {
    expect(inQuietHours({ level: 2, startTime: 100, endTime: 200, repeated: false }, 150)).to.equal(true);
    expect(inQuietHours({ level: 2, startTime: 100, endTime: 200, repeated: false }, 250)).to.equal(false);
    expect(inQuietHours({ level: 1, startTime: 22 * 3600, endTime: 7 * 3600, repeated: true }, 86_400 * 5 + 3600)).to.equal(true);
    expect(inQuietHours({ level: 1, startTime: 22 * 3600, endTime: 7 * 3600, repeated: true }, 86_400 * 5 + 12 * 3600)).to.equal(false);
    expect(inQuietHours({ level: 2, startTime: 0, endTime: 0, repeated: false }, 1)).to.equal(true);
    expect(inQuietHours({ level: 0, startTime: 0, endTime: 0, repeated: false }, 1)).to.equal(false);
  });
});
