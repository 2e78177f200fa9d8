/**
 * Message extensions of a conversation: given events, when command, then events or codes
 * (23001 a stale sequence, per key; 23004 more than 300 keys on a message, nothing stored).
 */
import { expect } from 'chai';
import { decide, EXTENSION_CODES, EXTENSION_LIMITS, EXTENSIONS_CLEARED, EXTENSIONS_SET, type ChangeReply, type ExtensionEvent, type FetchReply } from '../../../../actors/extension';
import { evolve, initialState } from '../../../../actors/extension/state';
import { DomainError } from '../../../../runtime/kind';

const NOW = 1_796_000_000_000;
const set = (message: string, items: [string, string, number][]): ExtensionEvent => ({ type: EXTENSIONS_SET, data: { message, items: items.map(([key, value, seq]) => ({ key, value, seq })), by: 'bob', at: NOW } });
const given = (events: ExtensionEvent[]) => events.reduce(evolve, initialState());

describe('extensions decider', () => {
  it('writes fresh keys with the next sequences and refuses a stale one alone', () => {
    const s = given([set('m', [['a', '1', 1]])]);
    const { events, reply } = decide(s, { op: 'set', message: 'm', items: [{ key: 'a', value: '2', seq: 0 }, { key: 'b', value: 'x', seq: 0 }], by: 'bob', now: NOW });
    expect(events).to.deep.equal([set('m', [['b', 'x', 2]])]);
    expect((reply as ChangeReply).results.map((r) => [r.code, r.item.key, r.item.value, r.item.seq])).to.deep.equal([[EXTENSION_CODES.CONFLICT, 'a', '1', 1], [0, 'b', 'x', 2]]);
  });

  it('overwrites a key named with its current sequence', () => {
    const s = given([set('m', [['a', '1', 1]])]);
    expect(decide(s, { op: 'set', message: 'm', items: [{ key: 'a', value: '2', seq: 1 }], by: 'bob', now: NOW }).events).to.deep.equal([set('m', [['a', '2', 2]])]);
  });

  it('keeps a deleted key as a tombstone that a later fetch reports and a first fetch leaves out', () => {
    const s = given([set('m', [['a', '1', 1], ['b', '2', 2]]), set('m', [['a', '', 3]])]);
    expect(((decide(s, { op: 'fetch', message: 'm', from: 0 }).reply as FetchReply).items).map((i) => i.key)).to.deep.equal(['b']);
    expect(((decide(s, { op: 'fetch', message: 'm', from: 3 }).reply as FetchReply).items)).to.deep.equal([{ key: 'a', value: '', seq: 3 }]);
  });

  it('clears every key with a new sequence the fetch reports as ClearSeq', () => {
    const s = given([set('m', [['a', '1', 1]])]);
    const { events } = decide(s, { op: 'clear', message: 'm', by: '', now: NOW });
    expect(events).to.deep.equal([{ type: EXTENSIONS_CLEARED, data: { message: 'm', seq: 2, by: '', at: NOW } }]);
    const after = given([set('m', [['a', '1', 1]]), ...events]);
    expect(decide(after, { op: 'fetch', message: 'm', from: 0 }).reply).to.deep.equal({ items: [], complete: true, seq: 2, clearSeq: 2 });
  });

  it('refuses keys beyond 300 on a message and stores nothing', () => {
    const full = given([set('m', Array.from({ length: EXTENSION_LIMITS.keysPerMessage }, (_, i) => [`k${i}`, 'v', i + 1] as [string, string, number]))]);
    let code = 0;
    try {
      decide(full, { op: 'set', message: 'm', items: [{ key: 'extra', value: 'v', seq: 0 }], by: 'bob', now: NOW });
    } catch (err) {
      code = (err as DomainError).code;
    }
    expect(code).to.equal(EXTENSION_CODES.TOO_MANY_KEYS);
  });

  it('pages a fetch by sequence and says when it is complete', () => {
    const s = given([set('m', Array.from({ length: 150 }, (_, i) => [`k${i}`, 'v', i + 1] as [string, string, number]))]);
    const first = decide(s, { op: 'fetch', message: 'm', from: 0 }).reply as FetchReply;
    expect([first.items.length, first.complete]).to.deep.equal([100, false]);
    const rest = decide(s, { op: 'fetch', message: 'm', from: first.items[99].seq + 1 }).reply as FetchReply;
    expect([rest.items.length, rest.complete]).to.deep.equal([50, true]);
  });
});
