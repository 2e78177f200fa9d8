/**
 * A cluster of real Parley nodes for tests: child processes over NATS, PostgreSQL and Redis,
 * which a test can kill without a graceful stop and start again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { NATS_URL, PG_URL, REDIS_URL, uniqueSchema } from './stores';

const NODE_SCRIPT = path.join(__dirname, 'cluster-node.ts');

/** The environment of one cluster node in tests: the local NATS, PostgreSQL and Redis, fast heartbeats. */
export function clusterNodeEnv(nodeID: string, namespace: string, schema: string): Record<string, string> {
  return {
    PARLEY_NODE_ID: nodeID,
    PARLEY_NAMESPACE: namespace,
    PARLEY_TRANSPORTER: NATS_URL,
    PARLEY_DB: PG_URL,
    PARLEY_DB_SCHEMA: schema,
    PARLEY_REDIS: REDIS_URL,
    PARLEY_HEARTBEAT_SEC: '1',
    PARLEY_HEARTBEAT_TIMEOUT_SEC: '3',
    PARLEY_LOG_LEVEL: 'warn',
  };
}

export class TestCluster {
  readonly namespace = uniqueSchema('ns');
  readonly schema = uniqueSchema('cluster');
  private readonly children = new Map<string, ChildProcess>();

  constructor(private readonly env: Record<string, string> = {}) {}

  /** Starts a node and resolves once its broker has started. */
  start(nodeID: string): Promise<void> {
    const child = fork(NODE_SCRIPT, [], {
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...clusterNodeEnv(nodeID, this.namespace, this.schema), ...this.env },
    });
    this.children.set(nodeID, child);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`node ${nodeID} exited with ${code} before it was ready`)));
    });
  }

  /** SIGKILL: no graceful stop, no goodbye to the other nodes. */
  kill(nodeID: string): void {
    this.children.get(nodeID)?.kill('SIGKILL');
    this.children.delete(nodeID);
  }

  /** A broker on the same transporter that hosts nothing: the test's client. */
  client(): ServiceBroker {
    return new ServiceBroker({
      namespace: this.namespace,
      nodeID: `client-${process.pid}`,
      transporter: NATS_URL,
      logger: false,
      heartbeatInterval: 1,
      heartbeatTimeout: 3,
      requestTimeout: 15_000,
    });
  }

  stopAll(): void {
    for (const id of [...this.children.keys()]) this.kill(id);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
