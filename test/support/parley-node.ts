/**
 * One full Parley node for cluster tests, run as a child process: every service of
 * services/ (REST, WebSocket gateway, presence, actors) over NATS, PostgreSQL and Redis.
 * Environment: PARLEY_* as in config/ (port, namespace, node id, schema, first app).
 */
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { SERVICES_DIR } from '../../services/locate';

async function main(): Promise<void> {
  const broker = new ServiceBroker(brokerOptions(loadConfig()));
  broker.loadServices(SERVICES_DIR, '**/*.service.ts');
  await broker.start();
  process.send?.({ ready: broker.nodeID });
  process.on('SIGTERM', () => broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
