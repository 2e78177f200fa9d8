/**
 * Group message fan-out: one embedded node, a Public group of 2,000 members of whom 500 are
 * online over real WebSockets speaking the SDK's frames. Messages are sent through the groups
 * service as the administrator (the path of REST send_group_msg minus HTTP) with a bounded
 * number in flight; every socket timestamps each group push it receives.
 * Reports messages/s (durable, acknowledged) and delivery latency (send → frame at a socket).
 * Frequency control is switched off for the app so the figure is the server's, not the limit.
 * Usage: npx tsx bench/groups.ts [messages=2000] [inFlight=16]
 * The sockets live in this process too, so their parsing competes with the server: the
 * figures are a floor.
 */
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { WebSocket } from 'ws';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { genUserSig } from '../services/auth/usersig';
import { freePort } from '../test/support/embedded';
import { tempDir } from '../test/support/stores';
import { percentile, round, table } from './stats';

const MEMBERS = 2000;
const ONLINE = Number(process.env.ONLINE ?? 500);
const MESSAGES = Number(process.argv[2] ?? 2000);
const IN_FLIGHT = Number(process.argv[3] ?? 16);
const APP = 1400009999;
const SECRET = 'bench-groups-secret';
const admin = { kind: 'admin' as const, id: 'administrator' };

async function main(): Promise<void> {
  const port = await freePort();
  const config = loadConfig({ PARLEY_PORT: String(port), PARLEY_DATA: tempDir('parley-groups-bench-'), PARLEY_SDKAPPID: String(APP), PARLEY_SECRET: SECRET, PARLEY_LOG_LEVEL: 'warn', PARLEY_SQLITE_SYNC: process.env.PARLEY_SQLITE_SYNC ?? 'NORMAL' });
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(path.join(__dirname, '../services'), '*.service.ts');
  await broker.start();
  await broker.call('apps.update', { sdkAppId: APP, settings: { groups: { messagesPerSecond: 0 } } });
  const users = Array.from({ length: MEMBERS }, (_, i) => `m${i}`);
  for (let i = 0; i < MEMBERS; i += 100) await broker.call('accounts.multiImport', { app: APP, caller: admin, body: { Accounts: users.slice(i, i + 100) } });
  const created = await broker.call<{ GroupId: string }, object>('groups.create', { app: APP, caller: admin, body: { Owner_Account: 'm0', Type: 'Public', Name: 'bench' } });
  const GroupId = created.GroupId;
  for (let i = 1; i < MEMBERS; i += 500) {
    await broker.call('groups.addMembers', { app: APP, caller: admin, body: { GroupId, Silence: 1, MemberList: users.slice(i, i + 500).map((u) => ({ Member_Account: u })) } });
  }

  const latencies: number[] = [];
  const sockets = await Promise.all(users.slice(0, ONLINE).map((u, i) => connect(port, u, i, latencies)));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < MESSAGES) {
        const n = next++;
        const body = { GroupId, From_Account: 'm1', Random: n, MsgPriority: 'Normal', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${performance.now()}` } }] };
        await broker.call('groups.sendMessage', { app: APP, caller: admin, body });
      }
    }),
  );
  const sendMs = performance.now() - t0;
  const expected = MESSAGES * ONLINE;
  const deadline = Date.now() + 30_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const allMs = performance.now() - t0;
  console.log(table(
    ['members', 'online', 'messages', 'in flight', 'acked msg/s', 'delivered/s', 'deliveries', 'p50 ms', 'p99 ms', 'max ms'],
    [[MEMBERS, ONLINE, MESSAGES, IN_FLIGHT, round(MESSAGES / (sendMs / 1000)), round(latencies.length / (allMs / 1000)), `${latencies.length}/${expected}`, round(percentile(latencies, 50), 1), round(percentile(latencies, 99), 1), round(latencies.reduce((a, b) => Math.max(a, b), 0), 1)]],
  ));
  for (const ws of sockets) ws.terminate();
  await broker.stop();
  process.exit(0);
}

function connect(port: number, user: string, i: number, latencies: number[]): Promise<WebSocket> {
  const sig = genUserSig({ sdkAppId: APP, secretKey: SECRET, identifier: user, expireSeconds: 86400 });
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/binfo?sdkappid=${APP}&instanceid=gb${i}&platform=7&random=${i}`, { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.once('message', () => {
        ws.on('message', (data: Buffer) => {
          const text = data.toString();
          if (!text.includes('GroupMsgArray')) return;
          const sentAt = Number(/"Text":"([0-9.]+)"/.exec(text)?.[1]);
          latencies.push(performance.now() - sentAt);
        });
        resolve(ws);
      });
      const head = { ver: 'v4', platform: 7, sdkappid: APP, servcmd: 'im_open_status.wslogin', seq: 1, identifier: user, usersig: sig, status_instid: 0, cs: 0 };
      ws.send(Buffer.from(JSON.stringify({ head, body: { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' } })));
    });
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
