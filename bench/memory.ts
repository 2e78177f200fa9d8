/**
 * A node's memory under a long run of one-to-one messages (issue 14, item 6): one embedded
 * node per setting of PARLEY_C2C_REMEMBERED, alternating, each sent `--messages` messages over
 * `--conversations` conversations through REST batchsendmsg (500 conversations a request,
 * `--inflight` requests at once); the node's RSS before and after, and per message.
 *
 * Usage: npx tsx bench/memory.ts [--messages 300000] [--conversations 10000] [--inflight 4]
 *   [--remembered 10000,200] [--runs 1]
 */
import { parseArgs } from 'node:util';
import { genUserSig } from '../services/auth/usersig';
import fs from 'node:fs';
import { ADMIN, ask, configure, freePort, nodeEnv, randomApp, SECRET, spawn, stopChild, tempDir, waitReady } from './load-targets';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '300000' },
    conversations: { type: 'string', default: '10000' },
    inflight: { type: 'string', default: '4' },
    remembered: { type: 'string', default: '10000,200' },
    runs: { type: 'string', default: '1' },
  },
});
const MESSAGES = Number(values.messages);
const CONVERSATIONS = Number(values.conversations);
const INFLIGHT = Number(values.inflight);
const PER_REQUEST = 500;
const SENDERS = Math.ceil(CONVERSATIONS / PER_REQUEST);

async function run(remembered: number): Promise<{ heapMb: number; remembered: number; startMb: number; endMb: number; perMessageB: number; msgPerSec: number }> {
  const app = randomApp();
  const port = await freePort();
  const data = tempDir('parley-memory-');
  const node = spawn('load-node', nodeEnv({ PARLEY_PORT: String(port), PARLEY_DATA: data, PARLEY_SDKAPPID: String(app), PARLEY_C2C_REMEMBERED: String(remembered) }));
  await waitReady(node, 'the embedded node');
  await configure(node, app);
  const sig = genUserSig({ sdkAppId: app, secretKey: SECRET, identifier: ADMIN, expireSeconds: 86400 });
  const call = async (command: string, body: object) => {
    const url = `http://127.0.0.1:${port}/v4/${command}?sdkappid=${app}&identifier=${ADMIN}&usersig=${encodeURIComponent(sig)}&random=${Math.floor(Math.random() * 1e9)}&contenttype=json`;
    const reply = (await (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()) as { ErrorCode: number; ErrorInfo?: string };
    if (reply.ErrorCode !== 0) throw new Error(`${command}: ${reply.ErrorCode} ${reply.ErrorInfo}`);
  };
  const receivers = Array.from({ length: PER_REQUEST }, (_, i) => `r${i}`);
  const senders = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const users = [...receivers, ...senders];
  for (let i = 0; i < users.length; i += 100) await call('im_open_login_svc/multiaccount_import', { Accounts: users.slice(i, i + 100) });
  const sample = () => ask<{ rss: number; heap: number }>(node, { type: 'cpu' }, 'cpu');
  const rss = async () => (await sample()).rss;
  const startRss = await rss();
  let next = 0;
  let random = 1;
  const started = Date.now();
  const requests = Math.ceil(MESSAGES / PER_REQUEST);
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (next < requests) {
        const i = next++;
        await call('openim/batchsendmsg', { From_Account: senders[i % SENDERS], To_Account: receivers, MsgRandom: random++, SyncOtherMachine: 2, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `message ${i}` } }] });
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const endRss = await rss();
  const heapMb = (await sample()).heap / 2 ** 20;
  await stopChild(node);
  fs.rmSync(data, { recursive: true, force: true });
  const sent = requests * PER_REQUEST;
  return { heapMb, remembered, startMb: startRss / 2 ** 20, endMb: endRss / 2 ** 20, perMessageB: (endRss - startRss) / sent, msgPerSec: sent / seconds };
}

async function main(): Promise<void> {
  const settings = values.remembered.split(',').map(Number);
  console.log(`memory bench: ${MESSAGES} messages over ${Math.min(CONVERSATIONS, SENDERS * PER_REQUEST)} conversations, batchsendmsg × ${INFLIGHT} in flight`);
  for (let round = 1; round <= Number(values.runs); round++) {
    for (const remembered of settings) {
      const r = await run(remembered);
      console.log(`  round ${round} remembered ${String(r.remembered).padStart(6)}: RSS ${r.startMb.toFixed(0)} → ${r.endMb.toFixed(0)} MB (+${(r.endMb - r.startMb).toFixed(0)} MB, ${r.perMessageB.toFixed(0)} B/message; heap used at the end ${r.heapMb.toFixed(0)} MB), ${r.msgPerSec.toFixed(0)} msg/s`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
