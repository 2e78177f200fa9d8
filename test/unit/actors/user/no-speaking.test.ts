/** The user actor's global mute (openconfigsvr/setnospeaking): given events, when setNoSpeaking, then events. */
import { expect } from 'chai';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, NO_SPEAKING_FOREVER, NO_SPEAKING_SET, NOT_IMPORTED, userKind, type UserCommand, type UserEvent } from '../../../../actors/user';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;
const imported: UserEvent = { type: ACCOUNT_IMPORTED, data: { nick: '', faceUrl: '', at: NOW - 1000 } };
const muted = (c2cUntil: number, groupUntil: number): UserEvent => ({ type: NO_SPEAKING_SET, data: { c2cUntil, groupUntil, at: NOW - 100 } });
const state = (...events: UserEvent[]) => events.reduce(userKind.evolve, userKind.initialState('1400000000:alice'));
const set = (c2cSeconds?: number, groupSeconds?: number): UserCommand => ({ op: 'setNoSpeaking', c2cSeconds, groupSeconds, now: NOW });

describe('user actor: global mute', () => {
  it('mutes for the given seconds from now, each kind apart', () => {
    const d = userKind.decide(state(imported), set(3600));
    expect(d.events).to.deep.equal([{ type: NO_SPEAKING_SET, data: { c2cUntil: NOW_S + 3600, groupUntil: 0, at: NOW } }]);
    expect(d.reply.mutedUntil).to.deep.equal({ c2c: NOW_S + 3600, group: 0 });
  });

  it('keeps a mute the command leaves out, lifts one set to 0, and keeps for ever as for ever', () => {
    const d = userKind.decide(state(imported, muted(NOW_S + 50, NOW_S + 60)), set(undefined, NO_SPEAKING_FOREVER));
    expect(d.events[0].data).to.include({ c2cUntil: NOW_S + 50, groupUntil: NO_SPEAKING_FOREVER });
    const lifted = userKind.decide(state(imported, muted(NOW_S + 50, NO_SPEAKING_FOREVER)), set(0));
    expect(lifted.events[0].data).to.include({ c2cUntil: 0, groupUntil: NO_SPEAKING_FOREVER });
  });

  it('answers the mutes in get, and forgets them with the account', () => {
    expect(userKind.decide(state(imported, muted(7, 8)), { op: 'get' }).reply.mutedUntil).to.deep.equal({ c2c: 7, group: 8 });
    const gone = state(imported, muted(7, 8), { type: ACCOUNT_DELETED, data: { at: NOW } }, imported);
    expect(userKind.decide(gone, { op: 'get' }).reply.mutedUntil).to.deep.equal({ c2c: 0, group: 0 });
  });

  it('refuses an account never imported with 70107', () => {
    expect(() => userKind.decide(state(), set(10))).to.throw().with.property('code', NOT_IMPORTED);
  });
});
