/**
 * The node under test of the WebSocket benchmarks: one embedded Parley (every service, SQLite
 * in a temp folder) in its own process, so its memory is measured apart from the load.
 * IPC: sends {port} when ready; answers 'measure' with memory after a full GC and the
 * connector's counters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import type { ConnectorStats } from '../services/connector/types';
import { SERVICES_DIR } from '../services/locate';

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    PARLEY_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ws-bench-')),
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_SQLITE_SYNC: process.env.PARLEY_SQLITE_SYNC ?? 'NORMAL',
  });
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, '**/*.service' + path.extname(__filename));
  await broker.start();
  process.send?.({ port: config.port });
  process.on('message', async (msg: { type: string }) => {
    if (msg.type !== 'measure') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 200));
    }
    const stats = await broker.call<ConnectorStats>('connector.stats');
    process.send?.({ type: 'measured', memory: process.memoryUsage(), stats: { ...stats, served: undefined } });
  });
  process.on('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
