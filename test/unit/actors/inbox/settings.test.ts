/** A user's conversation settings in the inbox actor: given its events, when a command, then events or a refusal — and nothing partial. */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import {
  INBOX_CONTACT_DELETED,
  INBOX_CONTACT_GROUP_CREATED,
  INBOX_CONV_MARKED,
  INBOX_CONV_PINNED,
  inboxKind,
  SETTINGS_LIMITS,
  standardMark,
  type ConvSettingsPage,
  type InboxCommand,
  type InboxEvent,
} from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;

function given(...events: InboxEvent[]) {
  const state = events.reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice'));
  return {
    state,
    when: (command: InboxCommand) => inboxKind.decide(state, command),
    refuses(command: InboxCommand): number {
      try {
        inboxKind.decide(state, command);
      } catch (err) {
        return (err as DomainError).code;
      }
      throw new Error('not refused');
    },
    settings: (convs: string[]) => (inboxKind.decide(state, { op: 'convSettings', convs }).reply as ConvSettingsPage).items.map(([, s]) => s),
  };
}
const created = (groupId: number, name: string, convs: string[] = []): InboxEvent => ({ type: INBOX_CONTACT_GROUP_CREATED, data: { groupId, name, convs, at: NOW } });
const marked = (conv: string, set: number[]): InboxEvent => ({ type: INBOX_CONV_MARKED, data: { conv, set, clear: [], customMark: null, at: NOW } });

describe('inbox actor: conversation settings', () => {
  it('writes standard marks as a bit string with bit 0 rightmost', () => {
    expect(standardMark([0, 3])).to.equal('1001');
    expect(standardMark([])).to.equal('');
  });

  it('sets and clears mark bits and keeps the custom mark unless one is given', () => {
    const g = given(marked('C2Cbob', [0, 2]), { type: INBOX_CONV_MARKED, data: { conv: 'C2Cbob', set: [5], clear: [0], customMark: 'x', at: NOW } }, marked('C2Cbob', [1]));
    expect(g.settings(['C2Cbob'])[0]).to.deep.include({ marks: [1, 2, 5], customMark: 'x' });
  });

  it('pins only what is not pinned yet, and a deleted contact loses its pin but keeps its marks', () => {
    const g = given({ type: INBOX_CONV_PINNED, data: { convs: ['C2Cbob'], pinned: true, at: NOW } }, marked('C2Cbob', [0]));
    expect(g.when({ op: 'pin', convs: ['C2Cbob', 'GROUPg1'], pinned: true, now: NOW }).events).to.deep.equal([{ type: INBOX_CONV_PINNED, data: { convs: ['GROUPg1'], pinned: true, at: NOW } }]);
    const after = given(...[{ type: INBOX_CONV_PINNED, data: { convs: ['C2Cbob'], pinned: true, at: NOW } } as InboxEvent, marked('C2Cbob', [0]), { type: INBOX_CONTACT_DELETED, data: { peer: 'bob', at: NOW } } as InboxEvent]);
    expect(after.settings(['C2Cbob'])[0]).to.deep.include({ pinned: false, marks: [0] });
  });

  it('refuses a mark request with one bad bit whole (50002): no event for the good items', () => {
    const g = given();
    expect(g.refuses({ op: 'mark', items: [{ conv: 'C2Cbob', set: [1], clear: [] }, { conv: 'C2Ccarol', set: [64], clear: [] }], now: NOW })).to.equal(50002);
  });

  it(`refuses to mark a ${SETTINGS_LIMITS.markedConvs + 1}th conversation (51008) but still lets marked ones change`, () => {
    const events = Array.from({ length: SETTINGS_LIMITS.markedConvs }, (_, i) => marked(`C2Cu${i}`, [0]));
    const g = given(...events);
    expect(g.refuses({ op: 'mark', items: [{ conv: 'C2Cnew', set: [0], clear: [] }], now: NOW })).to.equal(51008);
    expect(g.when({ op: 'mark', items: [{ conv: 'C2Cu1', set: [3], clear: [0] }], now: NOW }).events).to.have.length(1);
  });

  it(`refuses a ${SETTINGS_LIMITS.contactGroups + 1}st conversation group, a taken name and a name over 32 bytes`, () => {
    const g = given(...Array.from({ length: SETTINGS_LIMITS.contactGroups }, (_, i) => created(i + 1, `g${i}`)));
    expect(g.refuses({ op: 'createContactGroup', name: 'one more', convs: [], now: NOW })).to.equal(51008);
    expect(given(created(1, 'work')).refuses({ op: 'createContactGroup', name: 'work', convs: [], now: NOW })).to.equal(50002);
    expect(given().refuses({ op: 'createContactGroup', name: 'é'.repeat(17), convs: [], now: NOW })).to.equal(50002);
  });

  it('numbers groups on from the highest ever created, and deleting a group takes it off its conversations', () => {
    const g = given(created(1, 'a', ['C2Cbob']), created(2, 'b', ['C2Cbob']));
    expect((g.when({ op: 'createContactGroup', name: 'c', convs: [], now: NOW }).reply as { group: { groupId: number } }).group.groupId).to.equal(3);
    const [decision] = [g.when({ op: 'deleteContactGroups', names: ['a'], now: NOW })];
    const after = given(created(1, 'a', ['C2Cbob']), created(2, 'b', ['C2Cbob']), ...decision.events);
    expect(after.settings(['C2Cbob'])[0].groups).to.deep.equal([2]);
  });

  it(`refuses to put a ${SETTINGS_LIMITS.groupedConvs + 1}th conversation in groups (51008)`, () => {
    const convs = Array.from({ length: SETTINGS_LIMITS.groupedConvs }, (_, i) => `C2Cu${i}`);
    const g = given(created(1, 'big', convs));
    expect(g.refuses({ op: 'changeContactGroup', name: 'big', add: ['C2Cnew'], remove: [], now: NOW })).to.equal(51008);
    expect(g.refuses({ op: 'createContactGroup', name: 'other', convs: ['C2Cnew'], now: NOW })).to.equal(51008);
    expect(g.when({ op: 'createContactGroup', name: 'other', convs: ['C2Cu1'], now: NOW }).events).to.have.length(1);
  });
});
