/**
 * The REST face answers a repeated administrator UserSig from the node's cache
 * (services/auth/verifier.ts) and reads the usual URL without WHATWG URL parsing
 * (services/rest/api.service.ts). Neither may let through what a full check refuses.
 */
import { expect } from 'chai';
import { appDirectory } from '../../services/apps/registry';
import { until } from '../support/cluster';
import { RestClient, startEmbedded, type Answer, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const CHECK = 'im_open_login_svc/account_check';
const body = { CheckItem: [{ UserID: 'someone' }] };

describe('REST: cached administrator UserSigs and the plain-URL reading (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const sigOf = (userId: string, extra: { key?: string; now?: number; expire?: number } = {}) =>
    tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId, ...extra });
  const post = async (url: string): Promise<Answer> => (await (await rest.raw(url, body)).json()) as Answer;
  const urlWith = (identifier: string, usersig: string) =>
    `${server.baseUrl}/v4/${CHECK}?sdkappid=${server.app.sdkAppId}&identifier=${identifier}&usersig=${usersig}&random=7&contenttype=json`;

  before(async () => {
    server = await startEmbedded();
    rest = new RestClient(server.baseUrl, server.app, (userId) => sigOf(userId));
  });
  after(() => server?.stop());

  it('refuses a cached UserSig after it expires', async () => {
    const now = Math.floor(Date.now() / 1000);
    const usersig = sigOf(server.app.admin, { now: now - 9, expire: 10 });
    expect((await post(urlWith(server.app.admin, usersig))).ErrorCode).to.equal(0);
    await until('the UserSig has expired', () => Math.floor(Date.now() / 1000) > now + 1, 5_000);
    expect(await post(urlWith(server.app.admin, usersig))).to.include({ ActionStatus: 'FAIL', ErrorCode: 70001 });
  });

  it('refuses a cached administrator UserSig presented for another administrator', async () => {
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, admins: [server.app.admin, 'secondadmin'] });
    await until('the directory lists the second administrator', () => appDirectory(server.broker).get(server.app.sdkAppId)?.admins.includes('secondadmin') ?? false);
    const usersig = sigOf(server.app.admin);
    expect((await post(urlWith(server.app.admin, usersig))).ErrorCode).to.equal(0);
    expect(await post(urlWith('secondadmin', usersig))).to.include({ ActionStatus: 'FAIL', ErrorCode: 70013 });
    expect((await post(urlWith('secondadmin', sigOf('secondadmin')))).ErrorCode).to.equal(0);
  });

  it('reads a query with escapes or + through the full URL parser, with the same answers', async () => {
    const usersig = sigOf(server.app.admin);
    const escaped = usersig.replace(/\*/g, '%2A').replace(/-/g, '%2D');
    expect((await post(urlWith('%61dministrator', escaped))).ErrorCode).to.equal(0);
    // `+` is a space in both readings: not this administrator.
    expect(await post(urlWith('admin+istrator', usersig))).to.include({ ErrorCode: 60010 });
    expect(await post(`${urlWith(server.app.admin, usersig)}&usersig=${usersig}`)).to.include({ ErrorCode: 60004 });
    expect(await post(`${urlWith(server.app.admin, usersig)}&usersig=%2A`)).to.include({ ErrorCode: 60004 });
  });

  // Last: it changes the app's key for the rest of the file.
  it('refuses a cached UserSig once the app key has been rotated, and accepts one made with the new key', async () => {
    const usersig = sigOf(server.app.admin);
    expect((await post(urlWith(server.app.admin, usersig))).ErrorCode).to.equal(0);
    const newKey = `rotated-${Math.random().toString(36).slice(2)}-key`;
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, secretKey: newKey });
    await until('the directory holds the new key', () => appDirectory(server.broker).get(server.app.sdkAppId)?.secretKey === newKey);
    expect(await post(urlWith(server.app.admin, usersig))).to.include({ ActionStatus: 'FAIL', ErrorCode: 70009 });
    expect((await post(urlWith(server.app.admin, sigOf(server.app.admin, { key: newKey })))).ErrorCode).to.equal(0);
  });
});
