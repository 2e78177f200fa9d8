/** The media ledger's references: a file goes when the last message holding it goes, never before. */
import { expect } from 'chai';
import { decide, FILE_STORED, FILES_DELETED, mediaKind, REFERENCES_RELEASED, type MediaCommand, type MediaEvent, type MediaState } from '../../../../actors/media';

const AT = 1_796_000_000_000;
const SEC = AT / 1000;
const stored = (fileKey: string, bytes: number, at = AT): MediaEvent => ({ type: FILE_STORED, data: { fileKey, bytes, kind: 'image', owner: 'alice', at } });
const given = (...events: MediaEvent[]): MediaState => events.reduce(mediaKind.evolve, mediaKind.initialState(''));

/** Runs commands in order on the state (appending their events), returning the last decision. */
function run(state: MediaState, ...commands: MediaCommand[]) {
  let last = decide(state, commands[0]);
  for (const [i, c] of commands.entries()) {
    last = decide(state, c);
    for (const e of last.events) state = mediaKind.evolve(state, e);
    if (i === commands.length - 1) return { state, last };
  }
  return { state, last };
}

describe('media ledger references', () => {
  it('keeps a file two messages hold until both are released, then deletes it and marks its objects for removal', () => {
    const s0 = given(stored('f', 500), stored('g', 100));
    const { state: s1 } = run(s0, { op: 'reference', fileKeys: ['f', 'g'], ref: 'c2c:a|b#1', time: SEC, now: AT }, { op: 'reference', fileKeys: ['f'], ref: 'group:G#4', time: SEC, now: AT });
    const first = decide(s1, { op: 'release', refs: ['c2c:a|b#1'], reason: 'recalled', now: AT });
    // g was held by the recalled message only; f is still held by the group's message.
    expect(first.events).to.deep.equal([
      { type: REFERENCES_RELEASED, data: { refs: ['c2c:a|b#1'], reason: 'recalled', at: AT } },
      { type: FILES_DELETED, data: { fileKeys: ['g'], reason: 'recalled', at: AT } },
    ]);
    const s2 = first.events.reduce(mediaKind.evolve, s1);
    expect(s2).to.include({ usedBytes: 500 });
    expect(s2.doomed).to.deep.equal(['g']);
    const second = decide(s2, { op: 'release', refs: ['group:G#4'], reason: 'recalled', now: AT });
    expect(second.reply.deleted).to.deep.equal(['f']);
    const s3 = second.events.reduce(mediaKind.evolve, s2);
    expect(s3.usedBytes).to.equal(0);
    // Confirming the removal clears what the sweep would retry.
    const removed = decide(s3, { op: 'removed', fileKeys: ['f', 'g', 'zz'], now: AT });
    expect(removed.events[0].data).to.deep.include({ fileKeys: ['f', 'g'] });
    expect(removed.events.reduce(mediaKind.evolve, s3).doomed).to.deep.equal([]);
  });

  it('a pending reference renamed to the sequence is released by the sequence; releasing an unknown message changes nothing', () => {
    const { state } = run(given(stored('f', 10)), { op: 'reference', fileKeys: ['f'], ref: 'c2c:a|b#pabc', time: SEC, now: AT }, { op: 'rename', from: 'c2c:a|b#pabc', to: 'c2c:a|b#7', time: SEC, now: AT });
    expect(decide(state, { op: 'release', refs: ['c2c:a|b#pabc', 'c2c:a|b#8'], reason: 'recalled', now: AT }).events).to.deep.equal([]);
    expect(decide(state, { op: 'readers', fileKey: 'f' }).reply).to.deep.include({ kept: true, conversations: ['c2c:a|b'] });
    expect(decide(state, { op: 'release', refs: ['c2c:a|b#7'], reason: 'recalled', now: AT }).reply.deleted).to.deep.equal(['f']);
  });

  it('a reference to a file the ledger does not keep records nothing', () => {
    expect(decide(given(stored('f', 10)), { op: 'reference', fileKeys: ['nope'], ref: 'c2c:a|b#1', time: SEC, now: AT }).events).to.deep.equal([]);
  });

  it('expires files whose every message is past the roaming period, and files no message ever held once they are as old', () => {
    const old = SEC - 10 * 86_400;
    const { state } = run(
      given(stored('held-old', 1, old * 1000), stored('held-new', 2, old * 1000), stored('unheld-old', 4, old * 1000), stored('unheld-new', 8)),
      { op: 'reference', fileKeys: ['held-old', 'held-new'], ref: 'c2c:a|b#1', time: old, now: AT },
      { op: 'reference', fileKeys: ['held-new'], ref: 'group:G#2', time: SEC, now: AT },
    );
    const expired = decide(state, { op: 'expire', cutoffSec: SEC - 7 * 86_400, now: AT });
    expect(expired.reply.deleted).to.have.members(['held-old', 'unheld-old']);
    const after = expired.events.reduce(mediaKind.evolve, state);
    expect(Object.keys(after.files)).to.have.members(['held-new', 'unheld-new']);
    expect(after.usedBytes).to.equal(10);
  });

  it('an administrator deletion removes a file whatever holds it, and a later release of its message finds nothing', () => {
    const { state } = run(given(stored('f', 10)), { op: 'reference', fileKeys: ['f'], ref: 'c2c:a|b#1', time: SEC, now: AT }, { op: 'delete', fileKeys: ['f'], reason: 'admin', now: AT });
    expect(state.held).to.deep.equal({});
    expect(decide(state, { op: 'release', refs: ['c2c:a|b#1'], reason: 'recalled', now: AT }).events).to.deep.equal([]);
  });

  it('rebuilds the same ledger from a snapshot', () => {
    const { state } = run(given(stored('f', 10)), { op: 'reference', fileKeys: ['f'], ref: 'group:G#1', time: SEC, now: AT });
    const codec = mediaKind.snapshot!;
    expect(codec.decode(codec.encode(state))).to.deep.equal(state);
  });
});
