/**
 * The chaos suite, short (bench/chaos.ts runs the long one, embedded and on a three-node
 * cluster): an embedded node in a child process, on a data folder that outlives it, under
 * one-to-one and group sends through REST and the SDK's socket, is killed with SIGKILL and
 * started again; the sockets reconnect and log in again, every send is retried with its own
 * random until acknowledged. Every
 * acknowledged send is in the store once under its acknowledged sequence, no conversation or
 * group has a sequence gap, and each receiver's device syncs every message once from the cookie
 * it held before the first send. messages-cluster.test.ts does the same for a cluster node.
 */
import { expect } from 'chai';
import { runChaos } from '../../bench/faults/chaos-run';

describe('chaos: kill -9 of an embedded node under load', function () {
  this.timeout(120_000);

  it('loses, duplicates and skips nothing acknowledged, and serves again after the restart', async () => {
    const report = await runChaos({ mode: 'embedded', kills: 1, pairs: 2, groups: 1, members: 3, workers: 4, warmupMs: 1500, intervalMs: 2000, downMs: 200, settleMs: 1000 });
    const v = report.verdict;
    console.log(`      ${v.sent} sent, ${v.acked} acknowledged, ${report.clientErrors} client errors; restart ${report.kills[0].restartMs} ms, first ack ${report.kills[0].firstAckMs} ms after the kill`);
    expect(v.samples, 'faults').to.deep.equal([]);
    expect(v).to.include({ lost: 0, duplicated: 0, gaps: 0, syncMissing: 0, syncDuplicated: 0 });
    expect(report.crashes).to.deep.equal([]);
    // Load on both sides of the kill.
    expect(report.kills[0].ackedBefore, 'acknowledged before the kill').to.be.above(20);
    expect(v.acked - report.kills[0].ackedBefore, 'acknowledged after the kill').to.be.above(20);
    // Every send was retried until acknowledged: none was given up.
    expect(v.unacked).to.equal(0);
    expect(report.kills[0].firstAckMs, 'the node served again after its restart').to.be.a('number');
  });
});
