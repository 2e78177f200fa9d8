/**
 * The one-to-one send path with offline push configured against without, on one embedded node:
 * N messages (64 in flight) to N/10 recipients that all have an APNs token and no online
 * device, so that with push on every message makes a push job, delivered to the loopback APNs
 * server (test/support/push-servers.ts, verifying every JWT) in a process of its own
 * (bench/push-apns-process.ts), so that its signature checks do not share the node's event
 * loop. After one uncounted warm-up run, runs alternate off / on `--runs` times; each on-run waits until APNs accepted all of
 * its pushes before the next run starts, and reports the push rate too. Medians at the end.
 *
 *   npx tsx bench/push.ts [--messages 2000] [--users 200] [--runs 3] [--tokens 1] [--profile prefix]
 *
 * --tokens: the share of recipients with a token (0: push configured, nothing to push).
 *
 * --profile writes `<prefix>-off-<i>.cpuprofile` and `<prefix>-on-<i>.cpuprofile` (the send
 * window of each run, bench/profile-window.ts).
 */
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { serviceFile } from '../services/locate';
import { tempDir } from '../test/support/stores';
import { APNS_IDS } from './push-apns-process';
import { startProfile } from './profile-window';

const SDKAPPID = 1400777000;
const SERVICES = ['apps', 'accounts', 'auth', 'presence', 'friends', 'messages', 'inboxes', 'groups', 'push', 'pushdevices'];
const admin = { kind: 'admin' as const, id: 'administrator' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '2000' }, users: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, tokens: { type: 'string', default: '1' }, profile: { type: 'string' } } });
  const n = Number(values.messages);
  const users = Number(values.users);
  const child = fork(path.join(__dirname, 'push-apns-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const apns = await new Promise<{ endpoint: string; key: string }>((resolve) => child.once('message', (m) => resolve(m as { endpoint: string; key: string })));
  const pushed = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as { count: number }).count));
      child.send('count');
    });
  const config = loadConfig({ PARLEY_DATA: tempDir('parley-bench-push-'), PARLEY_PORT: '0', PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_SECRET: 'bench-push-secret-0123456789', PARLEY_LOG_LEVEL: 'warn' });
  const broker = new ServiceBroker(brokerOptions(config));
  for (const name of SERVICES) broker.loadService(serviceFile(name));
  await broker.start();
  const call = (action: string, body: object) => broker.call<Record<string, unknown>, object>(action, { app: SDKAPPID, caller: admin, body });
  const ids = [...Array(users).keys()].map((i) => `u${i}`);
  await call('accounts.multiImport', { Accounts: ['sender'] });
  for (let i = 0; i < ids.length; i += 100) await call('accounts.multiImport', { Accounts: ids.slice(i, i + 100) });
  const pushOn = { apns: { ...APNS_IDS, key: apns.key, production: false, endpoint: apns.endpoint } };
  const setPush = async (on: boolean) => {
    await broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { push: on ? pushOn : { apns: null } } });
    while (Boolean((await broker.call<{ settings: { push?: { apns?: { key?: string } | null } } }, object>('apps.get', { sdkAppId: SDKAPPID })).settings.push?.apns?.key) !== on) await sleep(5);
  };
  await setPush(true);
  const withToken = ids.slice(0, Math.round(users * Number(values.tokens)));
  for (const [i, id] of withToken.entries()) await call('pushdevices.setToken', { UserID: id, Provider: 'apns', Token: crypto.createHash('sha256').update(`t${i}`).digest('hex'), InstId: 'phone' });

  let random = 0;
  const sendAll = async () => {
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      [...Array(64)].map(async () => {
        for (let i = next++; i < n; i = next++) {
          await call('messages.send', { From_Account: 'sender', To_Account: ids[i % users], MsgRandom: ++random, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }] });
        }
      }),
    );
    return { sec: Number(process.hrtime.bigint() - started) / 1e9, started };
  };

  // Warm-up, not counted: the first run pays for JIT and for activating every conversation.
  await setPush(false);
  await sendAll();
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const pushRates: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    for (const mode of ['off', 'on'] as const) {
      await setPush(mode === 'on');
      const before = await pushed();
      const profile = values.profile ? await startProfile() : undefined;
      const { sec, started } = await sendAll();
      await profile?.stop(`${values.profile}-${mode}-${run}.cpuprofile`);
      rates[mode].push(n / sec);
      let line = `run ${run + 1}, push ${mode}: ${n} sends in ${sec.toFixed(2)} s = ${Math.round(n / sec)} msg/s`;
      if (mode === 'on') {
        const deadline = Date.now() + 120_000;
        const expected = Math.round((n * withToken.length) / users);
        while ((await pushed()) - before < expected && Date.now() < deadline) await sleep(50);
        const all = Number(process.hrtime.bigint() - started) / 1e9;
        pushRates.push(((await pushed()) - before) / all);
        line += `; ${(await pushed()) - before} pushes accepted ${all.toFixed(2)} s after the first send = ${Math.round(pushRates[pushRates.length - 1])} pushes/s`;
      }
      console.log(line);
    }
  }
  const off = median(rates.off);
  const on = median(rates.on);
  console.log(`median: push off ${Math.round(off)} msg/s, push on ${Math.round(on)} msg/s (ratio ${(on / off).toFixed(2)}), ${Math.round(median(pushRates))} pushes/s`);
  await broker.stop();
  child.send('stop');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
