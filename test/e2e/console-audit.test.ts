/**
 * The console's audit log (/console/api/audit): every write the console makes is recorded in
 * the app's event log before the console answers — who, when, what, on what, field names and
 * never values — and read back newest first, a page at a time. A write the log cannot record
 * is not made.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { auditStream } from '../../actors/audit';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { serviceFile } from '../../services/locate';
import { consoleCall, type CallOptions, type ConsoleAnswer } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tempDir } from '../support/stores';

type Reply = ConsoleAnswer & Record<string, unknown>;
interface Entry {
  Entry: number;
  Time: number;
  Admin: string;
  Action: string;
  Target: string;
  Fields: string[];
  RequestId: string;
  ErrorCode?: number;
}

describe('console audit log (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  const dataDir = tempDir('parley-audit-');
  const start = () => startEmbedded({ services: [...REST_SERVICES, 'profiles'], env: { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: '1400012345', PARLEY_SECRET: 'audit-test-secret-key' } });
  const api = (method: string, path: string, options: CallOptions = {}) => consoleCall(server, method, { ...options, path: `/console/api/${path}` }) as Promise<Reply>;
  const newest = async (limit = 1) => ((await api('GET', `audit?limit=${limit}`)).Entries as Entry[]);

  before(async () => {
    server = await start();
    const imported = await adminRest(server).call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] });
    expect(imported.ErrorCode, imported.ErrorInfo).to.equal(0);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a kick: the administrator, the time, the action, its target and field names, and that it was done', async () => {
    const before = Date.now();
    const kick = await api('POST', 'account/kick', { body: { UserID: 'bob' } });
    expect(kick.status, kick.raw).to.equal(200);
    const [entry] = await newest();
    expect(entry).to.include({ Admin: server.app.admin, Action: 'account/kick', Target: 'bob', RequestId: kick.RequestId, ErrorCode: 0 });
    expect(entry.Fields).to.deep.equal(['UserID']);
    expect(entry.Time).to.be.within(before, Date.now());
  });

  it('records a refused change with the ErrorCode the console answered', async () => {
    const refused = await api('PATCH', 'settings', { body: { messages: { roamingDays: 0 } } });
    expect([refused.status, refused.ErrorCode]).to.deep.equal([422, 70402]);
    const [entry] = await newest();
    expect(entry).to.include({ Action: 'settings', Target: `app ${server.app.sdkAppId}`, ErrorCode: 70402 });
    expect(entry.Fields).to.deep.equal(['messages.roamingDays']);
  });

  it('names a new callback token as a field and never stores or shows its value', async () => {
    const secret = 'tok-7f3a9-never-in-the-log';
    const write = await api('PATCH', 'callback', { body: { url: 'http://127.0.0.1:9/cb', token: secret } });
    expect(write.status, write.raw).to.equal(200);
    const page = await api('GET', 'audit?limit=5');
    expect((page.Entries as Entry[])[0]).to.include({ Action: 'callback', ErrorCode: 0 });
    expect((page.Entries as Entry[])[0].Fields).to.have.members(['url', 'token']);
    expect(page.raw).to.not.include(secret);
    const stored = await runtimeOf(server.broker).store.read(auditStream(server.app.sdkAppId));
    expect(JSON.stringify(stored)).to.not.include(secret);
  });

  it('keeps each entry in the event log before answering: request, then outcome', async () => {
    const answer = await api('POST', 'account/kick', { body: { UserID: 'alice' } });
    const stored = await runtimeOf(server.broker).store.read(auditStream(server.app.sdkAppId));
    const last = stored.slice(-2);
    expect(last.map((e) => e.type)).to.deep.equal(['parley.audit.ChangeRequested', 'parley.audit.ChangeCompleted']);
    expect(last[0].data).to.include({ requestId: answer.RequestId, admin: server.app.admin, target: 'alice' });
  });

  it('does not record a PATCH of nothing, which changes nothing', async () => {
    const total = (await api('GET', 'audit')).Total as number;
    expect((await api('PATCH', 'settings', { body: {} })).status).to.equal(200);
    expect((await api('GET', 'audit')).Total).to.equal(total);
  });

  it('pages newest first: each page continues where the last stopped, with no gap or repeat', async () => {
    for (const user of ['alice', 'bob', 'carol']) expect((await api('POST', 'account/kick', { body: { UserID: user } })).status).to.equal(200);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await api('GET', `audit?limit=2${before ? `&before=${before}` : ''}`);
      expect(page.status, page.raw).to.equal(200);
      seen.push(...(page.Entries as Entry[]).map((e) => e.Entry));
      before = page.Next as number | undefined;
      if (before === undefined) break;
    }
    const total = (await api('GET', 'audit')).Total as number;
    expect(seen).to.deep.equal(Array.from({ length: total }, (_, i) => total - i));
    expect((await newest(3)).map((e) => e.Target)).to.deep.equal(['carol', 'bob', 'alice']);
  });

  it('refuses a bad page query and an unsigned reader', async () => {
    for (const query of ['before=0', 'limit=0', 'limit=101', 'limit=x', 'before=1&before=2']) {
      const answer = await api('GET', `audit?${query}`);
      expect([answer.status, answer.ErrorCode], query).to.deep.equal([400, 60002]);
    }
    expect((await api('GET', 'audit', { auth: null })).status).to.equal(401);
  });

  it('makes no change the log cannot record', async () => {
    const audit = server.broker.getLocalService('audit');
    await server.broker.destroyService(audit!);
    try {
      const answer = await api('POST', 'account/delete', { body: { UserID: 'carol' } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([500, 70500]);
      const check = await adminRest(server).call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'carol' }] });
      expect((check.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('Imported');
    } finally {
      server.broker.loadService(serviceFile('audit'));
      await server.broker.waitForServices('audit', 5000, 20);
    }
  });

  it('keeps the log across a restart, and numbering goes on from the last entry', async () => {
    const total = (await api('GET', 'audit')).Total as number;
    await server.stop();
    server = await start();
    expect((await api('GET', 'audit')).Total).to.equal(total);
    expect((await api('POST', 'account/kick', { body: { UserID: 'bob' } })).status).to.equal(200);
    expect((await newest())[0]).to.include({ Entry: total + 1, Target: 'bob', ErrorCode: 0 });
  });
});
