/**
 * The push jobs of a push-to-all task are written per batch, with the batch's progress record:
 * a node that went down after storing part of a batch's messages (what a SIGKILL before the
 * progress append leaves: messages stored, no progress, no job) resends the batch after its
 * restart, stores nothing twice, and writes one job for each recipient with a push device —
 * none for the others, none for a user whose last token was removed. A recipient who blocked
 * the sender gets nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { expect } from 'chai';
import { pushtaskKey, TASK_CREATED, type PushtaskState } from '../../../actors/pushtask';
import { QUEUED, type Queued } from '../../../actors/pushq';
import { runtimeOf } from '../../../runtime/moleculer/node-runtime';
import { REL } from '../../../actors/relations';
import { Chain } from '../../../services/friends/client';
import { registrationsLoaded } from '../../../services/push/client';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../../support/embedded';
import { ApnsServer, apnsKeys } from '../../support/push-servers';
import { tempDir } from '../../support/stores';
import { until } from '../../e2e/ws-harness';

const SERVICES = [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends', 'push', 'pushdevices', 'pushtasks'];
const SDKAPPID = 1400000921;
const RECIPIENTS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
const text = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'to all' } }];

describe('push-to-all task: push jobs per batch, across a restart', function () {
  this.timeout(30_000);
  const dir = tempDir('parley-pushtask-jobs-');
  const env = { PARLEY_DATA: dir, PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_SECRET: 'pushtask-jobs-secret-0123456789' };
  const keys = apnsKeys();
  const apns = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  let node: Embedded | undefined;
  after(async () => {
    await node?.stop();
    await apns.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The users of every push job written so far. */
  async function jobUsers(): Promise<string[]> {
    const events = await runtimeOf(node!.broker).store.readByTime({ from: 0, to: Date.now() + 1, streamPrefix: 'pushq:' });
    return events.filter((e) => e.type === QUEUED).flatMap((e) => (e as unknown as Queued).data.users).sort();
  }

  it('writes one job per recipient with a device, stores each message once, and skips who blocked the sender', async () => {
    await apns.start();
    node = await startEmbedded({ env, services: SERVICES });
    let rest = adminRest(node);
    const apnsSettings = { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: `http://127.0.0.1:${apns.port}` };
    await node.broker.call('apps.update', { sdkAppId: SDKAPPID, settings: { push: { apns: apnsSettings } } });
    expect((await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['sender', ...RECIPIENTS] })).ErrorCode).to.equal(0);
    for (const user of ['r2', 'r4', 'r6']) {
      const token = crypto.createHash('sha256').update(user).digest('hex');
      const a = await rest.call('parley_push/set_token', { UserID: user, Provider: 'apns', Token: token, InstId: 'phone' });
      expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
    }
    expect((await rest.call('parley_push/remove_token', { UserID: 'r6' })).ErrorCode).to.equal(0);
    expect((await rest.call('sns/black_list_add', { From_Account: 'r5', To_Account: ['sender'] })).ErrorCode).to.equal(0);
    // The broadcast reads blocks from the sender's side, which the block's step writes after it.
    await until("the sender's chain knows r5's block", async () => ((await new Chain(node!.broker, SDKAPPID).view('sender', ['r5'])).flags[0] & REL.BLOCKED_BY) !== 0);

    // The live path: once the registrations are read, a message to r6 (last token removed) makes no job, one to r4 does.
    await registrationsLoaded(node.broker);
    for (const [to, random] of [['r6', 1], ['r4', 2]] as const) {
      const a = await rest.call('openim/sendmsg', { From_Account: 'sender', To_Account: to, MsgRandom: random, MsgBody: text });
      expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
    }
    expect(await jobUsers()).to.deep.equal(['r4']);

    // What a crash in the first batch leaves: its first two messages stored (without jobs), no progress.
    const message = { MsgRandom: 9, MsgSeq: 9, MsgLifeTime: 3600, MsgBody: text };
    await node.broker.call('messages.broadcast', { app: SDKAPPID, from: 'sender', to: ['r1', 'r2'], body: { ...message, SyncOtherMachine: 2 } });
    await runtimeOf(node.broker).store.append(`pushtask:${pushtaskKey(SDKAPPID)}`, 0, [
      { type: TASK_CREATED, data: { taskId: 'crashed', from: 'sender', message: JSON.stringify(message), condition: '{}', at: Date.now() } },
    ]);
    expect(await jobUsers()).to.deep.equal(['r4']);
    await node.stop();

    node = await startEmbedded({ env, services: SERVICES });
    rest = adminRest(node);
    await until('the task finished', async () => {
      const state = await node!.broker.call<PushtaskState, object>('pushtasks.dispatch', { key: pushtaskKey(SDKAPPID), command: { op: 'get' } });
      return state.running.crashed === undefined && state.finished === 1;
    }, 15_000);
    // r4's one-to-one message and the task's: r2 and r4 once each for the task, r6 (no device left) and the rest never.
    expect(await jobUsers()).to.deep.equal(['r2', 'r4', 'r4']);
    const texts = async (user: string) => {
      const a = await rest.call('openim/admin_getroammsg', { Operator_Account: user, Peer_Account: 'sender', MaxCnt: 10, MinTime: 0, MaxTime: 0xffffffff });
      expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
      return (a.MsgList as { MsgRandom: number }[]).filter((m) => m.MsgRandom === 9).length;
    };
    for (const user of RECIPIENTS) expect(await texts(user), user).to.equal(user === 'r5' ? 0 : 1);
    await apns.waitFor('the task pushed to r2 and r4', () => apns.received.filter((r) => (r.payload.aps as { alert: { body: string } }).alert.body === 'to all').length >= 2, 15_000);
  });
});
