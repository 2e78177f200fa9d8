/**
 * What the feature benches (conversation-list.ts, reactions.ts, topics.ts) share: one embedded
 * Parley node in a process of its own (bench/load-node.ts through load-targets.ts, with REST rate
 * limits raised and group frequency control off), an app backend's keep-alive REST client, the
 * node's CPU, and how busy the rest of the machine was while a bench ran (docs/benchmarks.md asks
 * every figure to say so).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { genUserSig } from '../services/auth/usersig';
import { ADMIN, ask, SECRET, startTarget, type Target } from './load-targets';
import { DEFAULTS } from './load-types';
import { machineSample } from './load-cpu';

export { ADMIN, SECRET };
export type Body = Record<string, unknown>;

export interface Node {
  target: Target;
  port: number;
  app: number;
  rest: Rest;
  /** CPU of the node's process (every thread), µs since it started. */
  cpuUs(): Promise<number>;
  stop(): Promise<void>;
}

/** One embedded node (SQLite, synchronous FULL), as the load bench starts it; its REST client keeps `restConnections` open. */
export async function startNode(restConnections = 32): Promise<Node> {
  const target = await startTarget('embedded', DEFAULTS);
  const port = target.ports[0];
  const rest = new Rest(port, target.app, restConnections);
  const server = target.servers[0];
  return {
    target,
    port,
    app: target.app,
    rest,
    cpuUs: () => cpuOf(server),
    async stop() {
      await rest.close();
      await target.stop();
    },
  };
}

async function cpuOf(server: ChildProcess): Promise<number> {
  const r = await ask<{ cpu: NodeJS.CpuUsage }>(server, { type: 'cpu' }, 'cpu');
  return r.cpu.user + r.cpu.system;
}

/** REST as an app backend calls it: the administrator's UserSig, keep-alive connections. */
export class Rest {
  private readonly pool: Pool;
  private readonly query: string;
  private n = 0;

  constructor(port: number, app: number, connections = 32) {
    this.pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
    const sig = genUserSig({ sdkAppId: app, secretKey: SECRET, identifier: ADMIN, expireSeconds: 86400 });
    this.query = `sdkappid=${app}&identifier=${ADMIN}&usersig=${encodeURIComponent(sig)}&contenttype=json&random=`;
  }

  /** One command; answers the envelope, the response's bytes and its time. */
  async call(command: string, body: object): Promise<{ reply: Body; bytes: number; ms: number }> {
    const at = performance.now();
    const res = await this.pool.request({ method: 'POST', path: `/v4/${command}?${this.query}${++this.n}`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const text = await res.body.text();
    return { reply: JSON.parse(text) as Body, bytes: Buffer.byteLength(text), ms: performance.now() - at };
  }

  /** As call, but a non-zero ErrorCode throws: for set-up, where any refusal is a bench bug. */
  async ok(command: string, body: object): Promise<Body> {
    const { reply } = await this.call(command, body);
    if (reply.ErrorCode) throw new Error(`${command}: ${String(reply.ErrorCode)} ${String(reply.ErrorInfo)}`);
    return reply;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Runs `work(i)` for i in [0, count) with at most `inFlight` at once. */
export async function inParallel(count: number, inFlight: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export async function importAccounts(rest: Rest, users: string[]): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < users.length; i += 100) chunks.push(users.slice(i, i + 100));
  await inParallel(chunks.length, 4, (i) => rest.ok('im_open_login_svc/multiaccount_import', { Accounts: chunks[i] }).then(() => undefined));
}

/**
 * How busy the machine was outside what the bench accounts for (the node, the bench process, its
 * client processes): `others` is that share of all cores, %, over the time since `begin()`.
 */
export class MachineLoad {
  private t0 = 0;
  private busy0 = 0;
  private own0 = 0;

  begin(ownCpuUs: number): void {
    this.t0 = performance.now();
    this.busy0 = machineSample().busy;
    this.own0 = ownCpuUs;
  }

  end(ownCpuUs: number): { othersPct: number; loadavg: number } {
    const wallUs = (performance.now() - this.t0) * 1000;
    const others = machineSample().busy - this.busy0 - (ownCpuUs - this.own0);
    return { othersPct: Math.max(0, (100 * others) / (wallUs * os.cpus().length)), loadavg: os.loadavg()[0] };
  }
}

export const processCpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

/** CPU of child processes (the bench's clients), µs, from /proc; 0 where /proc is missing. */
export function childrenCpuUs(children: ChildProcess[]): number {
  let us = 0;
  for (const c of children) {
    try {
      const stat = fs.readFileSync(`/proc/${c.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      us += (Number(fields[11]) + Number(fields[12])) * 10_000;
    } catch {
      // gone
    }
  }
  return us;
}
