/** PARLEY_STATS_TAIL_MS: the statistics follower's period; 0 turns its background rounds off; a negative value is refused at start. */
import { expect } from 'chai';
import { loadConfig } from '../../../config';

describe('config: PARLEY_STATS_TAIL_MS', () => {
  it('defaults to 1000 ms and takes 0 (no background rounds)', () => {
    expect(loadConfig({}).ops.statsTailMs).to.equal(1000);
    expect(loadConfig({ PARLEY_STATS_TAIL_MS: '0' }).ops.statsTailMs).to.equal(0);
    expect(loadConfig({ PARLEY_STATS_TAIL_MS: '250' }).ops.statsTailMs).to.equal(250);
  });

  it('refuses a negative or non-integer value', () => {
    expect(() => loadConfig({ PARLEY_STATS_TAIL_MS: '-1' })).to.throw(/PARLEY_STATS_TAIL_MS must be 0 or more/);
    expect(() => loadConfig({ PARLEY_STATS_TAIL_MS: 'off' })).to.throw(/PARLEY_STATS_TAIL_MS must be an integer/);
  });
});
