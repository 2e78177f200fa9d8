/** The relations decider: given events, when a command, then events or a refusal code. */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import { relationsKind, REL, SNS, type RelationsCommand, type RelationsEvent, type ViewReply } from '../../../../actors/relations';
import * as E from '../../../../actors/relations/events';

const NOW = 1_700_000_000;
const friend = { remark: '', groups: [] as string[], source: 'AddSource_Type_X', wording: '', addTime: NOW, custom: {} };
const limits = { limit: 3000, limitCode: SNS.FRIEND_LIMIT, lists: 32, now: NOW };

function given(events: RelationsEvent[]) {
  return events.reduce((s, e) => relationsKind.evolve(s, e), relationsKind.initialState('1:a'));
}
function when(events: RelationsEvent[], command: RelationsCommand) {
  return relationsKind.decide(given(events), command);
}
function refusal(events: RelationsEvent[], command: RelationsCommand): number {
  try {
    when(events, command);
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}
const added = (peer: string): RelationsEvent => ({ type: E.FRIEND_ADDED, data: { peer, remarkTime: 0, ...friend } });
const edge = (peer: string, kind: E.Edge, present = true): RelationsEvent => ({ type: E.PEER_EDGE_CHANGED, data: { peer, edge: kind, present, at: NOW } });
const blocked = (peer: string): RelationsEvent => ({ type: E.BLOCKED, data: { peer, at: NOW } });

describe('relations actor: decide', () => {
  it('links a friend once: a repeated link records nothing', () => {
    expect(when([], { op: 'link', peer: 'b', friend, ...limits }).events.map((e) => e.type)).to.deep.equal([E.FRIEND_ADDED]);
    expect(when([added('b')], { op: 'link', peer: 'b', friend, ...limits }).events).to.deep.equal([]);
  });

  const refusals: [string, RelationsEvent[], number][] = [
    ['the peer is in my blocklist', [blocked('b')], SNS.PEER_IN_MY_BLOCKLIST],
    ['I am in the peer’s blocklist', [edge('b', 'block')], SNS.IN_PEER_BLOCKLIST],
  ];
  for (const [why, history, code] of refusals) {
    it(`refuses a friend link with ${code} when ${why}`, () => {
      expect(refusal(history, { op: 'link', peer: 'b', friend, ...limits })).to.equal(code);
    });
  }

  it('refuses the friend over the limit with the limit code the saga gives', () => {
    const full = ['x', 'y'].map(added);
    expect(refusal(full, { op: 'link', peer: 'b', friend, ...limits, limit: 2, limitCode: SNS.PEER_FRIEND_LIMIT })).to.equal(SNS.PEER_FRIEND_LIMIT);
  });

  it('creates the friend lists a new friend names, within 32', () => {
    const types = when([], { op: 'link', peer: 'b', friend: { ...friend, groups: ['work'] }, ...limits }).events.map((e) => e.type);
    expect(types).to.deep.equal([E.LIST_CREATED, E.FRIEND_ADDED]);
    const lists = Array.from({ length: 32 }, (_, i): RelationsEvent => ({ type: E.LIST_CREATED, data: { name: `l${i}`, at: NOW } }));
    expect(refusal(lists, { op: 'link', peer: 'b', friend: { ...friend, groups: ['more'] }, ...limits })).to.equal(SNS.LIST_LIMIT);
  });

  it('blocking ends the friendship both ways and drops requests between the two', () => {
    const history: RelationsEvent[] = [added('b'), edge('b', 'friend'), { type: E.REQUEST_ADDED, data: { peer: 'b', direction: 'in', source: '', wording: '', remark: '', group: '', at: NOW } }];
    const { events } = when(history, { op: 'block', peers: ['b'], limit: 1000, now: NOW });
    expect(events.map((e) => e.type)).to.deep.equal([E.BLOCKED, E.FRIEND_DELETED, E.PEER_EDGE_CHANGED, E.REQUEST_REMOVED]);
  });

  it('answers 30013 per peer past 1,000 blocked accounts', () => {
    const { reply } = when([blocked('x')], { op: 'block', peers: ['b', 'c'], limit: 2, now: NOW });
    expect(reply).to.deep.equal({ codes: { b: 0, c: SNS.BLOCK_LIMIT } });
  });

  it('refuses a 101st pending request with 30012, but renews an existing one', () => {
    const pending = Array.from({ length: 100 }, (_, i): RelationsEvent => ({ type: E.REQUEST_ADDED, data: { peer: `p${i}`, direction: 'in', source: '', wording: '', remark: '', group: '', at: NOW } }));
    const request = { source: '', wording: 'again', remark: '', group: '', at: NOW };
    expect(refusal(pending, { op: 'request', peer: 'new', direction: 'in', request, limit: 100, now: NOW })).to.equal(SNS.PENDING_LIMIT);
    expect(when(pending, { op: 'request', peer: 'p0', direction: 'in', request, limit: 100, now: NOW }).events).to.have.length(1);
  });

  it('views every relation bit of a peer at once', () => {
    const history = [added('b'), edge('b', 'friend'), blocked('c'), edge('d', 'block')];
    const view = when(history, { op: 'view', peers: ['b', 'c', 'd', 'e'] }).reply as ViewReply;
    expect(view.flags).to.deep.equal([REL.FRIEND | REL.FRIEND_OF, REL.BLOCKED, REL.BLOCKED_BY, 0]);
  });

  it('survives a snapshot round trip with its maps and sets', () => {
    const state = given([added('b'), edge('c', 'friend'), blocked('d')]);
    const codec = relationsKind.snapshot!;
    const copy = codec.decode(codec.encode(state));
    expect([...copy.friends.keys()]).to.deep.equal(['b']);
    expect(copy.friendOf.has('c')).to.equal(true);
    expect(copy.blocked.get('d')).to.equal(NOW);
  });
});
