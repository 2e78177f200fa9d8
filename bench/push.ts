/**
 * Push jobs delivered per second to a local APNs endpoint (test/support/push-servers.ts, HTTP/2
 * with the ES256 JWT checked on every request) from one embedded node: N one-to-one messages
 * to N/10 recipients with an APNs token, each message's job written in its own append, then
 * the time until the APNs server has accepted every push. Also the send rate with push on
 * against off (the same messages to users without an app push configuration).
 *
 *   npx tsx bench/push.ts [--messages 4000] [--users 400]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { serviceFile } from '../services/locate';
import { tempDir } from '../test/support/stores';
import { ApnsServer, apnsKeys } from '../test/support/push-servers';

const SDKAPPID = 1400777000;
const SERVICES = ['apps', 'accounts', 'auth', 'presence', 'friends', 'messages', 'inboxes', 'push', 'pushdevices'];
const admin = { kind: 'admin' as const, id: 'administrator' };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '4000' }, users: { type: 'string', default: '400' } } });
  const n = Number(values.messages);
  const users = Number(values.users);
  const keys = apnsKeys();
  const apns = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  await apns.start();
  const config = loadConfig({ PARLEY_DATA: tempDir('parley-bench-push-'), PARLEY_PORT: '0', PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_SECRET: 'bench-push-secret-0123456789', PARLEY_LOG_LEVEL: 'warn' });
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of SERVICES) broker.loadService(serviceFile(name));
  await broker.start();
  const call = (action: string, body: object) => broker.call<Record<string, unknown>, object>(action, { app: SDKAPPID, caller: admin, body });
  const ids = [...Array(users).keys()].map((i) => `u${i}`);
  await call('accounts.multiImport', { Accounts: ['sender'] });
  for (let i = 0; i < ids.length; i += 100) await call('accounts.multiImport', { Accounts: ids.slice(i, i + 100) });

  const sendAll = async (label: string, offset: number) => {
    const started = process.hrtime.bigint();
    const window = 64;
    let next = 0;
    await Promise.all(
      [...Array(window)].map(async () => {
        for (let i = next++; i < n; i = next++) {
          await call('messages.send', { From_Account: 'sender', To_Account: ids[i % users], MsgRandom: offset + i + 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }] });
        }
      }),
    );
    const sec = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${label}: ${n} sends in ${sec.toFixed(2)} s = ${Math.round(n / sec)} msg/s`);
    return { sec, started };
  };

  await sendAll('push off (no provider configured)', 0);
  await broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { push: { apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: apns.endpoint } } } });
  while (!(await broker.call<{ settings: { push?: { apns?: { key?: string } } } }, object>('apps.get', { sdkAppId: SDKAPPID })).settings.push?.apns?.key) await new Promise((r) => setTimeout(r, 5));
  for (const [i, id] of ids.entries()) await call('pushdevices.setToken', { UserID: id, Provider: 'apns', Token: crypto.createHash('sha256').update(`t${i}`).digest('hex'), InstId: 'phone' });

  const { started } = await sendAll('push on (jobs written with each message)', n);
  await apns.waitFor(`${n} pushes`, () => apns.received.length >= n, 600_000);
  const sec = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`pushes: ${apns.received.length} accepted by APNs ${sec.toFixed(2)} s after the first send = ${Math.round(apns.received.length / sec)} pushes/s (refused: ${apns.refused.length})`);
  await broker.stop();
  await apns.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
