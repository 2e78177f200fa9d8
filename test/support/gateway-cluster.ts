/**
 * Full Parley nodes (every service, WebSocket gateway and REST included) as child processes
 * over NATS, PostgreSQL and Redis, for tests of what clients on different nodes see. Each
 * cluster has its own namespace, schema and app id (the presence directory in Redis outlives
 * test runs), a client broker on the same transporter, and REST as the app administrator.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { genUserSig } from '../../services/auth/usersig';
import type { Parley } from '../e2e/ws-harness';
import { freePort, SECRET, until } from '../e2e/ws-harness';
import { clusterNodeEnv } from './cluster';
import { dropSchema, NATS_URL, tempDir, uniqueSchema } from './stores';

const NODE_SCRIPT = path.join(__dirname, 'parley-node.ts');

export class GatewayCluster {
  readonly namespace = uniqueSchema('ns');
  readonly schema: string;
  readonly sdkAppId = 1500000000 + Math.floor(Math.random() * 99_999_999);
  readonly ports: Record<string, number> = {};
  /** Started by `start`: a broker that hosts nothing, for calls to a chosen node. */
  client!: ServiceBroker;
  private readonly children = new Map<string, ChildProcess>();

  constructor(
    readonly nodes: string[],
    private readonly label: string,
    /** PARLEY_* settings over the test defaults of every node (e.g. the default heartbeats). */
    private readonly env: Record<string, string> = {},
  ) {
    this.schema = uniqueSchema(label);
  }

  /** Starts every node, then the client, and waits until every node sees every node's connector. */
  async start(services: string[]): Promise<void> {
    await Promise.all(this.nodes.map((nodeID) => this.startNode(nodeID)));
    this.client = new ServiceBroker({ namespace: this.namespace, nodeID: `${this.label}-client-${process.pid}`, transporter: NATS_URL, logger: false, heartbeatInterval: 1, heartbeatTimeout: 3 });
    await this.client.start();
    await this.client.waitForServices(services, 15_000);
    const n = this.nodes.length;
    await until(`the client to see ${n} connectors`, () => this.client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'connector').length === n, 15_000);
    // Each node must know the others' connectors, or its deliveries, kicks and room pushes skip them.
    await until(
      `every node to see ${this.nodes.length} connectors`,
      async () => {
        const lists = await Promise.all(this.nodes.map((nodeID) => this.client.call<{ name: string; nodes?: string[] }[], object>('$node.services', { onlyAvailable: true }, { nodeID })));
        return lists.every((list) => (list.find((svc) => svc.name === 'connector')?.nodes?.length ?? 0) === this.nodes.length);
      },
      15_000,
    );
  }

  private async startNode(nodeID: string): Promise<void> {
    this.ports[nodeID] = await freePort();
    const child = fork(NODE_SCRIPT, [], {
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        ...clusterNodeEnv(nodeID, this.namespace, this.schema),
        PARLEY_PORT: String(this.ports[nodeID]),
        PARLEY_DATA: tempDir(`parley-${this.label}-cluster-`),
        PARLEY_SDKAPPID: String(this.sdkAppId),
        PARLEY_SECRET: SECRET,
        ...this.env,
      },
    });
    this.children.set(nodeID, child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`node ${nodeID} exited with ${code}`)));
    });
  }

  sig = (id: string): string => genUserSig({ sdkAppId: this.sdkAppId, secretKey: SECRET, identifier: id, expireSeconds: 3600 });

  proxyServer(nodeID: string): string {
    return `ws://127.0.0.1:${this.ports[nodeID]}`;
  }

  /** What FrameClient needs of a node. */
  node(nodeID: string): Parley {
    return { sdkAppId: this.sdkAppId, proxyServer: this.proxyServer(nodeID), sig: this.sig } as unknown as Parley;
  }

  /** A REST call as the app administrator through the node's gateway. */
  async rest<T = { ErrorCode: number }>(nodeID: string, command: string, body: object): Promise<T> {
    const url = `http://127.0.0.1:${this.ports[nodeID]}/v4/${command}?sdkappid=${this.sdkAppId}&identifier=administrator&usersig=${this.sig('administrator')}&random=${Math.floor(Math.random() * 1e9)}&contenttype=json`;
    return (await (await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) })).json()) as T;
  }

  /** SIGKILL: no graceful stop, no goodbye to the other nodes. */
  kill(nodeID: string): void {
    this.children.get(nodeID)?.kill('SIGKILL');
    this.children.delete(nodeID);
  }

  /** SIGKILL every node, stop the client, drop the schema. */
  async stop(): Promise<void> {
    for (const child of this.children.values()) child.kill('SIGKILL');
    await this.client?.stop();
    await dropSchema(this.schema);
  }
}
