/**
 * An embedded Parley node for the push crash test, run as a child process so the test can
 * SIGKILL it. Over IPC: { setup: pushSettings, n } imports alice and bob, registers bob's APNs
 * token and sends n messages from alice to bob through the messages service, answering once
 * all are acknowledged; { drain: user } answers once the user's push shard has nothing pending.
 */
import type { PendingPush } from '../../../actors/pushq';
import { pushqKey, pushShardOf } from '../../../actors/pushq';
import { SDKAPPID, startNode } from '../webhooks-support';

const SERVICES = ['apps', 'accounts', 'auth', 'presence', 'friends', 'messages', 'inboxes', 'push', 'pushdevices'];
const admin = { kind: 'admin' as const, id: 'administrator' };

async function main(): Promise<void> {
  const node = await startNode({ ...(process.env as Record<string, string>), PARLEY_LOG_LEVEL: 'fatal' }, process.env.PARLEY_DATA, SERVICES);
  const call = (action: string, body: object) => node.broker.call<Record<string, unknown>, object>(action, { app: SDKAPPID, caller: admin, body });
  process.on('message', (message: { setup?: object; n?: number; token?: string; drain?: string }) => {
    void (async () => {
      if (message.setup) {
        await node.broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { push: message.setup } });
        while (!(await node.broker.call<{ settings: { push?: object } }, object>('apps.get', { sdkAppId: SDKAPPID })).settings.push) await new Promise((r) => setTimeout(r, 5));
        await call('accounts.multiImport', { Accounts: ['alice', 'bob'] });
        await call('pushdevices.setToken', { UserID: 'bob', Provider: 'apns', Token: message.token, InstId: 'bob-phone' });
        for (let i = 0; i < (message.n ?? 0); i++) await call('messages.send', { From_Account: 'alice', To_Account: 'bob', MsgRandom: i + 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }] });
      }
      if (message.drain) {
        const key = pushqKey(SDKAPPID, pushShardOf(message.drain));
        while ((await node.broker.call<{ items: PendingPush[] }, object>('push.dispatch', { key, command: { op: 'pending', limit: 1, now: Date.now() } })).items.length > 0) await new Promise((r) => setTimeout(r, 10));
      }
      process.send?.({ done: true });
    })().catch((err: Error) => process.send?.({ error: err.message }));
  });
  process.send?.({ ready: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
