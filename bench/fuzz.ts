/**
 * Fuzz bench: thousands of seeded cases against an embedded node in a child process — mutated
 * bodies of every command GET /openapi.json lists, raw bodies, mutated query strings, paths and
 * methods, malformed WebSocket frames, logins and upgrades (bench/faults/). A case fails on an
 * HTTP 5xx, an internal-error code (the command's `internalCode`, 70500, or "internal error"),
 * no answer, or a socket that no longer serves; the run fails on any of those, a crash of the
 * node, or memory past its bounds.
 *
 *   npm run fuzz -- --cases 10000 --seed 42
 *   npm run fuzz -- --seed 42 --only 1234        # one case again, printed in full
 *   npm run fuzz -- --seed 42 --only 1200-1300   # a range of cases (bisecting a stall)
 *   npm run fuzz -- --seed 42 --node-args '--report-on-signal'   # kill -USR2 a stalled node
 *   npx tsx bench/fuzz.ts --cases 500            # from the sources; a random seed is printed
 */
import { parseArgs } from 'node:util';
import { FUZZ_DEFAULTS, runFuzz, type FuzzReport } from './faults/fuzz-run';
import { randomSeed } from './faults/prng';

/** `--only 12` or `--only 10-20` (inclusive). */
function cases(raw: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (!m) throw new Error(`--only takes a case or a range of cases (12, 10-20), got "${raw}"`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

function options() {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: String(FUZZ_DEFAULTS.cases) },
      seed: { type: 'string' },
      only: { type: 'string' },
      concurrency: { type: 'string', default: String(FUZZ_DEFAULTS.concurrency) },
      'max-rss-mb': { type: 'string', default: String(FUZZ_DEFAULTS.maxRssMb) },
      'max-heap-growth-mb': { type: 'string', default: String(FUZZ_DEFAULTS.maxHeapGrowthMb) },
      echo: { type: 'boolean', default: false },
      'node-args': { type: 'string' },
    },
  });
  const num = (raw: string | undefined, name: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
    return n;
  };
  return {
    cases: num(values.cases, 'cases'),
    seed: values.seed === undefined ? randomSeed() : num(values.seed, 'seed') >>> 0,
    only: values.only === undefined ? undefined : cases(values.only),
    concurrency: Math.max(1, num(values.concurrency, 'concurrency')),
    maxRssMb: num(values['max-rss-mb'], 'max-rss-mb'),
    maxHeapGrowthMb: num(values['max-heap-growth-mb'], 'max-heap-growth-mb'),
    echo: values.echo,
    nodeArgs: values['node-args']?.split(' ').filter(Boolean),
  };
}

export function printFuzzReport(r: FuzzReport): void {
  const m = r.memory;
  console.log(`\nfuzz, seed ${r.seed}: ${r.cases} cases in ${(r.durationMs / 1000).toFixed(1)} s (${Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  const rows: [string, string | number][] = [
    ['failures', r.failures.length],
    ['HTTP 5xx', r.classes['5xx'] ?? 0],
    ['internal-error codes', r.classes.internal ?? 0],
    ['hangs (no answer)', r.classes.hang ?? 0],
    ['sockets broken / connections lost', `${r.classes.socket ?? 0} / ${r.classes.connection ?? 0}`],
    ['keep-alive retries (idle close race)', r.retried],
    ['node crash', r.crash ? 'yes' : 'no'],
    ['RSS start / peak / end (MB)', `${m.rssStartMb} / ${m.rssPeakMb} / ${m.rssEndMb}`],
    ['heap after GC start / end (MB)', `${m.heapStartMb} / ${m.heapEndMb}`],
    ['memory bounded', m.bounded ? 'yes' : 'NO'],
    ['node error lines', r.nodeErrorLines],
  ];
  for (const [name, value] of rows) console.log(`  ${name.padEnd(36)} ${String(value).padStart(16)}`);
  console.log(`  answers: ${r.answers.slice(0, 24).map(([what, n]) => `${what} ×${n}`).join(', ')}`);
  console.log(`  slowest: ${r.slowest.map((c) => `#${c.index} ${c.kind} ${c.ms} ms (at ${(c.at / 1000).toFixed(1)} s)`).join(', ')}`);
  if (r.crash) console.log(`  ! ${r.crash}`);
  for (const f of r.failures.slice(0, 30)) console.log(`  ! case ${f.index} (${f.kind}; --seed ${r.seed} --only ${f.index}): ${f.why.slice(0, 200)} — ${f.note.slice(0, 160)}`);
  for (const line of r.firstNodeErrors.slice(0, 10)) console.log(`  log: ${line.slice(0, 240)}`);
}

export const fuzzFailed = (r: FuzzReport) => r.failures.length > 0 || r.crash !== undefined || !r.memory.bounded;

async function main(): Promise<void> {
  const o = options();
  console.log(`fuzz seed ${o.seed} (repeat with --seed ${o.seed})`);
  const report = await runFuzz({ ...o, log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`) });
  printFuzzReport(report);
  process.exit(fuzzFailed(report) ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
