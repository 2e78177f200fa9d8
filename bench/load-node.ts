/**
 * One Parley node of the load bench (bench/load.ts), in its own process: every service of
 * services/, configured from the PARLEY_* environment the bench gives it (embedded: SQLite in a
 * temp folder; cluster node: NATS, PostgreSQL, Redis).
 * IPC out: {type:'ready', port, nodeID} once the broker started.
 * IPC in → out: {type:'cpu', id} → {type:'cpu', id, cpu, rss, packets} (process.cpuUsage, all
 *   threads; transporter packets published so far, by type);
 *   {type:'connectors', id} → {type:'connectors', id, n} (gateway nodes this node sees);
 *   {type:'configure', id, sdkAppId, settings} → {type:'configured', id, error?} (apps.update);
 *   {type:'profile', …} → {type:'profiled', …} (bench/load-profile.ts).
 */
import path from 'node:path';
import { ServiceBroker, type Middleware } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { SERVICES_DIR } from '../services/locate';
import { profile, type ProfileRequest } from './load-profile';

type Request = { type: 'cpu' | 'connectors' | 'configure'; id: number; sdkAppId?: number; settings?: object } | ProfileRequest;

/** Transporter packets this node published, by type (REQ, RES, EVENT, HEARTBEAT…): what a cluster sends over NATS per message. */
const packets: Record<string, number> = {};
const countPackets = {
  transitPublish: (next: (packet: { type: string }) => Promise<void>) => (packet: { type: string }) => {
    packets[packet.type] = (packets[packet.type] ?? 0) + 1;
    return next(packet);
  },
} as unknown as Middleware;

async function main(): Promise<void> {
  const config = loadConfig();
  const options = brokerOptions(config);
  const broker = new ServiceBroker({ ...options, middlewares: [...(options.middlewares ?? []), countPackets] });
  broker.loadServices(SERVICES_DIR, '**/*.service' + path.extname(__filename));
  await broker.start();
  const send = (msg: object) => process.send?.(msg);
  process.on('message', (msg: Request) => {
    if (msg.type === 'profile') void profile(msg).then(send, (err: Error) => send({ type: 'profiled', id: msg.id, error: err.message }));
    else if (msg.type === 'cpu') send({ type: 'cpu', id: msg.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed, packets: { ...packets } });
    else if (msg.type === 'connectors') {
      const n = broker.registry.getServiceList({ onlyAvailable: true }).filter((s: { name: string }) => s.name === 'connector').length;
      send({ type: 'connectors', id: msg.id, n });
    } else if (msg.type === 'configure') {
      broker
        .call('apps.update', { sdkAppId: msg.sdkAppId, settings: msg.settings })
        // apps.changed reaches every node's app directory shortly after the update.
        .then(() => new Promise((r) => setTimeout(r, 500)))
        .then(
          () => send({ type: 'configured', id: msg.id }),
          (err: Error) => send({ type: 'configured', id: msg.id, error: err.message }),
        );
    }
  });
  process.on('disconnect', () => void broker.stop().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void broker.stop().finally(() => process.exit(0)));
  send({ type: 'ready', port: config.port, nodeID: broker.nodeID });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
