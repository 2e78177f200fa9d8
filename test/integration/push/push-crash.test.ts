/**
 * Push jobs are written with the message: a node SIGKILLed after acknowledging messages whose
 * pushes could not go out yet (APNs down) pushes every one of them after a restart, once each.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../../support/stores';
import { ApnsServer, apnsKeys } from '../../support/push-servers';

const NODE_SCRIPT = path.join(__dirname, 'push-node.ts');

function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(NODE_SCRIPT, [], { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`push node exited with ${code} before it was ready`)));
  });
}

function ask(child: ChildProcess, message: object): Promise<{ done?: boolean; error?: string }> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as { error?: string }));
    child.send(message);
  });
}

describe('offline push across a crash', function () {
  this.timeout(60_000);
  const keys = apnsKeys();
  const apns = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  const dataDir = tempDir('parley-push-crash-');
  const token = crypto.randomBytes(32).toString('hex');
  let child: ChildProcess | undefined;

  after(async () => {
    child?.kill('SIGKILL');
    await apns.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('pushes every message acknowledged before a SIGKILL once the node is back, each once', async () => {
    await apns.start();
    const port = apns.port;
    await apns.stop(); // nothing listens: every push fails until the restart
    const env = { PARLEY_DATA: dataDir, PARLEY_SQLITE_SYNC: 'FULL' };
    child = await startChild(env);
    const setup = { apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: `http://127.0.0.1:${port}` }, retryBaseMs: 50, retryMaxMs: 100 };
    expect((await ask(child, { setup, n: 10, token })).error).to.equal(undefined);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await apns.start(port);
    child = await startChild(env);
    await apns.waitFor('10 pushes after the restart', () => apns.received.length >= 10, 20_000);
    expect((await ask(child, { drain: 'bob' })).error).to.equal(undefined);
    const bodies = apns.received.map((r) => (r.payload.aps as { alert: { body: string } }).alert.body);
    expect([...bodies].sort()).to.deep.equal([...Array(10).keys()].map((i) => `m${i}`).sort());
  });
});
