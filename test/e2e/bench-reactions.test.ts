/**
 * Keeps bench/reactions.ts (issue 19) working: it runs tiny, in its own processes, as a reader
 * would run it, and its own checks must hold: stored reaction counts equal to the adds answered OK,
 * and sends stored as answered. No figure is checked.
 */
import { expect } from 'chai';
import { runBench as bench } from '../support/bench-run';

describe('the reactions bench (bench/reactions.ts), tiny', function () {
  this.timeout(60_000);

  it('reactions: stored counts equal the adds answered OK, over REST and over SDK sockets, repeats refused', async () => {
    const out = await bench('reactions.ts', ['--users', '16', '--reactions', '2', '--repeat', '2', '--runs', '1', '--procs', '1']);
    const runs = out.split('\n').filter((l) => / reactions run /.test(l));
    expect(runs).to.have.length(2);
    for (const line of runs) {
      expect(line).to.include('16 ok');
      expect(line).to.include('"23007":16');
      expect(line).to.include('counts = successful adds');
    }
    for (const line of out.split('\n').filter((l) => / messages run /.test(l))) expect(line).to.include('16 stored, 16 answered OK');
  });
});
