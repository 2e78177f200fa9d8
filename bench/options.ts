/**
 * Bench options from the command line (`npm run bench -- --runs 3 --only sqlite`): the bench
 * is no product code, so it reads argv rather than the environment config/ owns.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Runs per configuration; the table shows their median. Default 5. */
  runs: number;
  /** Length of one throughput run, in seconds. Default 2. */
  seconds: number;
  /** Commands in flight during a throughput run. Default 1000. */
  concurrency: number;
  /** Sequential actor calls per round-trip run. Default 2000. */
  calls: number;
  /** Suites to run: sqlite, postgres, rtt (comma-separated). Default all. */
  only: Set<string>;
  /** Group-commit window in ms to try instead of the default of config/. */
  windowMs?: number;
  pg: string;
  nats: string;
}

export function benchOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1000' },
      calls: { type: 'string', default: '2000' },
      only: { type: 'string', default: 'sqlite,postgres,rtt' },
      window: { type: 'string' },
      pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    },
  });
  const positive = (name: string, raw: string) => {
    const n = Number(raw);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return n;
  };
  return {
    runs: positive('runs', values.runs),
    seconds: positive('seconds', values.seconds),
    concurrency: positive('concurrency', values.concurrency),
    calls: positive('calls', values.calls),
    windowMs: values.window === undefined ? undefined : Number(values.window),
    only: new Set(values.only.split(',').map((s) => s.trim())),
    pg: values.pg,
    nats: values.nats,
  };
}
