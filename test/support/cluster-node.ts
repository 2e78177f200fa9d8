/**
 * One Parley node of the cluster tests, run as a child process so a test can kill it with
 * SIGKILL: NATS transporter, PostgreSQL event log, Redis, hosting the counter actors.
 * Environment: PARLEY_* as in config/ (namespace, node id, schema set by the test).
 */
import { ServiceBroker } from 'moleculer';
import { counterKind, counterSchemas } from '../../bench/counter';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { actorHostMixin } from '../../runtime/moleculer/host.mixin';

async function main(): Promise<void> {
  const broker = new ServiceBroker(brokerOptions(loadConfig(), { extraSchemas: counterSchemas }));
  broker.createService({ name: 'counters', mixins: [actorHostMixin(counterKind)] });
  await broker.start();
  process.send?.({ ready: broker.nodeID });
  process.on('SIGTERM', () => broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
