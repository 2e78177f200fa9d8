/**
 * An installation upgraded from a Parley without the nick directory: its accounts took their
 * nicks before the directory existed. After start, the nick back-fill (services/accounts/
 * nick-backfill.ts) makes them searchable by nick, as the console searches; a restart files
 * nothing new.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { ACCOUNT_IMPORTED, PROFILE_SET, TAG_NICK } from '../../actors/user';
import { EventCodec } from '../../schemas/codec';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { searchNick } from '../../services/accounts/client';
import { nickStream } from '../../services/accounts/nick-directory';
import { backfillStream } from '../../services/accounts/nick-backfill';
import { startEmbedded, type Embedded } from '../support/embedded';
import { openStore, sqliteBackend, storeOptions, tempDir } from '../support/stores';
import { until } from '../support/cluster';

const APP = 1_400_000_000 + Math.floor(Math.random() * 1e8);
const AT = 1_700_000_000_000;

describe('nick back-fill of an upgraded installation (e2e)', function () {
  this.timeout(20_000);
  const dataDir = tempDir('parley-nickfill-');
  let server: Embedded | undefined;
  const start = () => startEmbedded({ services: ['apps', 'accounts'], env: { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(APP) } });
  const found = async (query: string) => (await searchNick(server!.broker, { app: APP, query, limit: 20 })).accounts;

  before(async () => {
    // The log as an earlier Parley left it: user events, no directory.
    const store = await openStore(sqliteBackend(dataDir), storeOptions(), EventCodec.fromDirectory());
    for (const id of ['vera', 'viktor']) await store.append(`user:${APP}:${id}`, 0, [{ type: ACCOUNT_IMPORTED, data: { nick: `Veteran ${id}`, faceUrl: '', at: AT } }]);
    await store.append(`user:${APP}:wanda`, 0, [
      { type: ACCOUNT_IMPORTED, data: { nick: 'Wanderer', faceUrl: '', at: AT } },
      { type: PROFILE_SET, data: { strings: { [TAG_NICK]: 'Veteran wanda' }, numbers: {}, at: AT + 1, operator: '' } },
    ]);
    await store.close();
  });
  afterEach(() => server?.stop());
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('finds by nick, after start, the accounts that took their nicks before the directory', async () => {
    server = await start();
    await until('the back-fill to file the veterans', async () => (await found('veteran')).length === 3);
    expect((await found('veteran')).map((a) => a.UserID).sort()).to.deep.equal(['vera', 'viktor', 'wanda']);
    expect(await found('wanderer')).to.deep.equal([]);
  });

  it('files nothing new when started again', async () => {
    server = await start();
    const log = runtimeOf(server.broker).store;
    const filed = await log.version(nickStream(APP));
    const progress = await log.version(backfillStream(APP));
    expect(filed).to.equal(3);
    expect(await server.broker.call('accounts.fileOldNicks', { app: APP })).to.deep.equal({ filed: 0, finished: true });
    expect([await log.version(nickStream(APP)), await log.version(backfillStream(APP))]).to.deep.equal([filed, progress]);
    expect((await found('veteran')).length).to.equal(3);
  });
});
