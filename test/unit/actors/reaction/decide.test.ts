/**
 * Reactions of a conversation: given events, when command, then events or Tencent's reaction
 * codes (23005 too many reactions, 23006 too many users, 23007 already reacted, 23008 not reacted).
 */
import { expect } from 'chai';
import { decide, REACTION_ADDED, REACTION_CODES, REACTION_REMOVED, reactionKind, type ReactionEvent, type ReactionSummary } from '../../../../actors/reaction';
import { evolve, initialState } from '../../../../actors/reaction/state';
import { DomainError } from '../../../../runtime/kind';

const NOW = 1_796_000_000_000;
const added = (message: string, reaction: string, user: string): ReactionEvent => ({ type: REACTION_ADDED, data: { message, reaction, user, at: NOW } });
const removed = (message: string, reaction: string, user: string): ReactionEvent => ({ type: REACTION_REMOVED, data: { message, reaction, user, at: NOW } });
const given = (events: ReactionEvent[]) => events.reduce(evolve, initialState());
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 0;
};

describe('reactions decider', () => {
  it('adds a reaction and answers that reaction as it now is', () => {
    const s = given([added('1', 'smile', 'bob'), added('1', '1', 'carol')]);
    const { events, reply } = decide(s, { op: 'add', message: '1', reaction: 'smile', user: 'alice', now: NOW });
    expect(events).to.deep.equal([added('1', 'smile', 'alice')]);
    expect(reply).to.deep.equal([{ reaction: 'smile', count: 2, users: ['bob', 'alice'], reactedByMe: false }]);
  });

  it('refuses a second reaction of the same user with 23007, and leaves the state alone', () => {
    const s = given([added('1', 'smile', 'bob')]);
    expect(codeOf(() => decide(s, { op: 'add', message: '1', reaction: 'smile', user: 'bob', now: NOW }))).to.equal(REACTION_CODES.ALREADY_REACTED);
    expect(s.messages.get('1')?.get('smile')).to.deep.equal(['bob']);
  });

  it('refuses an eleventh reaction on a message (23005) but takes more users on an existing one', () => {
    const s = given(Array.from({ length: 10 }, (_, i) => added('1', `r${i}`, 'bob')));
    expect(codeOf(() => decide(s, { op: 'add', message: '1', reaction: 'r10', user: 'bob', now: NOW }))).to.equal(REACTION_CODES.TOO_MANY_REACTIONS);
    expect(decide(s, { op: 'add', message: '1', reaction: 'r3', user: 'carol', now: NOW }).events).to.have.length(1);
    expect(decide(s, { op: 'add', message: '2', reaction: 'r10', user: 'bob', now: NOW }).events).to.have.length(1);
  });

  it('refuses a hundred-and-first user of one reaction with 23006', () => {
    const s = given(Array.from({ length: 100 }, (_, i) => added('1', 'smile', `u${i}`)));
    expect(codeOf(() => decide(s, { op: 'add', message: '1', reaction: 'smile', user: 'late', now: NOW }))).to.equal(REACTION_CODES.TOO_MANY_USERS);
  });

  it('removes only a reaction the user made (23008 otherwise), dropping emptied reactions', () => {
    const s = given([added('1', 'smile', 'bob')]);
    expect(codeOf(() => decide(s, { op: 'remove', message: '1', reaction: 'smile', user: 'carol', now: NOW }))).to.equal(REACTION_CODES.NOT_REACTED);
    const { events, reply } = decide(s, { op: 'remove', message: '1', reaction: 'smile', user: 'bob', now: NOW });
    expect(events).to.deep.equal([removed('1', 'smile', 'bob')]);
    expect(reply).to.deep.equal([{ reaction: 'smile', count: 0, users: [], reactedByMe: false }]);
    expect(given([added('1', 'smile', 'bob'), removed('1', 'smile', 'bob')]).messages.size).to.equal(0);
  });

  it('summarises messages for a viewer, reactions in first-added order, at most N users each', () => {
    const s = given([added('1', 'smile', 'bob'), added('1', '1', 'bob'), added('1', 'smile', 'carol'), added('1', 'smile', 'dan')]);
    const reply = decide(s, { op: 'summaries', messages: ['1', '2'], viewer: 'carol', users: 2 }).reply as Record<string, ReactionSummary[]>;
    expect(reply).to.deep.equal({
      '1': [
        { reaction: 'smile', count: 3, users: ['bob', 'carol'], reactedByMe: true },
        { reaction: '1', count: 1, users: ['bob'], reactedByMe: false },
      ],
      '2': [],
    });
  });

  it('pages the users of one reaction, next 0 on the last page', () => {
    const s = given(['a', 'b', 'c'].map((u) => added('1', 'smile', u)));
    expect(decide(s, { op: 'users', message: '1', reaction: 'smile', from: 0, count: 2 }).reply).to.deep.equal({ users: ['a', 'b'], next: 2 });
    expect(decide(s, { op: 'users', message: '1', reaction: 'smile', from: 2, count: 2 }).reply).to.deep.equal({ users: ['c'], next: 0 });
  });

  it('survives a snapshot round trip', () => {
    const s = given([added('7', '1', 'bob'), added('7', 'smile', 'bob')]);
    const codec = reactionKind.snapshot!;
    const back = codec.decode(codec.encode(s));
    expect([...back.messages.get('7')!.keys()]).to.deep.equal(['1', 'smile']);
  });
});
