/**
 * open_msg_svc/get_history from outside: the files of a past hour (the node's event log is
 * written with a clock two hours behind, so "now" is already a past hour), their sizes and
 * MD5s, the download through the signed URL, and the refusals: an hour not over, an hour too
 * old, a tampered or expired link.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { EventCodec } from '../../schemas/codec';
import { EventStore } from '../../store';
import { serviceFile } from '../../services/locate';
import { REST_SERVICES, RestClient, freePort, type Answer } from '../support/embedded';
import { sqliteBackend, storeOptions, tempDir } from '../support/stores';
import { tencentUserSig } from '../support/tencent-sig';

const APP = { sdkAppId: 1400000079, secret: 'history-download-secret', admin: 'administrator' };
const LAG_MS = 2 * 3_600_000;
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '');
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

describe('get_history: message download files (e2e)', function () {
  this.timeout(30_000);
  let broker: ServiceBroker;
  let store: EventStore;
  let rest: RestClient;
  let written = 0;

  before(async () => {
    const port = await freePort();
    store = await EventStore.open(sqliteBackend(), EventCodec.fromDirectory(), storeOptions({ now: () => Date.now() - LAG_MS }));
    const config = loadConfig({ PARLEY_PORT: String(port), PARLEY_DATA: tempDir(), PARLEY_SDKAPPID: String(APP.sdkAppId), PARLEY_SECRET: APP.secret, PARLEY_LOG_LEVEL: 'warn', PARLEY_DOWNLOAD_URL_SEC: '600' });
    broker = new ServiceBroker(brokerOptions(config, { store }));
    for (const name of [...REST_SERVICES, 'messages', 'inboxes', 'groups', 'friends', 'downloads']) broker.loadService(serviceFile(name));
    await broker.start();
    rest = new RestClient(`http://127.0.0.1:${port}`, APP, (userId) => tencentUserSig({ sdkAppId: APP.sdkAppId, key: APP.secret, userId }));
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    written = Date.now() - LAG_MS;
    for (const r of [1, 2, 3]) await rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: r, MsgBody: text(`m${r}`) });
  });
  after(async () => {
    await broker?.stop();
    await store?.close();
  });

  const history = (ChatType: string, MsgTime: string) => rest.call('open_msg_svc/get_history', { ChatType, MsgTime }) as Promise<Answer & { File?: Record<string, string | number>[] }>;

  it("describes the hour's file with its URL, sizes and MD5s, and the URL serves exactly those bytes", async () => {
    const a = await history('C2C', hourOf(written));
    expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK' });
    expect(a.File).to.have.length(1);
    const f = a.File![0];
    expect(f.ExpireTime).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const res = await fetch(String(f.URL));
    expect(res.status).to.equal(200);
    const gzip = Buffer.from(await res.arrayBuffer());
    expect(gzip.length).to.equal(f.GzipSize);
    expect(md5(gzip)).to.equal(f.GzipMD5);
    const plain = zlib.gunzipSync(gzip);
    expect(plain.length).to.equal(f.FileSize);
    expect(md5(plain)).to.equal(f.FileMD5);
    const list = (JSON.parse(plain.toString('utf8')) as { MsgList: Record<string, unknown>[] }).MsgList;
    expect(list.map((m) => m.MsgSeq)).to.deep.equal([1, 2, 3]);
    expect(list[0]).to.include({ From_Account: 'alice', To_Account: 'bob', MsgRandom: 1 });
    expect(list[0].MsgBody).to.deep.equal(text('m1'));
  });

  it('refuses a tampered link with 403', async () => {
    const url = new URL(String((await history('C2C', hourOf(written))).File![0].URL));
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1));
    expect((await fetch(url)).status).to.equal(403);
    url.pathname = url.pathname.replace('/C2C/', '/Group/');
    expect((await fetch(url)).status).to.equal(403);
  });

  it('answers 1004 for an hour without messages and for an hour not yet over, 1005 for one older than 7 days, 1002 for no hour', async () => {
    expect(await history('Group', hourOf(written))).to.include({ ErrorCode: 1004 });
    expect(await history('C2C', hourOf(Date.now()))).to.include({ ErrorCode: 1004 });
    expect(await history('C2C', hourOf(Date.now() - 8 * 86_400_000))).to.include({ ErrorCode: 1005 });
    expect(await history('C2C', '2026021330')).to.include({ ErrorCode: 1002 });
    expect(await history('Both', hourOf(written))).to.include({ ErrorCode: 1002 });
  });
});
