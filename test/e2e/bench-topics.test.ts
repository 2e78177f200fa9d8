/**
 * Keeps bench/topics.ts (issue 18) working: it runs tiny, in its own processes, as a reader would
 * run it, and its own checks must hold: every topic message and community message delivered to
 * every socket. No figure is checked.
 */
import { expect } from 'chai';
import { runBench as bench } from '../support/bench-run';

describe('the topics bench (bench/topics.ts), tiny', function () {
  this.timeout(60_000);

  it('topics: every message into a topic and into the community reaches every member', async () => {
    const out = await bench('topics.ts', ['--members', '30', '--topics', '5', '--messages', '10', '--runs', '1', '--procs', '1']);
    const runs = out.split('\n').filter((l) => / run 1: /.test(l));
    expect(runs.map((l) => l.split(' ')[0]).sort()).to.deep.equal(['community', 'topics']);
    for (const line of runs) expect(line).to.include('300/300 delivered');
  });
});
