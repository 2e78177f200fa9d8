/**
 * Cost of webhooks on the send path: simulated one-to-one messages per second with the
 * before-send and after-send callbacks on, as a ratio to the rate with them off.
 *
 * C2C send does not exist yet, so one "message" is what webhooks add around it plus a stand-in
 * for the send itself: callBefore(C2C.CallbackBeforeSendMsg) → one durable append on the
 * conversation's actor (the counter kind, through the actor router, like a conversation actor)
 * → callAfter(C2C.CallbackAfterSendMsg), each awaited. The app backend is a plain node:http
 * server in a child process answering OK at once. Real sends do more work per message (seq,
 * dedup, sync sequences, push), so the ratio against them will be better than measured here.
 *
 *   npx tsx bench/webhooks.ts [--messages 20000] [--concurrency 256] [--conversations 2000] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceBroker, type ServiceSchema } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { actorHostMixin } from '../runtime/moleculer/host.mixin';
import { routerOf } from '../runtime/moleculer/router';
import { callAfter, callBefore } from '../services/webhooks/client';
import { startCallbackBackend } from './callback-backend';
import { counterKind, counterSchemas, type CounterCommand } from './counter';
import { median } from './stats';

const SDKAPPID = 1400999999;
const COMMANDS = { before: ['C2C.CallbackBeforeSendMsg'], after: ['C2C.CallbackAfterSendMsg'], both: ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg'] };

interface Options {
  messages: number;
  concurrency: number;
  conversations: number;
  runs: number;
  /** Which callbacks are on in the "on" runs: before, after or both. */
  only: 'before' | 'after' | 'both';
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '256' },
      conversations: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: 'both' },
    },
  });
  return { messages: Number(values.messages), concurrency: Number(values.concurrency), conversations: Number(values.conversations), runs: Number(values.runs), only: values.only as Options['only'] };
}


async function main(): Promise<void> {
  const opts = options();
  const backend = await startCallbackBackend();
  const { received, url } = backend;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-webhooks-'));
  const config = loadConfig({ PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_LOG_LEVEL: 'warn' });
  const broker = new ServiceBroker(brokerOptions(config, { extraSchemas: counterSchemas }));
  for (const name of ['apps', 'webhooks']) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    broker.createService((require(`../services/${name}.service`) as { default: ServiceSchema }).default);
  }
  broker.createService({ name: 'conversations', mixins: [actorHostMixin(counterKind)] });
  await broker.start();
  const router = routerOf(broker);
  const configure = async (callbackUrl: string) => {
    await broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { callback: { url: callbackUrl, token: 'bench-token', commands: COMMANDS[opts.only] } } });
    await new Promise((r) => setTimeout(r, 50)); // apps.changed refreshes the directory
  };

  let sent = 0;
  const message = async (i: number) => {
    const a = `u${i % opts.conversations}`;
    const body = { From_Account: a, To_Account: 'peer', MsgRandom: i, MsgSeq: i, MsgTime: Math.floor(Date.now() / 1000), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }] };
    const verdict = await callBefore(broker, { app: SDKAPPID, command: 'C2C.CallbackBeforeSendMsg', body });
    if (verdict.verdict !== 'allow') throw new Error(`unexpected verdict ${JSON.stringify(verdict)}`);
    await router.call('conversations', `${SDKAPPID}:${a}|peer`, { op: 'add', by: 1 } satisfies CounterCommand);
    await callAfter(broker, { app: SDKAPPID, command: 'C2C.CallbackAfterSendMsg', body: { ...body, SendMsgResult: 0, ErrorInfo: 'send msg succeed', UnreadMsgNum: 1 }, orderKey: `${a}|peer` });
  };
  const run = async (): Promise<number> => {
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.messages) await message(sent + next++);
      }),
    );
    sent += opts.messages;
    return opts.messages / (Number(process.hrtime.bigint() - t0) / 1e9);
  };

  const rows: { off: number; on: number; drained: number }[] = [];
  await configure('');
  await run(); // warm-up: JIT, SQLite pages, activations
  for (let r = 0; r < opts.runs; r++) {
    await configure('');
    const off = await run();
    await configure(url);
    const before = await received();
    const t0 = Date.now();
    const on = await run();
    // With both on, each message makes two requests: the before-send one inline, the after-send one from the outbox.
    while ((await received()) - before < (opts.only === 'both' ? 2 : 1) * opts.messages) await new Promise((res) => setTimeout(res, 5));
    rows.push({ off, on, drained: opts.messages / ((Date.now() - t0) / 1000) });
  }
  const off = median(rows.map((r) => r.off));
  const on = median(rows.map((r) => r.on));
  const drained = median(rows.map((r) => r.drained));
  console.log(`webhooks bench: ${opts.messages} simulated C2C messages x ${opts.runs} runs, ${opts.concurrency} in flight, ${opts.conversations} conversations, SQLite sync ${config.store.sqliteSync}`);
  console.table(rows.map((r) => ({ 'off msg/s': Math.round(r.off), 'on msg/s': Math.round(r.on), 'on, all after-callbacks delivered msg/s': Math.round(r.drained), ratio: +(r.on / r.off).toFixed(2) })));
  console.log(`median: off ${Math.round(off)} msg/s, on ${Math.round(on)} msg/s (ratio ${(on / off).toFixed(2)}), on until every after-callback was delivered ${Math.round(drained)} msg/s (ratio ${(drained / off).toFixed(2)})`);
  await broker.stop();
  backend.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
