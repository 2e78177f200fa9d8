/**
 * The seed's daily quota of new groups per app (app setting groups.dailyNewGroups, default
 * 10,000; net of groups disbanded, Communities aside) through the REST API against a live
 * backend: creates at once stop exactly at the quota with 10036, the alarm callback comes once
 * when the count passes 70%, a failed create and a disbanding free a place, and the count holds
 * over a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { groupQuotaKey, quotaDay } from '../../actors/groupquota';
import { OK, TestBackend } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const G = 'group_open_http_svc';
const ALARM = 'Group.CallbackOnDailyGroupQuotaAlarm';

describe('REST daily group quota (e2e)', function () {
  this.timeout(20_000);
  const backend = new TestBackend();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-quota-'));
  const env = { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(1400000000 + Math.floor(Math.random() * 1e8)), PARLEY_SECRET: 'group-quota-secret-e2e' };
  let server: Embedded;
  let rest: RestClient;
  const start = async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups', 'webhooks'], env: { ...env, PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
  };
  const call = (cmd: string, body: object) => rest.call(`${G}/${cmd}`, body);
  const create = (extra: object = {}) => call('create_group', { Owner_Account: 'qowner', Type: 'Public', Name: 'q', ...extra });
  const used = async () => ((await server.broker.call('groupquota.dispatch', { key: groupQuotaKey(server.app.sdkAppId, quotaDay(Date.now(), 0)), command: { op: 'view' } })) as { used: number }).used;
  const codes = (answers: Answer[]) => answers.map((a) => a.ErrorCode).sort((a, b) => a - b);

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    await start();
    expect((await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['qowner'] })).ErrorCode).to.equal(0);
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { dailyNewGroups: 10 } } });
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives a failed create its place back, and counts nothing for Communities or imports', async () => {
    const id = (await create({ GroupId: 'quota-fixed' })).GroupId as string;
    expect((await create({ GroupId: id })).ErrorCode).to.equal(10021);
    expect((await call('create_group', { Owner_Account: 'qowner', Type: 'Community', Name: 'c' })).ErrorCode).to.equal(0);
    expect((await call('import_group', { Owner_Account: 'qowner', Type: 'Public', Name: 'imported' })).ErrorCode).to.equal(0);
    expect(await used()).to.equal(1);
  });

  it('lets exactly the quota through when creates arrive at once, refusing the rest with 10036', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => create()));
    expect(codes(answers)).to.deep.equal([...Array(9).fill(0), 10036, 10036, 10036]);
    expect(await used()).to.equal(10);
    // Communities are not counted, so they are not refused either.
    expect((await call('create_group', { Owner_Account: 'qowner', Type: 'Community', Name: 'c2' })).ErrorCode).to.equal(0);
  });

  it('calls the alarm once, when the count passed 70% of the quota, with Tencent’s fields', async () => {
    await backend.waitFor(() => backend.of(ALARM).length > 0, ALARM);
    const [alarm, ...more] = backend.of(ALARM);
    expect(more).to.deep.equal([]);
    const { CallbackCommand, EventTime, ...fields } = alarm.body;
    expect(CallbackCommand).to.equal(ALARM);
    expect(fields).to.deep.equal({ QuotaUsed: 8, Quota: 10 });
    expect(EventTime).to.be.a('number').within(Date.now() - 60_000, Date.now());
  });

  it('frees a place when a group is disbanded, and keeps the count over a restart', async () => {
    const ids = ((await call('get_appid_group_list', { Limit: 100 })).GroupIdList as { GroupId: string }[]).map((g) => g.GroupId);
    expect((await call('destroy_group', { GroupId: ids.find((g) => g.startsWith('@TGS#') && !g.startsWith('@TGS#_')) })).ErrorCode).to.equal(0);
    expect(await used()).to.equal(9);
    await server.stop();
    await start();
    expect(await used()).to.equal(9);
    expect((await create()).ErrorCode).to.equal(0);
    expect((await create()).ErrorCode).to.equal(10036);
  });

  it('refuses a quota setting out of range and keeps the one it had', async () => {
    const refused = await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { dailyNewGroups: -1 } } }).then(() => 'stored', (err: Error) => err.message);
    expect(refused).to.not.equal('stored');
    expect((await create()).ErrorCode).to.equal(10036);
  });
});
