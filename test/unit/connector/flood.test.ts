import { expect } from 'chai';
import { admitFrame, FRAME_BURST, FRAMES_PER_SEC } from '../../../services/connector/flood';
import type { Session } from '../../../services/connector/session';

describe('flood control of one connection', () => {
  const session = () => ({}) as Session;

  it('admits a burst of FRAME_BURST frames at once, and refuses the next', () => {
    const s = session();
    for (let i = 0; i < FRAME_BURST; i++) expect(admitFrame(s, 1000)).to.equal(true);
    expect(admitFrame(s, 1000)).to.equal(false);
  });

  it('admits FRAMES_PER_SEC frames a second after the burst is spent', () => {
    const s = session();
    for (let i = 0; i < FRAME_BURST; i++) admitFrame(s, 0);
    let admitted = 0;
    for (let ms = 1; ms <= 1000; ms++) if (admitFrame(s, ms)) admitted++;
    expect(admitted).to.be.within(FRAMES_PER_SEC - 1, FRAMES_PER_SEC);
  });

  it('counts each connection on its own', () => {
    const a = session();
    for (let i = 0; i < FRAME_BURST; i++) admitFrame(a, 0);
    expect(admitFrame(a, 0)).to.equal(false);
    expect(admitFrame(session(), 0)).to.equal(true);
  });
});
