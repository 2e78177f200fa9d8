import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import {
  ACCOUNT_DELETED,
  ACCOUNT_IMPORTED,
  NOT_IMPORTED,
  USER_KICKED,
  userKind,
  type UserCommand,
  type UserEvent,
  type UserReply,
} from '../../../../actors/user';

const NOW = 1_700_000_000_000;
const imported = (nick = '', faceUrl = '', at = NOW - 1000): UserEvent => ({ type: ACCOUNT_IMPORTED, data: { nick, faceUrl, at } });
const deleted = (at = NOW - 500): UserEvent => ({ type: ACCOUNT_DELETED, data: { at } });
const kicked = (at = NOW - 200): UserEvent => ({ type: USER_KICKED, data: { at } });

function given(...events: UserEvent[]) {
  const state = events.reduce(userKind.evolve, userKind.initialState('1400000000:alice'));
  return {
    when(command: UserCommand) {
      const run = () => userKind.decide(state, command);
      return {
        then(events: UserEvent[], reply?: Partial<UserReply>) {
          const decision = run();
          expect(decision.events).to.deep.equal(events);
          if (reply) expect(decision.reply).to.deep.include(reply);
        },
        refused(code: number) {
          expect(run).to.throw(DomainError).with.property('code', code);
        },
      };
    },
  };
}

describe('user actor: decide', () => {
  describe('import', () => {
    it('imports a new account with empty nick and face when none are given', () => {
      given().when({ op: 'import', now: NOW }).then([imported('', '', NOW)], { imported: true, kickedAt: 0 });
    });

    it('imports a new account with its nick and face', () => {
      given()
        .when({ op: 'import', nick: 'Al', faceUrl: 'https://f/a.png', now: NOW })
        .then([imported('Al', 'https://f/a.png', NOW)]);
    });

    it('records nothing when an imported account is imported again unchanged', () => {
      given(imported('Al', 'f')).when({ op: 'import', nick: 'Al', now: NOW }).then([], { imported: true, kickedAt: 0 });
    });

    it('keeps the face when only the nick changes', () => {
      given(imported('Al', 'f')).when({ op: 'import', nick: 'Bo', now: NOW }).then([imported('Bo', 'f', NOW)]);
    });

    it('imports a deleted account afresh, keeping the instant its sessions ended', () => {
      given(imported('Al', 'f'), deleted(NOW - 500))
        .when({ op: 'import', now: NOW })
        .then([imported('', '', NOW)], { imported: true, kickedAt: NOW - 500 });
    });

    it('reports the last kick instant to the caller', () => {
      given(imported(), kicked(NOW - 200)).when({ op: 'import', now: NOW }).then([], { imported: true, kickedAt: NOW - 200 });
    });
  });

  // Rows: history, command, expected events or refusal code.
  const table: [string, UserEvent[], UserCommand, UserEvent[] | number][] = [
    ['deletes an imported account', [imported()], { op: 'delete', now: NOW }, [deleted(NOW)]],
    ['refuses to delete an account never imported', [], { op: 'delete', now: NOW }, NOT_IMPORTED],
    ['refuses to delete an account twice', [imported(), deleted()], { op: 'delete', now: NOW }, NOT_IMPORTED],
    ['kicks an imported account', [imported()], { op: 'kick', now: NOW }, [kicked(NOW)]],
    ['kicks an account again', [imported(), kicked()], { op: 'kick', now: NOW }, [kicked(NOW)]],
    ['refuses to kick an account never imported', [], { op: 'kick', now: NOW }, NOT_IMPORTED],
    ['refuses to kick a deleted account', [imported(), deleted()], { op: 'kick', now: NOW }, NOT_IMPORTED],
    ['records nothing on get', [imported(), kicked()], { op: 'get' }, []],
  ];
  for (const [what, history, command, outcome] of table) {
    it(what, () => {
      const when = given(...history).when(command);
      if (typeof outcome === 'number') when.refused(outcome);
      else when.then(outcome);
    });
  }

  describe('replies', () => {
    it('answers get with whether the account exists and when it was last kicked', () => {
      given().when({ op: 'get' }).then([], { imported: false, kickedAt: 0 });
      given(imported(), kicked(NOW - 200)).when({ op: 'get' }).then([], { imported: true, kickedAt: NOW - 200 });
      given(imported(), deleted(NOW - 500)).when({ op: 'get' }).then([], { imported: false, kickedAt: NOW - 500 });
    });

    it('answers a kick with the new kick instant', () => {
      given(imported()).when({ op: 'kick', now: NOW }).then([kicked(NOW)], { imported: true, kickedAt: NOW });
    });
  });

  it('never changes the state it decides on', () => {
    const state = [imported('Al')].reduce(userKind.evolve, userKind.initialState('k'));
    const before = structuredClone(state);
    userKind.decide(state, { op: 'import', nick: 'Bo', now: NOW });
    userKind.decide(state, { op: 'kick', now: NOW });
    expect(state).to.deep.equal(before);
  });
});
