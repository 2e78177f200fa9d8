/**
 * Keeps the load bench (bench/load.ts, bench/bare-router.ts, bench/load-clients.ts,
 * bench/load-node.ts) working: one tiny round of each mode against the bare router and an
 * embedded node, each in its own process, the load in another. It checks the bench's machinery
 * and its exactly-once verification, not any figure.
 */
import { expect } from 'chai';
import { runLoadBench } from '../../bench/load';

describe('load bench (bench/load.ts), tiny', function () {
  this.timeout(60_000);

  it('runs c2c, group and REST sends against the bare router and an embedded node, each message received once', async () => {
    const lines: string[] = [];
    const reports = await runLoadBench({
      modes: ['c2c', 'group', 'rest'],
      targets: ['bare', 'embedded'],
      pairs: 2,
      window: 2,
      groupSize: 4,
      seconds: 0.6,
      warmup: 0.2,
      runs: 1,
      drain: 5,
      pause: 0,
      idle: 0,
      log: (line) => lines.push(line),
    });
    expect(reports.map((r) => r.mode)).to.deep.equal(['c2c', 'group', 'rest']);
    for (const report of reports) {
      expect(report.runs.map((r) => r.target)).to.deep.equal(['bare', 'embedded']);
      for (const run of report.runs) {
        const what = `${report.mode} on ${run.target}`;
        expect(run.rate, what).to.be.greaterThan(0);
        expect(run.serverCpu, what).to.be.greaterThan(0);
        expect(run.p99, what).to.be.at.least(run.p50);
        expect(run.check.acked, what).to.be.greaterThan(0);
        expect(run.check, what).to.include({ lost: 0, duplicated: 0, unexpected: 0, noReply: 0 });
        expect(run.check.received, what).to.equal(run.check.expected);
        expect(run.check.refused, what).to.deep.equal({});
      }
      expect(report.ratios.map((r) => r.name)).to.include('embedded/bare deliveries/s');
    }
    // group deliveries count every online member per message
    const group = reports[1].runs[0].check;
    expect(group.expected).to.equal(group.acked * 4);
    expect(lines.join('\n')).to.match(/embedded\/bare deliveries\/s/);
  });
});
