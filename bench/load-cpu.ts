/**
 * CPU accounting of the load bench from /proc (Linux; elsewhere every figure is 0): the busy time
 * of the whole machine, and of the servers a cluster leans on — NATS and Redis whole (one process
 * each, shared with anyone else using them), PostgreSQL only the backends serving the bench's
 * nodes, found by the client port in their process title (`postgres: … 127.0.0.1(40312) …`)
 * matched against the TCP connections the nodes hold to the PostgreSQL port.
 */
import fs from 'node:fs';

/** USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux. */
const TICK_US = 10_000;

export interface MachineSample {
  /** Busy CPU of all cores, µs. */
  busy: number;
  /** NATS + Redis, µs. */
  natsRedis: number;
  /** CPU of each PostgreSQL backend serving the bench (pid → µs). */
  pg: Map<number, number>;
}

/**
 * µs of the infrastructure between two samples. A backend first seen in `b` started after `a`
 * (a pool opened it), so all of its time counts; one gone by `b` (a pool closed it) is missed.
 */
export function infraBetween(a: MachineSample, b: MachineSample): number {
  let pg = 0;
  for (const [pid, us] of b.pg) pg += us - (a.pg.get(pid) ?? 0);
  return b.natsRedis - a.natsRedis + pg;
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** utime + stime of a process, µs, with its name (comm). */
function processCpu(pid: string): { comm: string; us: number } | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), us: (Number(fields[11]) + Number(fields[12])) * TICK_US };
}

/** Local ports of the TCP connections that `pids` hold to `remotePort`. */
export function clientPorts(pids: number[], remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      const local = parseInt(cols[1].split(':').at(-1) ?? '', 16);
      const remote = parseInt(cols[2].split(':').at(-1) ?? '', 16);
      if (remote === remotePort) ports.add(local);
    }
  }
  return ports;
}

/** Busy time of the machine and of the infrastructure processes; `pgClients`: the ports of the bench's PostgreSQL connections. */
export function machineSample(pgClients: Set<number> = new Set()): MachineSample {
  const sample: MachineSample = { busy: 0, natsRedis: 0, pg: new Map() };
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line) return sample;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  sample.busy = (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_US;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = processCpu(pid);
    if (!p) continue;
    if (p.comm === 'nats-server' || p.comm === 'redis-server') sample.natsRedis += p.us;
    else if (p.comm === 'postgres' && pgClients.size > 0) {
      const m = /\((\d+)\)/.exec(read(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ') ?? '');
      if (m && pgClients.has(Number(m[1]))) sample.pg.set(Number(pid), p.us);
    }
  }
  return sample;
}
