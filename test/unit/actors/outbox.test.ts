import { expect } from 'chai';
import { decide, ENQUEUED, outboxKind, type OutboxEvent, type OutboxItem } from '../../../actors/outbox';

const item = (orderKey: string, id = 0): OutboxItem => ({ id, command: 'C2C.CallbackAfterSendMsg', orderKey, body: '{}', platform: 'RESTAPI', clientIp: '', at: 1 });
const enqueued = (i: OutboxItem): OutboxEvent => ({ type: ENQUEUED, data: i });

describe('outbox actor', () => {
  it('numbers items written by other actors (id 0) in stream order, after its own', () => {
    let s = outboxKind.initialState('1:0');
    const own = decide(s, { op: 'enqueue', items: [item('a'), item('a')], now: 1 });
    for (const e of own.events) s = outboxKind.evolve(s, e);
    s = outboxKind.evolve(s, enqueued(item('b')));
    s = outboxKind.evolve(s, enqueued(item('c')));
    const next = decide(s, { op: 'enqueue', items: [item('d')], now: 2 });
    for (const e of next.events) s = outboxKind.evolve(s, e);
    expect([...s.pending.values()].map((i) => [i.id, i.orderKey])).to.deep.equal([[1, 'a'], [2, 'a'], [3, 'b'], [4, 'c'], [5, 'd']]);
    expect(next.reply).to.deep.equal({ ids: [5] });
  });
});
