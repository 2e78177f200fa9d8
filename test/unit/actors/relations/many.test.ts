/** `many`: the owner's halves of a request in one decision, with the callback that reports them. */
import { expect } from 'chai';
import { relationsKind, SNS, type ManyCommand, type ManyReply, type RelationsEvent, type Report, type ReportPair } from '../../../../actors/relations';
import * as E from '../../../../actors/relations/events';

const NOW = 1_700_000_000;
const friend = { remark: '', groups: [] as string[], source: 'AddSource_Type_X', wording: '', addTime: NOW, custom: {} };
const link = (peer: string, limit = 3000) => ({ op: 'link' as const, peer, friend, limit, limitCode: SNS.FRIEND_LIMIT, lists: 32, now: NOW });
const header = { command: 'Sns.CallbackFriendAdd', clientCmd: 'friend_add', admin: 'administrator', force: false, platform: 'RESTAPI', clientIp: '10.0.0.1' };
const pair = (to: string): ReportPair[] => [{ from: 'a', to, initiator: 'a' }];
const added = (peer: string): RelationsEvent => ({ type: E.FRIEND_ADDED, data: { peer, remarkTime: 0, ...friend } });

function given(events: RelationsEvent[]) {
  return events.reduce((s, e) => relationsKind.evolve(s, e), relationsKind.initialState('1:a'));
}
function run(history: RelationsEvent[], command: ManyCommand) {
  const state = given(history);
  const decision = relationsKind.decide(state, command);
  return { state, events: decision.events, reply: decision.reply as ManyReply };
}
const reported = (events: RelationsEvent[]) => events.filter((e): e is E.ChangeReported => e.type === E.CHANGE_REPORTED);

describe('relations actor: many', () => {
  it('runs each step on the state the earlier steps leave, so a limit counts them', () => {
    const { events, reply } = run([added('x')], { op: 'many', steps: [link('b', 3), link('c', 3), link('d', 3)] });
    expect(reply.codes).to.deep.equal([0, 0, SNS.FRIEND_LIMIT]);
    expect(events.filter((e) => e.type === E.FRIEND_ADDED).map((e) => (e as E.FriendAdded).data.peer)).to.deep.equal(['b', 'c']);
  });

  it('records nothing for a refused step and goes on with the others', () => {
    const history: RelationsEvent[] = [{ type: E.BLOCKED, data: { peer: 'b', at: NOW } }];
    const { reply } = run(history, { op: 'many', steps: [link('b'), link('c')] });
    expect(reply.codes).to.deep.equal([SNS.PEER_IN_MY_BLOCKLIST, 0]);
    expect(reply.changed).to.deep.equal([false, true]);
    expect(reply.replies[0]).to.equal(null);
  });

  it('reports the pairs of the steps that recorded something, with the header, after their events', () => {
    const report: Report = { ...header, pairs: [pair('b'), pair('c'), pair('d')] };
    const { events } = run([added('c')], { op: 'many', steps: [link('b'), link('c'), link('d')], report });
    expect(events[events.length - 1].type).to.equal(E.CHANGE_REPORTED);
    expect(reported(events).map((e) => e.data)).to.deep.equal([{ ...header, pairs: [...pair('b'), ...pair('d')] }]);
  });

  it('reports nothing when no step recorded anything, so a repeated request stays silent', () => {
    const report: Report = { ...header, pairs: [pair('b')] };
    expect(run([added('b')], { op: 'many', steps: [link('b')], report }).events).to.deep.equal([]);
  });

  it('leaves the state it was given untouched until the host applies the events', () => {
    const { state } = run([], { op: 'many', steps: [link('b'), link('c')] });
    expect([...state.friends.keys()]).to.deep.equal([]);
  });

  it('changes no state with the report itself', () => {
    const { events } = run([], { op: 'many', steps: [link('b')], report: { ...header, pairs: [pair('b')] } });
    const after = events.reduce((s, e) => relationsKind.evolve(s, e), given([]));
    const without = events.filter((e) => e.type !== E.CHANGE_REPORTED).reduce((s, e) => relationsKind.evolve(s, e), given([]));
    expect(relationsKind.snapshot!.encode(after).equals(relationsKind.snapshot!.encode(without))).to.equal(true);
  });
});
