/** The media ledger: given stored files, when a command, then events or a refusal. */
import { expect } from 'chai';
import { decide, FILE_STORED, FILES_DELETED, MEDIA_CODES, mediaKind, type MediaEvent, type MediaState } from '../../../../actors/media';
import { DomainError } from '../../../../runtime/kind';

const AT = 1_796_000_000_000;
const stored = (fileKey: string, bytes: number): MediaEvent => ({ type: FILE_STORED, data: { fileKey, bytes, kind: 'file', owner: 'alice', at: AT } });
const given = (...events: MediaEvent[]): MediaState => events.reduce(mediaKind.evolve, mediaKind.initialState(''));
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).code;
  }
  return undefined;
};

describe('media ledger decider', () => {
  it('records a file within the quota', () => {
    const d = decide(given(stored('a', 600)), { op: 'store', file: stored('b', 400).data as never, quotaBytes: 1000 });
    expect(d.events).to.deep.equal([stored('b', 400)]);
    expect(d.reply).to.include({ usedBytes: 1000, files: 2 });
  });

  it('refuses a file that would pass the quota', () => {
    expect(refusal(() => decide(given(stored('a', 600)), { op: 'store', file: stored('b', 401).data as never, quotaBytes: 1000 }))).to.equal(MEDIA_CODES.QUOTA);
  });

  it('refuses a file key stored before', () => {
    expect(refusal(() => decide(given(stored('a', 1)), { op: 'store', file: stored('a', 1).data as never, quotaBytes: 1000 }))).to.equal(MEDIA_CODES.DUPLICATE);
  });

  it('gives bytes back once: a second deletion of the same file changes nothing', () => {
    const state = given(stored('a', 600), stored('b', 100));
    const first = decide(state, { op: 'delete', fileKeys: ['a', 'a', 'zz'], reason: 'recalled', now: AT });
    expect(first.events).to.deep.equal([{ type: FILES_DELETED, data: { fileKeys: ['a'], reason: 'recalled', at: AT } }]);
    const after = first.events.reduce(mediaKind.evolve, state);
    expect(after.usedBytes).to.equal(100);
    expect(decide(after, { op: 'delete', fileKeys: ['a'], reason: 'recalled', now: AT }).events).to.deep.equal([]);
  });
});
