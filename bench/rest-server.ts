/**
 * The server side of the REST benchmark: one embedded node with every service, run as its
 * own process so the load generator does not share its event loop. Raises the app's rate
 * limits (the defaults of 100–200/s would cap the benchmark), imports the accounts to
 * check, then reports the query string an app backend would use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { genUserSig } from '../services/auth/usersig';
import { SERVICES_DIR } from '../services/locate';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-rest-'));
  const port = Number(process.env.BENCH_PORT ?? 18_900);
  const config = loadConfig({
    PARLEY_PORT: String(port),
    PARLEY_DATA: dataDir,
    PARLEY_SDKAPPID: '1400000001',
    PARLEY_SECRET: 'bench-secret-key-0123456789abcdef',
    PARLEY_LOG_LEVEL: 'warn',
  });
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, process.env.BENCH_SERVICES ?? '**/*.service.[jt]s');
  await broker.start();
  await broker.call('apps.update', { sdkAppId: 1400000001, settings: { rateLimits: { default: 1_000_000, account: 1_000_000 } } });
  await new Promise((r) => setTimeout(r, 200)); // apps.changed reaches the directory
  const admin = 'administrator';
  const usersig = genUserSig({ sdkAppId: 1400000001, secretKey: 'bench-secret-key-0123456789abcdef', identifier: admin, expireSeconds: 86400 });
  const query = `sdkappid=1400000001&identifier=${admin}&usersig=${usersig}&random=1&contenttype=json`;
  const res = await fetch(`http://127.0.0.1:${port}/v4/im_open_login_svc/multiaccount_import?${query}`, {
    method: 'POST',
    body: JSON.stringify({ Accounts: Array.from({ length: 100 }, (_, i) => `user${i}`) }),
  });
  const answer = (await res.json()) as { ErrorCode: number };
  if (answer.ErrorCode !== 0) throw new Error(`import failed: ${JSON.stringify(answer)}`);
  process.send?.({ ready: true, port, query });
  process.on('SIGTERM', () => broker.stop().then(() => process.exit(0)));
  // The data folder is this run's alone: removed on the way out (each run used to leave one in the
  // temp folder). On 'exit', since Moleculer's own SIGTERM handler may exit first.
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
