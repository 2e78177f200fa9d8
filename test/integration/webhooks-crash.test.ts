/**
 * The outbox survives a crash: a node queues after-callbacks while the app backend is down,
 * is SIGKILLed, and after a restart on the same data every callback arrives, in order.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { TestBackend } from '../support/backend';
import { tempDir } from '../support/stores';

const NODE_SCRIPT = path.join(__dirname, 'webhooks-node.ts');

function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(NODE_SCRIPT, [], { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`webhook node exited with ${code} before it was ready`)));
  });
}

function ask(child: ChildProcess, message: object): Promise<{ done?: boolean; ids?: number[]; group?: string; error?: string }> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as { ids?: number[] }));
    child.send(message);
  });
}

describe('webhooks: after-callbacks across a crash', function () {
  this.timeout(60_000);
  const backend = new TestBackend();
  const dataDir = tempDir('parley-webhooks-crash-');
  let child: ChildProcess | undefined;

  after(async () => {
    child?.kill('SIGKILL');
    await backend.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every callback queued before a SIGKILL once the node is back, in order per key', async () => {
    await backend.start();
    await backend.stop(); // the port is known, nothing listens on it: the backend is down
    const env = { PARLEY_DATA: dataDir, PARLEY_CALLBACK_URL: backend.url, PARLEY_SQLITE_SYNC: 'FULL' };
    child = await startChild(env);
    const keys = ['c2c:alice|bob', 'c2c:alice|carol', 'group:@TGS#crash'];
    const answer = await ask(child, { configure: { retryBaseMs: 100, retryMaxMs: 200 }, enqueue: keys.map((key) => ({ key, n: 10 })) });
    expect(answer.error).to.equal(undefined);
    expect(answer.ids).to.have.length(30);
    await new Promise((r) => setTimeout(r, 500)); // the deliverer fails against the closed port meanwhile
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await backend.start(backend.port);
    child = await startChild(env);
    await backend.waitFor(() => backend.received.length >= 30, '30 callbacks after the restart', 20_000);
    for (const key of keys) {
      expect(backend.received.filter((r) => r.body.Key === key).map((r) => r.body.N), key).to.deep.equal([...Array(10).keys()]);
    }
    expect(backend.received).to.have.length(30);
  });

  it('delivers the after-callbacks of acknowledged messages and relationship changes after a SIGKILL, in order per conversation, group and user', async () => {
    const sendDir = tempDir('parley-webhooks-crash-send-');
    const sends = new TestBackend();
    try {
      await sends.start();
      await sends.stop(); // down while the messages go out: before-send lets them through, after-send stays pending
      const env = { PARLEY_DATA: sendDir, PARLEY_CALLBACK_URL: sends.url, PARLEY_SQLITE_SYNC: 'FULL', PARLEY_TEST_SERVICES: 'all' };
      // The first life has no webhooks service at all: whatever reaches the backend later was
      // written with the messages themselves, not queued by a step after them.
      child = await startChild({ ...env, PARLEY_TEST_SERVICES: 'all-but-webhooks' });
      // The backend is down in this life (refused at once); after the restart a reply slower than
      // the timeout would be sent again (at least once), so the timeout is not what is tested.
      const answer = await ask(child, { configure: { retryBaseMs: 100, retryMaxMs: 200, timeoutMs: 3000 }, send: 8 });
      expect(answer.error).to.equal(undefined);
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));

      await sends.start(sends.port);
      child = await startChild(env);
      const of = (command: string) => sends.received.filter((r) => r.query.CallbackCommand === command);
      await sends.waitFor(() => of('C2C.CallbackAfterSendMsg').length >= 8 && of('Group.CallbackAfterSendMsg').length >= 8, 'every after-send callback after the restart', 20_000);
      expect(of('C2C.CallbackAfterSendMsg').map((r) => r.body.MsgRandom)).to.deep.equal([...Array(8).keys()]);
      expect(of('Group.CallbackAfterSendMsg').map((r) => [r.body.GroupId, r.body.MsgSeq])).to.deep.equal([...Array(8).keys()].map((i) => [answer.group, i + 1]));
      expect(of('Group.CallbackAfterCreateGroup')).to.have.length(1);
      // Each relationship-chain request changed several users' actors; its one callback was
      // written with the last of those appends, so the first life stored every one of them.
      await sends.waitFor(() => of('Sns.CallbackFriendDelete').length >= 1, 'the relationship chain’s callbacks after the restart', 20_000);
      const sns = sends.received.filter((r) => r.query.CallbackCommand.startsWith('Sns.'));
      expect(sns.map((r) => [r.query.CallbackCommand, r.body.PairList])).to.deep.equal([
        ['Sns.CallbackFriendAdd', [{ From_Account: 'alice', To_Account: 'bob', Initiator_Account: 'alice' }, { From_Account: 'alice', To_Account: 'carol', Initiator_Account: 'alice' }]],
        ['Sns.CallbackBlackListAdd', [{ From_Account: 'alice', To_Account: 'carol' }]],
        ['Sns.CallbackBlackListDelete', [{ From_Account: 'alice', To_Account: 'carol' }]],
        ['Sns.CallbackFriendDelete', [{ From_Account: 'alice', To_Account: 'bob' }]],
      ]);
    } finally {
      child?.kill('SIGKILL');
      await sends.stop();
      fs.rmSync(sendDir, { recursive: true, force: true });
    }
  });
});
