/**
 * `npm run demo`: an embedded Parley (every service, PARLEY_* settings as `npm start` reads them,
 * data under PARLEY_DATA) and, beside it, the built UIKit example on 127.0.0.1:<PARLEY_PORT+1>.
 * Open the printed address in two browser windows, log in as two users, and chat.
 *
 * The demo server signs a UserSig for any user ID it is asked about (demo/server.ts), so it
 * listens on the loopback address only; Parley itself listens as configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../../config';
import { brokerOptions } from '../../../moleculer.config';
import { genUserSig } from '../../../services/auth/usersig';
import { SERVICES_DIR } from '../../../services/locate';
import { startDemoServer } from './server';

const DIST = path.resolve(__dirname, '../dist');

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.transporter) throw new Error('npm run demo starts an embedded node: unset PARLEY_TRANSPORTER (or point the example at your cluster yourself, docs/uikit.md)');
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, `**/*.service${path.extname(__filename)}`);
  await broker.start();
  // The first start wrote the app's credentials there (services/apps/first-app.ts).
  const app = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'app.json'), 'utf8')) as { sdkAppId: number; secretKey: string; admin: string };
  const sign = (userId: string) => genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, identifier: userId, expireSeconds: 24 * 3600 });
  const parleyUrl = `http://127.0.0.1:${config.port}`;
  const demo = await startDemoServer(DIST, { sdkAppId: app.sdkAppId, admin: app.admin, sign, parleyUrl, proxyServer: `ws://127.0.0.1:${config.port}` }, config.port + 1);
  broker.logger.info(`Tencent Chat UIKit on Parley: open ${demo.url}/ (app ${app.sdkAppId}, Parley at ${parleyUrl}); Ctrl-C stops both`);
  const stop = async () => {
    await demo.close();
    await broker.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
