/**
 * Keeps bench/conversation-list.ts (issue 19) working: it runs tiny, in its own processes, as a
 * reader would run it, and its own checks must hold: every conversation listed and synced, the new
 * ones after a reconnect. No figure is checked.
 */
import { expect } from 'chai';
import { runBench as bench } from '../support/bench-run';

/** The cells of the table row whose first column starts with `phase`. */
const row = (out: string, phase: string) => (out.split('\n').find((l) => l.startsWith(phase)) ?? '').slice(phase.length).trim().split(/\s{2,}/);

describe('the conversation-list bench (bench/conversation-list.ts), tiny', function () {
  this.timeout(60_000);

  it('conversation-list: every conversation comes in the list and the sync, and a reconnect gets the new messages', async () => {
    const out = await bench('conversation-list.ts', ['--peers', '60', '--small', '5', '--runs', '1', '--incremental', '3']);
    // Columns: requests, items, … for the 60-conversation user; small: items after the figures.
    expect(row(out, 'first page (page_get)').slice(0, 2)).to.deep.equal(['1', '50']);
    expect(row(out, 'full list (page_get until CompleteFlag 1)').slice(0, 2)).to.deep.equal(['2', '60']);
    expect(row(out, 'message sync (getmsg from empty Cookie)')[1]).to.equal('60');
    expect(row(out, 'after reconnect: getmsg from the last Cookie (3 new)')[1]).to.equal('3');
    // Incremental: only the three conversations with a new message.
    expect(row(out, 'after reconnect: page_get from the last TimeStamp (3 new)').slice(0, 2)).to.deep.equal(['1', '3']);
    expect(row(out, 'REST get_list, all pages')[1]).to.equal('60');
  });
});
