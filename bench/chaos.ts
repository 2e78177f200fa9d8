/**
 * Chaos bench: kill -9 a node under one-to-one and group load, start it again, and check that
 * nothing acknowledged was lost, nothing stored twice, no sequence left a gap, and that each
 * receiver's device syncs every message once (bench/faults/). Embedded: the one node, on its
 * persistent data folder. Cluster: a node of three (NATS, PostgreSQL, Redis), restarted under
 * the same id; the victim rotates n2, n3, n1.
 *
 *   npm run chaos                                   # embedded, then cluster; 3 kills each
 *   npm run chaos -- --mode cluster --kills 5 --interval 8
 *   npm run chaos -- --via ws --pairs 6        # sends over the SDK socket only (default: both faces)
 *   npx tsx bench/chaos.ts --mode embedded --kills 1  # from the sources
 *
 * Exits non-zero when anything was lost, duplicated or left a gap, a sync missed or repeated a
 * message, or a node crashed on its own.
 */
import { parseArgs } from 'node:util';
import { CHAOS_DEFAULTS, runChaos, type ChaosReport } from './faults/chaos-run';
import type { Mode } from './faults/installation';

function options() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'both' },
      kills: { type: 'string', default: String(CHAOS_DEFAULTS.kills) },
      workers: { type: 'string', default: String(CHAOS_DEFAULTS.workers) },
      pairs: { type: 'string', default: String(CHAOS_DEFAULTS.pairs) },
      groups: { type: 'string', default: String(CHAOS_DEFAULTS.groups) },
      via: { type: 'string', default: CHAOS_DEFAULTS.via },
      warmup: { type: 'string', default: String(CHAOS_DEFAULTS.warmupMs / 1000) },
      interval: { type: 'string', default: String(CHAOS_DEFAULTS.intervalMs / 1000) },
      down: { type: 'string', default: String(CHAOS_DEFAULTS.downMs) },
      settle: { type: 'string', default: String(CHAOS_DEFAULTS.settleMs / 1000) },
      echo: { type: 'boolean', default: false },
      pg: { type: 'string' },
      nats: { type: 'string' },
      redis: { type: 'string' },
    },
  });
  const num = (name: keyof typeof values, min = 0) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${String(values[name])}"`);
    return n;
  };
  const modes: Mode[] = values.mode === 'both' ? ['embedded', 'cluster'] : [values.mode as Mode];
  if (!modes.every((m) => m === 'embedded' || m === 'cluster')) throw new Error('--mode must be embedded, cluster or both');
  if (!['rest', 'ws', 'both'].includes(values.via)) throw new Error('--via must be rest, ws or both');
  return {
    modes,
    kills: num('kills', 1),
    workers: num('workers', 1),
    pairs: num('pairs', 0),
    groups: num('groups', 0),
    via: values.via as 'rest' | 'ws' | 'both',
    warmupMs: num('warmup') * 1000,
    intervalMs: num('interval') * 1000,
    downMs: num('down'),
    settleMs: num('settle') * 1000,
    echo: values.echo,
    pg: values.pg,
    nats: values.nats,
    redis: values.redis,
  };
}

const ms = (n: number | undefined) => (n === undefined ? '—' : `${Math.round(n)}`);

export function printReport(r: ChaosReport): void {
  const v = r.verdict;
  const rows: [string, string | number][] = [
    ['sent', v.sent],
    ['acknowledged', v.acked],
    ['lost (acked, not stored)', v.lost],
    ['duplicated', v.duplicated],
    ['gaps in seqs', v.gaps],
    ['sync missing / repeated', `${v.syncMissing} / ${v.syncDuplicated}`],
    ['given up unacked (of which stored)', `${v.unacked} (${v.storedUnacked})`],
    ['client errors', r.clientErrors],
    ['acked per second', Math.round(v.acked / (r.loadMs / 1000))],
    ['node crashes', r.crashes.length],
    ['node error lines', r.nodeErrorLines],
  ];
  console.log(`\n${r.mode}: ${r.kills.length} kill(s), ${(r.loadMs / 1000).toFixed(1)} s of load`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(36)} ${String(value).padStart(10)}`);
  console.log(`  ${'kill'.padEnd(6)}${'victim'.padEnd(10)}${'ready again'.padStart(13)}${'first ack'.padStart(11)}${'all streams'.padStart(13)}   (ms after kill -9)`);
  r.kills.forEach((k, i) => console.log(`  ${String(i + 1).padEnd(6)}${k.victim.padEnd(10)}${ms(k.restartMs).padStart(13)}${ms(k.firstAckMs).padStart(11)}${ms(k.allStreamsMs).padStart(13)}`));
  if (r.errorReasons.length) console.log(`  client errors by reason: ${r.errorReasons.map(([why, n]) => `${why} ${n}`).join(', ')}`);
  for (const line of [...v.samples, ...r.crashes]) console.log(`  ! ${line}`);
  for (const line of r.firstNodeErrors) console.log(`  log: ${line.slice(0, 240)}`);
}

export const chaosFailed = (r: ChaosReport) =>
  r.verdict.lost + r.verdict.duplicated + r.verdict.gaps + r.verdict.syncMissing + r.verdict.syncDuplicated + r.crashes.length > 0 || r.verdict.acked === 0;

async function main(): Promise<void> {
  const { modes, ...o } = options();
  let failed = false;
  for (const mode of modes) {
    const report = await runChaos({ ...o, mode, log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`) });
    printReport(report);
    failed ||= chaosFailed(report);
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
