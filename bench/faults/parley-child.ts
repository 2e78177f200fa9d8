/**
 * One full Parley node (every service of services/: REST, the SDK WebSocket, the actors) as a
 * child process of the fault benches, configured by PARLEY_* as `npm start` would be: embedded
 * on a persistent PARLEY_DATA, or a cluster node over NATS, PostgreSQL and Redis. A bench kills
 * it with SIGKILL and starts it again on the same data and node id.
 * IPC: sends {type: 'ready', nodeID} once the broker has started; answers {type: 'call'} (an
 * action call on this node, for set-up) and {type: 'memory'} (RSS and heap, after a full GC
 * when run with --expose-gc).
 */
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { SERVICES_DIR } from '../../services/locate';

export type ChildRequest = { type: 'call'; id: number; action: string; params: object; local?: boolean } | { type: 'memory'; id: number; gc: boolean };

export type ChildMessage =
  | { type: 'ready'; nodeID: string }
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  | { type: 'memory'; id: number; rss: number; heapUsed: number };

async function main(): Promise<void> {
  const broker = new ServiceBroker(brokerOptions(loadConfig()));
  broker.loadServices(SERVICES_DIR, `**/*.service${path.extname(__filename)}`);
  await broker.start();
  process.on('message', (msg: ChildRequest) => void answer(broker, msg));
  process.on('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
  send({ type: 'ready', nodeID: broker.nodeID });
}

async function answer(broker: ServiceBroker, msg: ChildRequest): Promise<void> {
  if (msg.type === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (msg.gc && gc) gc();
    const { rss, heapUsed } = process.memoryUsage();
    return send({ type: 'memory', id: msg.id, rss, heapUsed });
  }
  try {
    send({ type: 'answer', id: msg.id, result: await broker.call(msg.action, msg.params, msg.local ? { nodeID: broker.nodeID } : {}) });
  } catch (err) {
    send({ type: 'answer', id: msg.id, error: String((err as Error).message ?? err) });
  }
}

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
