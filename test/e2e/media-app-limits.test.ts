/**
 * Media limits per app (actors/apps/settings/media.ts): two apps on one node, one with limits
 * of its own and one on the node's PARLEY_MEDIA_* values, each held to its own at upload (the
 * REST upload and the SDK's signed PUT), and invalid values refused by apps.update and the
 * console's settings page with nothing changed.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../actors/apps';
import { RestClient, REST_SERVICES, startEmbedded, type Answer, type Embedded } from '../support/embedded';
import { consoleCall } from '../support/console';
import { tencentUserSig } from '../support/tencent-sig';
import { until } from '../support/cluster';

const MB = 1024 * 1024;

describe('media limits per app (e2e)', function () {
  this.timeout(20_000);
  let server: Embedded;
  /** `strict`: its own limits (1 MB files, 2 MB quota); `loose`: the node's (2 MB files, 3 MB quota). */
  let strict: App;
  let loose: App;

  const served = (id: number, check: (app: App) => boolean) => until(`app ${id}'s settings served`, async () => {
    const app = await server.broker.call<App | null, object>('apps.get', { sdkAppId: id });
    return app !== null && check(app);
  });
  const rest = (app: App) => new RestClient(server.baseUrl, { sdkAppId: app.sdkAppId, secret: app.secretKey, admin: 'administrator' }, (userId) => tencentUserSig({ sdkAppId: app.sdkAppId, key: app.secretKey, userId }));
  async function upload(app: App, bytes: number): Promise<Answer> {
    const res = await fetch(rest(app).url('parley_media/upload', { type: 'file', name: 'data.bin' }), { method: 'POST', body: crypto.randomBytes(bytes) });
    return (await res.json()) as Answer;
  }
  const usage = async (app: App) => rest(app).call('parley_media/get_usage', {});
  const update = (app: App, media: unknown) => server.broker.call('apps.update', { sdkAppId: app.sdkAppId, settings: { media } }).then(
    () => 0,
    (err: { data?: { code?: number } }) => err.data?.code ?? -1,
  );

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'media'], env: { PARLEY_MEDIA_MAX_FILE_MB: '2', PARLEY_MEDIA_QUOTA_MB: '3' } });
    strict = await server.broker.call<App, object>('apps.create', { admins: ['administrator'], settings: { media: { maxFileMb: 1, quotaMb: 2 } } });
    loose = await server.broker.call<App, object>('apps.create', { admins: ['administrator'] });
    await served(strict.sdkAppId, () => true);
    await served(loose.sdkAppId, () => true);
  });
  after(() => server?.stop());

  it("refuses a file over the app's own limit with 91103, and takes it for an app on the node's", async () => {
    expect((await upload(strict, 1.5 * MB)).ErrorCode).to.equal(91103);
    expect((await upload(loose, 1.5 * MB)).ErrorCode).to.equal(0);
    expect((await upload(loose, 2 * MB + 1)).ErrorCode).to.equal(91103);
  });

  it("holds the SDK's signed upload to the app's limit too", async () => {
    const urlOf = async (app: App) =>
      (await server.broker.call<{ upload_url: string }, object>('media.preSig', { app: app.sdkAppId, caller: { kind: 'user', id: 'alice' }, body: { file_type: 255, file_name: 'big.bin' } })).upload_url;
    const put = async (app: App) => fetch(await urlOf(app), { method: 'PUT', body: crypto.randomBytes(1.2 * MB) });
    const refused = await put(strict);
    expect([refused.status, ((await refused.json()) as Answer).ErrorCode]).to.deep.equal([413, 91103]);
    expect((await put(loose)).status).to.equal(200);
  });

  it("refuses uploads past the app's own quota with 91108, and reports that quota", async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await upload(strict, 0.9 * MB)).ErrorCode);
    expect(answers).to.deep.equal([0, 0, 91108]);
    expect(await usage(strict)).to.include({ QuotaBytes: 2 * MB });
    expect(await usage(loose)).to.include({ QuotaBytes: 3 * MB });
  });

  it("goes back to the node's limit when the app's is set to null", async () => {
    expect(await update(strict, { maxFileMb: null })).to.equal(0);
    await served(strict.sdkAppId, (app) => (app.settings as { media?: { maxFileMb?: unknown } }).media?.maxFileMb === null);
    expect((await upload(strict, 1.05 * MB)).ErrorCode).to.equal(91108); // past the size check now; the quota is still the app's 2 MB
    expect(await update(strict, { maxFileMb: 1 })).to.equal(0);
    await served(strict.sdkAppId, (app) => (app.settings as { media?: { maxFileMb?: unknown } }).media?.maxFileMb === 1);
  });

  it('refuses invalid values with 70402 and keeps the limits as they were', async () => {
    for (const media of [{ maxFileMb: 0 }, { maxFileMb: 1.5 }, { maxImageMb: -3 }, { quotaMb: '2' }, { maxVideoMb: 20_000 }, { maxStickerMb: 1 }, 'none']) {
      expect(await update(strict, media), JSON.stringify(media)).to.equal(70402);
    }
    const app = await server.broker.call<App, object>('apps.get', { sdkAppId: strict.sdkAppId });
    expect((app.settings as { media?: object }).media).to.deep.equal({ maxFileMb: 1, quotaMb: 2 });
    expect((await upload(strict, 1.5 * MB)).ErrorCode).to.equal(91103);
  });

  it("shows and writes the media limits on the console's settings page", async () => {
    const page = { app: { sdkAppId: strict.sdkAppId, secret: strict.secretKey, admin: 'administrator' }, baseUrl: server.baseUrl };
    const read = await consoleCall(page, 'GET', { path: '/console/api/settings' });
    expect((read as unknown as { Settings: { media: object } }).Settings.media).to.deep.equal({ maxImageMb: 28, maxAudioMb: 28, maxVideoMb: 100, maxFileMb: 1, quotaMb: 2 });
    const bad = await consoleCall(page, 'PATCH', { path: '/console/api/settings', body: { media: { quotaMb: 0 } } });
    expect(bad.ErrorCode).to.equal(70402);
    const good = await consoleCall(page, 'PATCH', { path: '/console/api/settings', body: { media: { maxFileMb: 2, quotaMb: 4 } } });
    expect(good.ErrorCode, good.ErrorInfo).to.equal(0);
    expect((good as unknown as { Settings: { media: object } }).Settings.media).to.include({ maxFileMb: 2, quotaMb: 4 });
    expect((await upload(strict, 1.05 * MB)).ErrorCode).to.equal(0);
  });
});
