/** The load bench's summaries, ratios and printed tables. */
import type { Mode } from './load-clients';
import { median, round, table } from './stats';
import type { LoadOptions, ModeReport, RunFigures, TargetName, TargetSummary } from './load-types';

export const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : round(n, digits).toLocaleString('en-US'));

export function describeRun(mode: Mode, f: RunFigures): string {
  const c = f.check;
  const refused = Object.entries(c.refused).map(([code, n]) => `${code}×${n}`).join(' ');
  const unit = mode === 'group' ? 'deliveries/s' : 'msg/s';
  return (
    `  round ${f.round} ${f.target.padEnd(8)} ${fmt(f.rate).padStart(7)} ${unit}, p50 ${fmt(f.p50, 1)} ms, p99 ${fmt(f.p99, 1)} ms, server CPU ${fmt(f.serverCpu, 1)} µs (${fmt(f.serverKernelPct)}% kernel)` +
    `${f.infraCpu === undefined ? '' : ` (+ NATS, Redis, PG backends ${fmt(f.infraCpu, 1)})`}, load CPU ${fmt(f.loadCpu, 1)} µs; others ${fmt(f.othersPct)}% of the machine, load avg ${fmt(f.loadavg, 1)}; ` +
    `${f.packets ? `NATS packets per delivery ${Object.entries(f.packets).sort((x, y) => y[1] - x[1]).map(([t, n]) => `${t} ${fmt(n, 2)}`).join(', ')}; ` : ''}` +
    `sent ${c.sent}, acked ${c.acked}, lost ${c.lost}, dup ${c.duplicated}, unexpected ${c.unexpected}${refused ? `, refused ${refused}` : ''}${c.noReply ? `, unanswered ${c.noReply}` : ''}${c.timedOut ? `, held past timeout ${c.timedOut}` : ''}${c.unackedDelivered ? `, delivered unacked ${c.unackedDelivered}` : ''}`
  );
}

export function summarise(runs: RunFigures[], targets: TargetName[]): TargetSummary[] {
  return targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const med = (f: (r: RunFigures) => number | undefined) => median(mine.map((r) => f(r) ?? NaN).filter((x) => !Number.isNaN(x)));
    const total = (f: (r: RunFigures) => number) => mine.reduce((a, r) => a + f(r), 0);
    return {
      target,
      rate: med((r) => r.rate),
      acked: med((r) => r.acked),
      p50: med((r) => r.p50),
      p99: med((r) => r.p99),
      serverCpu: med((r) => r.serverCpu),
      serverKernelPct: med((r) => r.serverKernelPct),
      loadCpu: med((r) => r.loadCpu),
      ...(target === 'cluster' ? { infraCpu: med((r) => r.infraCpu), packets: medianPackets(mine) } : {}),
      othersPct: med((r) => r.othersPct),
      lost: total((r) => r.check.lost),
      duplicated: total((r) => r.check.duplicated),
      unexpected: total((r) => r.check.unexpected),
      refused: total((r) => Object.values(r.check.refused).reduce((a, n) => a + n, 0)),
      noReply: total((r) => r.check.noReply),
    };
  });
}

export function medianPackets(runs: RunFigures[]): Record<string, number> {
  const types = new Set(runs.flatMap((r) => Object.keys(r.packets ?? {})));
  return Object.fromEntries([...types].map((t) => [t, median(runs.map((r) => r.packets?.[t] ?? 0))]));
}

export function ratios(runs: RunFigures[], summary: TargetSummary[]): ModeReport['ratios'] {
  const by = new Map(summary.map((s) => [s.target, s]));
  const pairs: [string, TargetName, TargetName, keyof TargetSummary][] = [
    ['embedded/bare deliveries/s', 'embedded', 'bare', 'rate'],
    ['embedded/bare p99', 'embedded', 'bare', 'p99'],
    ['embedded/bare server CPU per delivery', 'embedded', 'bare', 'serverCpu'],
    ['cluster/embedded deliveries/s', 'cluster', 'embedded', 'rate'],
    ['cluster/embedded p50', 'cluster', 'embedded', 'p50'],
    ['cluster/embedded server CPU per delivery', 'cluster', 'embedded', 'serverCpu'],
    ['cluster/bare deliveries/s', 'cluster', 'bare', 'rate'],
    ['cluster/bare server CPU per delivery', 'cluster', 'bare', 'serverCpu'],
    ['embedded/nostats deliveries/s', 'embedded', 'nostats', 'rate'],
    ['embedded/nostats p99', 'embedded', 'nostats', 'p99'],
    ['embedded/nostats server CPU per delivery', 'embedded', 'nostats', 'serverCpu'],
  ];
  const out: ModeReport['ratios'] = [];
  for (const [name, a, b, key] of pairs) {
    const x = by.get(a);
    const y = by.get(b);
    if (!x || !y) continue;
    const rounds = [...new Set(runs.map((r) => r.round))];
    const perRound = rounds
      .map((rd) => {
        const ra = runs.find((r) => r.round === rd && r.target === a);
        const rb = runs.find((r) => r.round === rd && r.target === b);
        return ra && rb ? (ra[key as keyof RunFigures] as number) / (rb[key as keyof RunFigures] as number) : NaN;
      })
      .filter((v) => Number.isFinite(v));
    out.push({ name, ofMedians: (x[key] as number) / (y[key] as number), perRound: median(perRound) });
  }
  return out;
}

export function describeMode(mode: Mode, o: LoadOptions): string {
  const shape = mode === 'group' ? `${o.pairs} Work groups of ${o.groupSize} members, all online, one sender each` : mode === 'rest' ? `${o.pairs} REST senders → ${o.pairs} online receivers, ${o.connections} keep-alive connections` : `${o.pairs} pairs`;
  return `${mode}: ${shape}, ${o.window} in flight per sender, ${o.runs} × ${o.seconds} s (after ${o.warmup} s warm-up), ${o.procs} load process${o.procs > 1 ? 'es' : ''}`;
}

export function printReport(r: ModeReport, o: LoadOptions): void {
  const unit = r.mode === 'group' ? 'deliveries/s' : 'delivered msg/s';
  o.log(`\n${describeMode(r.mode, o)} — medians`);
  const infra = r.summary.some((s) => s.infraCpu !== undefined);
  const header = ['target', unit, 'acked msg/s', 'p50 ms', 'p99 ms', 'server CPU µs/delivery', 'kernel %', ...(infra ? ['NATS+Redis+PG µs'] : []), 'load CPU µs', 'others %', 'lost', 'dup', 'unexpected', 'refused', 'unanswered'];
  const rows = r.summary.map((s) => [
    s.target, round(s.rate), round(s.acked), round(s.p50, 1), round(s.p99, 1), round(s.serverCpu, 1), round(s.serverKernelPct), ...(infra ? [s.infraCpu === undefined ? '' : round(s.infraCpu, 1)] : []),
    round(s.loadCpu, 1), round(s.othersPct), s.lost, s.duplicated, s.unexpected, s.refused, s.noReply,
  ]);
  o.log(table(header, rows));
  for (const s of r.summary) {
    if (!s.packets) continue;
    const list = Object.entries(s.packets).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
    o.log(`${s.target}: transporter packets published per delivery (median) ${list.map(([t, n]) => `${t} ${fmt(n, 2)}`).join(', ')}`);
  }
  if (r.ratios.length > 0) {
    o.log(table(['ratio', 'of medians', 'median per round'], r.ratios.map((x) => [x.name, round(x.ofMedians, 2), round(x.perRound, 2)])));
  }
}
