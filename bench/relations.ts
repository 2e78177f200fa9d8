/**
 * friend_check and black_list_check of 1,000 accounts against one embedded node, for a user
 * with 3,000 friends (and 1,000 blocked accounts), over REST as an app backend calls them:
 * HTTP, JSON, the command table, one relations-actor call. Sequential calls, so each latency is
 * one request alone; the target is p99 under 20 ms (issue 6).
 *
 * Run: npx tsx bench/relations.ts   (BENCH_CALLS=<n> per check type, default 300)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { genUserSig } from '../services/auth/usersig';
import { percentile, round, table } from './stats';
import { serviceFile } from '../services/locate';

const APP = 1400000001;
const SECRET = 'bench-secret-key-0123456789abcdef';
const CALLS = Number(process.env.BENCH_CALLS ?? 300);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-relations-'));
  const port = Number(process.env.BENCH_PORT ?? 18_950);
  const config = loadConfig({ PARLEY_PORT: String(port), PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(APP), PARLEY_SECRET: SECRET, PARLEY_LOG_LEVEL: 'warn' });
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of ['api', 'apps', 'accounts', 'auth', 'presence', 'friends', 'profiles']) broker.loadService(serviceFile(name));
  await broker.start();
  await broker.call('apps.update', { sdkAppId: APP, settings: { rateLimits: { default: 1_000_000, account: 1_000_000 } } });
  await new Promise((r) => setTimeout(r, 200));
  const sig = genUserSig({ sdkAppId: APP, secretKey: SECRET, identifier: 'administrator', expireSeconds: 86400 });
  const url = (command: string) => `http://127.0.0.1:${port}/v4/${command}?sdkappid=${APP}&identifier=administrator&usersig=${encodeURIComponent(sig)}&random=1&contenttype=json`;
  const call = async (command: string, body: object) => {
    const res = await fetch(url(command), { method: 'POST', body: JSON.stringify(body), headers: { Connection: 'keep-alive' } });
    const answer = (await res.json()) as { ErrorCode: number; ErrorInfo: string };
    if (answer.ErrorCode !== 0) throw new Error(`${command}: ${answer.ErrorCode} ${answer.ErrorInfo}`);
    return answer;
  };

  const ids = Array.from({ length: 5000 }, (_, i) => `peer${i}`);
  const setupStart = Date.now();
  await call('im_open_login_svc/account_import', { UserID: 'owner' });
  for (let i = 0; i < ids.length; i += 100) await call('im_open_login_svc/multiaccount_import', { Accounts: ids.slice(i, i + 100) });
  for (let i = 0; i < 3000; i += 1000) {
    await call('sns/friend_import', { From_Account: 'owner', AddFriendItem: ids.slice(i, i + 1000).map((To_Account) => ({ To_Account, AddSource: 'AddSource_Type_Bench' })) });
  }
  await call('sns/black_list_add', { From_Account: 'owner', To_Account: ids.slice(4000, 5000) });
  const setupMs = Date.now() - setupStart;

  // 1,000 accounts per call: a mix of friends, blocked and unrelated accounts.
  const targets = [...ids.slice(2500, 3000), ...ids.slice(3000, 3250), ...ids.slice(4000, 4250)];
  const kinds: [string, string, string][] = [
    ['friend_check Single', 'sns/friend_check', 'CheckResult_Type_Single'],
    ['friend_check Both', 'sns/friend_check', 'CheckResult_Type_Both'],
    ['black_list_check Single', 'sns/black_list_check', 'BlackCheckResult_Type_Single'],
    ['black_list_check Both', 'sns/black_list_check', 'BlackCheckResult_Type_Both'],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, command, CheckType] of kinds) {
    for (let i = 0; i < 20; i++) await call(command, { From_Account: 'owner', To_Account: targets, CheckType }); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = process.hrtime.bigint();
      await call(command, { From_Account: 'owner', To_Account: targets, CheckType });
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    rows.push([name, CALLS, round(percentile(ms, 50), 2), round(percentile(ms, 99), 2), round(Math.max(...ms), 2)]);
  }
  console.log(`owner: 3,000 friends, 1,000 blocked; 1,000 accounts per call; setup ${setupMs} ms`);
  console.log(table(['check (REST, sequential)', 'calls', 'p50 ms', 'p99 ms', 'max ms'], rows));
  await broker.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
