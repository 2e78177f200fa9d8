/**
 * The remote node of the round-trip bench, run as a child process: a broker on NATS hosting
 * the counters service on a SQLite store in a temp folder. Configured like any node, through
 * PARLEY_* (config/); the parent sets namespace, node id, transporter and data folder.
 */
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { actorHostMixin } from '../runtime/moleculer/host.mixin';
import { counterKind, counterSchemas } from './counter';

async function main(): Promise<void> {
  const broker = new ServiceBroker(brokerOptions(loadConfig(), { extraSchemas: counterSchemas }));
  broker.createService({ name: 'counters', mixins: [actorHostMixin(counterKind)] });
  await broker.start();
  process.send?.({ ready: broker.nodeID });
  process.on('disconnect', () => void broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
