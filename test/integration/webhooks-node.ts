/**
 * An embedded Parley node for the webhook crash test, run as a child process so the test can
 * SIGKILL it. Configuration comes from PARLEY_* (shared SQLite data folder, callback URL);
 * over IPC it takes { configure: callbackSettings } and { enqueue: [{ key, n }] } and answers
 * once everything asked for is durable.
 */
import type { AfterResult } from '../../services/webhooks.service';
import { SDKAPPID, startNode } from './webhooks-support';

interface Enqueue {
  key: string;
  n: number;
}

async function main(): Promise<void> {
  const node = await startNode({ ...(process.env as Record<string, string>), PARLEY_LOG_LEVEL: 'fatal' }, process.env.PARLEY_DATA);
  process.on('message', (message: { configure?: object; enqueue?: Enqueue[] }) => {
    void (async () => {
      if (message.configure) await node.configure(message.configure);
      const ids: number[] = [];
      for (const { key, n } of message.enqueue ?? []) {
        for (let i = 0; i < n; i++) {
          const result = await node.broker.call<AfterResult, object>('webhooks.after', {
            app: SDKAPPID,
            command: 'C2C.CallbackAfterSendMsg',
            body: { Key: key, N: i },
            orderKey: key,
          });
          ids.push(result.id ?? -1);
        }
      }
      process.send?.({ done: true, ids });
    })().catch((err: Error) => process.send?.({ error: err.message }));
  });
  process.send?.({ ready: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
