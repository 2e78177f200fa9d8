/**
 * A push-to-all task resumes where its recorded progress stopped: the task actor's stream holds
 * a task whose runner had walked the account directory up to the second recipient when the node
 * went down (what a SIGKILL after a batch leaves); the restarted node delivers to the accounts
 * after that position only, and finishes the task.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { pushtaskKey, TASK_CREATED, TASK_PROGRESSED, type PushtaskState } from '../../../actors/pushtask';
import { ACCOUNT_IMPORTED } from '../../../actors/user';
import { runtimeOf } from '../../../runtime/moleculer/node-runtime';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../../support/embedded';
import { tempDir } from '../../support/stores';
import { until } from '../../e2e/ws-harness';

const SERVICES = [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends', 'pushdevices', 'pushtasks'];
const SDKAPPID = 1400000919;

describe('push-to-all task after a restart', function () {
  this.timeout(30_000);
  const dir = tempDir('parley-pushtask-');
  const env = { PARLEY_DATA: dir, PARLEY_SDKAPPID: String(SDKAPPID), PARLEY_SECRET: 'pushtask-resume-secret-0123456789' };
  let node: Embedded | undefined;
  after(async () => {
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to the accounts after the recorded position only, then finishes', async () => {
    node = await startEmbedded({ env, services: SERVICES });
    let rest = adminRest(node);
    for (const id of ['sender', 'r1', 'r2', 'r3']) expect((await rest.call('im_open_login_svc/account_import', { UserID: id })).ErrorCode).to.equal(0);
    const { store } = runtimeOf(node.broker);
    const imported = (await store.readByTime({ from: 0, to: Date.now() + 1, streamPrefix: `user:${SDKAPPID}:` })).filter((e) => e.type === ACCOUNT_IMPORTED);
    const r2 = imported.find((e) => e.stream.endsWith(':r2'))!;
    const message = { MsgRandom: 7, MsgSeq: 7, MsgLifeTime: 3600, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'resumed' } }] };
    await store.append(`pushtask:${pushtaskKey(SDKAPPID)}`, 0, [
      { type: TASK_CREATED, data: { taskId: 'crashed', from: 'sender', message: JSON.stringify(message), condition: '{}', at: Date.now() } },
      { type: TASK_PROGRESSED, data: { taskId: 'crashed', afterPosition: r2.position, sent: 2, at: Date.now() } },
    ]);
    await node.stop();

    node = await startEmbedded({ env, services: SERVICES });
    rest = adminRest(node);
    await until('the task finished', async () => {
      const state = await node!.broker.call<PushtaskState, object>('pushtasks.dispatch', { key: pushtaskKey(SDKAPPID), command: { op: 'get' } });
      return state.running.crashed === undefined && state.finished === 1;
    }, 10_000);
    const count = async (user: string) => {
      const a = await rest.call('openim/admin_getroammsg', { Operator_Account: user, Peer_Account: 'sender', MaxCnt: 10, MinTime: 0, MaxTime: 0xffffffff });
      expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
      return a.MsgCnt;
    };
    expect([await count('r1'), await count('r2'), await count('r3')]).to.deep.equal([0, 0, 1]);
  });
});
