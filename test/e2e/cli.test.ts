/**
 * The parley CLI run as a child process against a temp data folder (embedded mode), and the
 * server started on that folder afterwards sees what the CLI did.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { RestClient, startEmbedded } from '../support/embedded';
import { NATS_URL, tempDir, uniqueSchema } from '../support/stores';
import { decodeUserSig, tencentUserSig } from '../support/tencent-sig';

const ROOT = path.join(__dirname, '..', '..');
const FIRST = { sdkAppId: 1400000777, secret: 'first-app-secret-for-the-cli-test', admin: 'administrator' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('parley CLI (e2e)', function () {
  this.timeout(60_000);
  let dataDir: string;
  const env = () => ({
    PARLEY_DATA: dataDir,
    PARLEY_SDKAPPID: String(FIRST.sdkAppId),
    PARLEY_SECRET: FIRST.secret,
    PARLEY_ADMIN: FIRST.admin,
    PARLEY_SQLITE_SYNC: 'NORMAL',
  });
  const run = (extraEnv: Record<string, string>, args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, PARLEY_TRANSPORTER: '', ...env(), ...extraEnv };
      execFile(process.execPath, ['--require', 'tsx/cjs', 'bin/cli.ts', ...args], { cwd: ROOT, env: childEnv }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  /** `parley args…` in embedded mode on the test's data folder, or with extra settings first. */
  function parley(...args: string[]): Promise<Run>;
  function parley(extraEnv: Record<string, string>, ...args: string[]): Promise<Run>;
  function parley(first?: string | Record<string, string>, ...rest: string[]): Promise<Run> {
    if (first === undefined) return run({}, []);
    return typeof first === 'string' ? run({}, [first, ...rest]) : run(first, rest);
  }
  const json = <T>(run: Run): T => {
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeEach(() => {
    dataDir = tempDir('parley-cli-');
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints a UserSig signed with the app’s key, for the app of app.json by default', async () => {
    const run = await parley('usersig', 'alice');
    expect(run.code, run.stderr).to.equal(0);
    const { doc, signedWithKey } = decodeUserSig(run.stdout.trim(), FIRST.secret);
    expect(signedWithKey).to.equal(true);
    expect(doc).to.include({ 'TLS.identifier': 'alice', 'TLS.sdkappid': FIRST.sdkAppId, 'TLS.expire': 180 * 24 * 3600 });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'app.json'), 'utf8'))).to.include({ sdkAppId: FIRST.sdkAppId });
  });

  it('honours --expire', async () => {
    const run = await parley('usersig', 'alice', '--expire', '60');
    expect(decodeUserSig(run.stdout.trim(), FIRST.secret).doc['TLS.expire']).to.equal(60);
  });

  it('creates an app, lists it without secrets, and signs for it with --app', async () => {
    const secret = 'second-app-secret-0123456789';
    const created = json<{ sdkAppId: number; secretKey: string; admins: string[] }>(
      await parley('apps', 'create', '--admin', 'boss', '--admin', 'deputy', '--sdkappid', '1400000888', '--secret', secret),
    );
    expect(created).to.include({ sdkAppId: 1400000888, secretKey: secret });
    expect(created.admins).to.deep.equal(['boss', 'deputy']);

    const listed = json<{ sdkAppId: number; secretKey?: string }[]>(await parley('apps', 'list'));
    expect(listed.map((a) => a.sdkAppId)).to.deep.equal([FIRST.sdkAppId, 1400000888]);
    expect(listed.every((a) => a.secretKey === undefined)).to.equal(true);

    const sig = (await parley('usersig', 'boss', '--app', '1400000888')).stdout.trim();
    expect(decodeUserSig(sig, secret)).to.deep.include({ signedWithKey: true });
  });

  it('generates the SDKAppID and secret of an app when none are given', async () => {
    const created = json<{ sdkAppId: number; secretKey: string }>(await parley('apps', 'create', '--admin', 'boss'));
    expect(created.sdkAppId).to.be.a('number').and.not.equal(FIRST.sdkAppId);
    expect(created.secretKey).to.have.length.of.at.least(16);
  });

  it('changes rate limits, which the server applies once started on the same folder', async () => {
    const changed = json<{ settings: { rateLimits: unknown } }>(await parley('apps', 'set', String(FIRST.sdkAppId), '--rate-account', '2'));
    expect(changed.settings.rateLimits).to.deep.equal({ default: 200, account: 2 });
    const sig = (await parley('usersig', FIRST.admin)).stdout.trim();

    const server = await startEmbedded({ env: env() });
    try {
      const rest = new RestClient(server.baseUrl, FIRST, () => sig);
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'x' }] })).ErrorCode);
      expect(codes).to.deep.equal([0, 0, 60007]);
    } finally {
      await server.stop();
    }
  });

  it('sets the webhook URL and token, and any settings section given as JSON', async () => {
    const url = 'http://127.0.0.1:9/hooks';
    const run = await parley('apps', 'set', String(FIRST.sdkAppId), '--callback-url', url, '--callback-token', 'tok', '--settings', '{"messages":{"recallSeconds":300}}');
    const changed = json<{ settings: { callback: { url: string; token: string }; messages: { recallSeconds: number } } }>(run);
    expect(changed.settings.callback).to.include({ url, token: 'tok' });
    expect(changed.settings.messages.recallSeconds).to.equal(300);
    const off = json<{ settings: { callback: { url: string } } }>(await parley('apps', 'set', String(FIRST.sdkAppId), '--callback-url', ''));
    expect(off.settings.callback.url).to.equal('');
  });

  it('gives a UserSig that the server accepts as the admin’s', async () => {
    const sig = (await parley('usersig', FIRST.admin)).stdout.trim();
    const server = await startEmbedded({ env: env() });
    try {
      const rest = new RestClient(server.baseUrl, FIRST, () => sig);
      expect((await rest.call('im_open_login_svc/account_import', { UserID: 'fromcli' })).ErrorCode).to.equal(0);
    } finally {
      await server.stop();
    }
  });

  it('joins a cluster and changes apps live on the running nodes', async () => {
    const cluster = { PARLEY_TRANSPORTER: NATS_URL, PARLEY_NAMESPACE: uniqueSchema('cli') };
    // A one-node cluster on its own SQLite log: allowed only explicitly (docs/operations.md).
    const server = await startEmbedded({ env: { ...cluster, PARLEY_ALLOW_LOCAL_LOG: '1' } });
    const secret = 'live-app-secret-0123456789';
    const cliData = tempDir('parley-cli-node-');
    try {
      const created = json<{ sdkAppId: number }>(await parley({ ...cluster, PARLEY_DATA: cliData }, 'apps', 'create', '--admin', 'live', '--secret', secret));
      const app = { sdkAppId: created.sdkAppId, secret, admin: 'live' };
      const rest = new RestClient(server.baseUrl, app, (userId) => tencentUserSig({ sdkAppId: app.sdkAppId, key: secret, userId }));
      expect((await rest.call('im_open_login_svc/account_import', { UserID: 'live1' })).ErrorCode).to.equal(0);
    } finally {
      await server.stop();
      fs.rmSync(cliData, { recursive: true, force: true });
    }
  });

  const failures: [string, string[], number, RegExp][] = [
    ['an unknown command', ['frobnicate'], 2, /unknown command/],
    ['no command', [], 2, /no command/],
    ['usersig without a user', ['usersig'], 2, /needs a userId/],
    ['a non-numeric --expire', ['usersig', 'alice', '--expire', 'soon'], 2, /--expire/],
    ['usersig for an unknown app', ['usersig', 'alice', '--app', '42'], 1, /no app 42/],
    ['apps create without --admin', ['apps', 'create'], 2, /--admin/],
    ['apps create with an invalid admin', ['apps', 'create', '--admin', 'bad id'], 1, /70402/],
    ['apps create with an SDKAppID in use', ['apps', 'create', '--admin', 'boss', '--sdkappid', String(FIRST.sdkAppId)], 1, /already exists/],
    ['apps set for an unknown app', ['apps', 'set', '42', '--rate-default', '5'], 1, /70020/],
    ['apps set without a limit', ['apps', 'set', String(FIRST.sdkAppId)], 2, /--rate-default/],
    ['apps set with settings that are not JSON', ['apps', 'set', String(FIRST.sdkAppId), '--settings', '{nope'], 2, /JSON object/],
    ['apps set with a webhook URL that is not http', ['apps', 'set', String(FIRST.sdkAppId), '--callback-url', 'ftp://x'], 1, /70402/],
    ['apps set with a zero limit', ['apps', 'set', String(FIRST.sdkAppId), '--rate-default', '0'], 1, /70402/],
  ];
  for (const [what, args, code, message] of failures) {
    it(`exits with ${code} and says why on ${what}`, async () => {
      const run = await parley(...args);
      expect(run.code).to.equal(code);
      expect(run.stderr).to.match(message);
      expect(run.stdout).to.equal('');
    });
  }

  it('prints its help, which says a running embedded server needs a restart', async () => {
    const run = await parley('--help');
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/usersig <userId>/).and.match(/apps set/).and.match(/only after a restart/);
  });
});
