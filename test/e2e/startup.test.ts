/**
 * Start-up fails fast and safely: a node that cannot serve exits non-zero with a clear message
 * (a busy port, a cluster node without the shared log), its messages never show a password,
 * and a cluster node never replaces the app.json it finds in its data folder.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../config';
import { ParleyRuntime } from '../../runtime/moleculer/node-runtime';
import { startEmbedded } from '../support/embedded';
import { dropSchema, NATS_URL, PG_URL, tempDir, uniqueSchema } from '../support/stores';

const NODE_SCRIPT = path.join(__dirname, '..', 'support', 'parley-node.ts');
const SECRET = 'hunter2-not-to-be-printed';

interface Exit {
  code: number | null;
  output: string;
}

/** A whole node (every service) as a child process; resolves when it exits, or fails after `timeoutMs`. */
function runNode(env: Record<string, string>, timeoutMs = 20_000): Promise<Exit> {
  const dataDir = tempDir('parley-startup-');
  const child = fork(NODE_SCRIPT, [], {
    execArgv: ['--require', 'tsx/cjs'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, PARLEY_TRANSPORTER: '', PARLEY_DB: '', PARLEY_REDIS: '', PARLEY_DATA: dataDir, PARLEY_LOG_LEVEL: 'info', PARLEY_SQLITE_SYNC: 'NORMAL', ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the node did not exit within ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    child.once('message', () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the node started:\n${output.slice(-2000)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

/** Opens (then closes) a node's runtime in this process: the error that start would fail with, if any. */
async function openRuntime(env: Record<string, string>): Promise<Error | undefined> {
  const dataDir = tempDir('parley-startup-');
  const runtime = new ParleyRuntime(loadConfig({ PARLEY_DATA: dataDir, PARLEY_SQLITE_SYNC: 'NORMAL', ...env }));
  try {
    await runtime.open();
    await runtime.close();
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('start-up checks (e2e)', function () {
  this.timeout(60_000);

  describe('a busy HTTP port', () => {
    let blocker: net.Server;
    let port: number;
    before(async () => {
      blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
      port = (blocker.address() as net.AddressInfo).port;
    });
    after(() => blocker.close());

    it('makes the node exit non-zero with the port named, instead of hanging half-started', async () => {
      const exit = await runNode({ PARLEY_PORT: String(port) });
      expect(exit.code).to.not.equal(0);
      expect(exit.output).to.include(`cannot listen on port ${port} (PARLEY_PORT): the port is already in use`);
    });
  });

  describe('a cluster node without PARLEY_DB', () => {
    it('refuses to start, naming PARLEY_DB and PARLEY_ALLOW_LOCAL_LOG, and exits non-zero', async () => {
      const exit = await runNode({ PARLEY_TRANSPORTER: NATS_URL, PARLEY_NAMESPACE: uniqueSchema('startup') });
      expect(exit.code).to.not.equal(0);
      expect(exit.output).to.include('PARLEY_DB is not').and.include('PARLEY_ALLOW_LOCAL_LOG=1');
    });

    it('opens its own SQLite log when PARLEY_ALLOW_LOCAL_LOG=1 says so', async () => {
      expect(await openRuntime({ PARLEY_TRANSPORTER: NATS_URL, PARLEY_ALLOW_LOCAL_LOG: '1' })).to.equal(undefined);
    });

    it('refuses a PARLEY_ALLOW_LOCAL_LOG that is neither 1 nor 0', () => {
      expect(() => loadConfig({ PARLEY_ALLOW_LOCAL_LOG: 'maybe' })).to.throw(/PARLEY_ALLOW_LOCAL_LOG/);
    });
  });

  describe('URLs in start-up errors', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['NATS', { PARLEY_TRANSPORTER: `nats://parley:${SECRET}@127.0.0.1:1`, PARLEY_DB: `postgres://parley:${SECRET}@127.0.0.1:1/parley` }, 'nats://parley:***@127.0.0.1:1'],
      ['Redis', { PARLEY_REDIS: `redis://:${SECRET}@127.0.0.1:1` }, 'redis://:***@127.0.0.1:1'],
      ['PostgreSQL', { PARLEY_DB: `postgres://parley:${SECRET}@127.0.0.1:1/parley` }, 'postgres://parley:***@127.0.0.1:1/parley'],
      ['a malformed database URL', { PARLEY_DB: `postgres://parley:${SECRET}@[::1/parley` }, 'postgres://parley:***@[::1/parley'],
    ];
    for (const [what, env, shown] of cases) {
      it(`show ${what} with its credentials masked`, async () => {
        const err = await openRuntime(env);
        expect(err?.message).to.include(shown).and.not.include(SECRET);
        expect(err?.stack).to.not.include(SECRET);
      });
    }

    it('never reach the node’s output with a password', async () => {
      const exit = await runNode({ PARLEY_REDIS: `redis://:${SECRET}@127.0.0.1:1` });
      expect(exit.code).to.not.equal(0);
      expect(exit.output).to.include('redis://:***@127.0.0.1:1').and.not.include(SECRET);
    });
  });

  describe('app.json on a cluster node', () => {
    const schemas: string[] = [];
    after(async () => {
      for (const schema of schemas) await dropSchema(schema);
    });
    const clusterEnv = (dataDir: string) => {
      const schema = uniqueSchema('startup');
      schemas.push(schema);
      return { PARLEY_DATA: dataDir, PARLEY_TRANSPORTER: NATS_URL, PARLEY_DB: PG_URL, PARLEY_DB_SCHEMA: schema, PARLEY_NAMESPACE: schema };
    };

    it('keeps an existing app.json and writes the new app to app-<SDKAppID>.json', async () => {
      const dataDir = tempDir('parley-startup-');
      const embeddedApp = JSON.stringify({ sdkAppId: 1400000001, secretKey: 'the embedded app', admin: 'administrator' });
      fs.writeFileSync(path.join(dataDir, 'app.json'), embeddedApp, { mode: 0o600 });
      const server = await startEmbedded({ env: clusterEnv(dataDir) });
      try {
        expect(fs.readFileSync(path.join(dataDir, 'app.json'), 'utf8')).to.equal(embeddedApp);
        const file = path.join(dataDir, `app-${server.app.sdkAppId}.json`);
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).to.include({ sdkAppId: server.app.sdkAppId, secretKey: server.app.secret });
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      } finally {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('writes app.json when the data folder has none', async () => {
      const dataDir = tempDir('parley-startup-');
      const server = await startEmbedded({ env: clusterEnv(dataDir) });
      try {
        expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'app.json'), 'utf8'))).to.include({ sdkAppId: server.app.sdkAppId });
        expect(fs.existsSync(path.join(dataDir, `app-${server.app.sdkAppId}.json`))).to.equal(false);
      } finally {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
