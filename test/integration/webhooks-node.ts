/**
 * An embedded Parley node for the webhook crash tests, run as a child process so the test can
 * SIGKILL it. Configuration comes from PARLEY_* (shared SQLite data folder, callback URL;
 * PARLEY_TEST_SERVICES=all runs every service, all-but-webhooks every one but the webhooks
 * service); over IPC it takes
 * { configure: callbackSettings }, { enqueue: [{ key, n }] } (webhooks.after directly) and
 * { send: n } (n one-to-one and n group messages through the services, as an app backend's
 * REST calls would) and answers once everything asked for is acknowledged.
 */
import type { AfterResult } from '../../services/webhooks/client';
import { ALL_SERVICES, SDKAPPID, startNode } from './webhooks-support';

interface Enqueue {
  key: string;
  n: number;
}

const admin = { kind: 'admin' as const, id: 'administrator' };

async function main(): Promise<void> {
  const env = { ...(process.env as Record<string, string>), PARLEY_LOG_LEVEL: 'fatal' };
  const which = process.env.PARLEY_TEST_SERVICES;
  const services = which === 'all' ? ALL_SERVICES : which === 'all-but-webhooks' ? ALL_SERVICES.filter((s) => s !== 'webhooks') : undefined;
  const node = await startNode(env, process.env.PARLEY_DATA, services);
  process.on('message', (message: { configure?: object; enqueue?: Enqueue[]; send?: number }) => {
    void (async () => {
      if (message.configure) await node.configure(message.configure);
      if (message.send) return process.send?.({ done: true, ...(await send(message.send)) });
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

  async function send(n: number): Promise<{ group: string }> {
    const call = (action: string, body: object) => node.broker.call<Record<string, unknown>, object>(action, { app: SDKAPPID, caller: admin, body });
    await call('accounts.multiImport', { Accounts: ['alice', 'bob', 'carol'] });
    const { GroupId } = await call('groups.create', { Owner_Account: 'alice', Type: 'Public', Name: 'crash', MemberList: [{ Member_Account: 'bob' }] });
    for (let i = 0; i < n; i++) {
      await call('messages.send', { From_Account: 'alice', To_Account: 'bob', MsgRandom: i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `c2c ${i}` } }] });
      await call('groups.sendMessage', { GroupId, From_Account: 'alice', Random: i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `group ${i}` } }] });
    }
    // The relationship chain: four requests of alice's, each changing several users' actors.
    await call('friends.friendAdd', { From_Account: 'alice', AddFriendItem: [{ To_Account: 'bob' }, { To_Account: 'carol' }], ForceAddFlags: 1 });
    await call('friends.blacklistAdd', { From_Account: 'alice', To_Account: ['carol'] });
    await call('friends.blacklistDelete', { From_Account: 'alice', To_Account: ['carol'] });
    await call('friends.friendDelete', { From_Account: 'alice', To_Account: ['bob'], DeleteType: 'Delete_Type_Both' });
    return { group: String(GroupId) };
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
