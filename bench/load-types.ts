/** Options and figures of the load bench (bench/load.ts), shared by its modules. */
import type { LoadResult, Mode } from './load-clients';

/** nostats: an embedded node whose statistics follower does not run (PARLEY_STATS_TAIL_MS=0), the baseline of what statistics cost. */
export type TargetName = 'embedded' | 'cluster' | 'bare' | 'nostats';
export const TARGETS: readonly TargetName[] = ['embedded', 'cluster', 'bare', 'nostats'];
export const MODES: readonly Mode[] = ['c2c', 'group', 'rest'];

export interface LoadOptions {
  modes: Mode[];
  /** Pairs (c2c, rest) or groups (group). */
  pairs: number;
  /** Messages in flight per sender. */
  window: number;
  seconds: number;
  warmup: number;
  runs: number;
  targets: TargetName[];
  groupSize: number;
  /** Load-generator processes. */
  procs: number;
  /** REST: keep-alive connections per target (split over a cluster's nodes). */
  connections: number;
  /** Seconds a message may hold its window slot. */
  timeout: number;
  /** Seconds to wait for in-flight messages after the window. */
  drain: number;
  /** Milliseconds between runs (closed sockets settle). */
  pause: number;
  /** Seconds the idle CPU of each target is measured after its start. */
  idle: number;
  /** A folder: CPU and allocation profiles of every server process over each measured window go there. */
  profile?: string;
  /** With profile: an allocation profile (.heapprofile) of the same windows too. */
  heapProfile?: boolean;
  clusterNodes: number;
  pg: string;
  nats: string;
  redis: string;
  log: (line: string) => void;
}

export const DEFAULTS: LoadOptions = {
  modes: ['c2c'],
  pairs: 50,
  window: 10,
  seconds: 10,
  warmup: 2,
  runs: 3,
  targets: ['embedded', 'cluster', 'bare'],
  groupSize: 20,
  procs: 1,
  connections: 64,
  timeout: 10,
  drain: 15,
  pause: 500,
  idle: 2,
  clusterNodes: 3,
  pg: 'postgres://postgres@127.0.0.1:5432/test',
  nats: 'nats://127.0.0.1:4222',
  redis: 'redis://127.0.0.1:6379',
  log: (line) => console.log(line),
};

/** One measured run of one target. */
export interface RunFigures {
  target: TargetName;
  round: number;
  /** Deliveries/s in the window (messages/s for c2c and rest). */
  rate: number;
  /** Acknowledged messages/s in the window. */
  acked: number;
  p50: number;
  p99: number;
  /** µs of CPU per delivery: the target's processes, the load processes, NATS+PostgreSQL+Redis (cluster). */
  serverCpu: number;
  /** Share of serverCpu spent in the kernel (socket writes and reads, loopback TCP), %. */
  serverKernelPct: number;
  loadCpu: number;
  infraCpu?: number;
  /** Cluster: transporter packets published by the nodes per delivery, by type. */
  packets?: Record<string, number>;
  /** Share of the machine's CPU (all cores) used by processes outside the bench during the window, %. */
  othersPct: number;
  loadavg: number;
  check: Pick<LoadResult, 'sent' | 'acked' | 'expected' | 'received' | 'lost' | 'duplicated' | 'unexpected' | 'unackedDelivered' | 'noReply' | 'timedOut' | 'refused'>;
}

export interface TargetSummary {
  target: TargetName;
  rate: number;
  acked: number;
  p50: number;
  p99: number;
  serverCpu: number;
  serverKernelPct: number;
  loadCpu: number;
  infraCpu?: number;
  packets?: Record<string, number>;
  othersPct: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  refused: number;
  noReply: number;
}

export interface ModeReport {
  mode: Mode;
  runs: RunFigures[];
  summary: TargetSummary[];
  /** name → ratio of medians, and the median of the per-round ratios. */
  ratios: { name: string; ofMedians: number; perRound: number }[];
}
