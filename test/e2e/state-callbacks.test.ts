/**
 * State.StateChange from real connections: a device that logs in, logs out, loses its link or
 * is pushed out by another login of the same user, as the app backend hears of it.
 */
import { expect } from 'chai';
import { OK, TestBackend, type Received } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';
import { FrameClient, until, type Parley } from './ws-harness';

const COMMAND = 'State.StateChange';

describe('State.StateChange from connections (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let node: Parley;
  const devices: FrameClient[] = [];
  let n = 0;
  const user = async () => {
    const id = `st${++n}x${Date.now() % 100000}`;
    expect((await adminRest(server).call('im_open_login_svc/multiaccount_import', { Accounts: [id] })).ErrorCode).to.equal(0);
    return id;
  };
  const login = async (userId: string) => {
    const device = await FrameClient.open(node);
    devices.push(device);
    expect((await device.login(node, userId)).ErrorCode).to.equal(0);
    return device;
  };
  const of = (userId: string) => backend.of(COMMAND).filter((r) => (r.body.Info as { To_Account?: string } | undefined)?.To_Account === userId);
  const info = (r: Received) => r.body.Info as { Action: string; To_Account: string; Reason: string };
  const waitFor = (userId: string, count: number) => backend.waitFor(() => of(userId).length >= count, `${count} state changes of ${userId}`);

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'webhooks', 'connector'], env: { PARLEY_CALLBACK_URL: backend.url } });
    const { sdkAppId, secret } = server.app;
    node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
  });
  after(async () => {
    devices.splice(0).forEach((d) => d.close());
    await server?.stop();
    await backend.stop();
  });

  it('reports a login as Login/Register with the device’s platform, and a logout as Logout/Unregister', async () => {
    const id = await user();
    const device = await login(id);
    await waitFor(id, 1);
    expect((await device.request('im_open_status.wslogout', {})).ErrorCode).to.equal(0);
    await waitFor(id, 2);
    const [first, second] = of(id);
    expect(first.query).to.include({ CallbackCommand: COMMAND, OptPlatform: 'Web' });
    expect(first.body).to.have.keys('CallbackCommand', 'EventTime', 'Info');
    expect(info(first)).to.deep.equal({ Action: 'Login', To_Account: id, Reason: 'Register' });
    expect(info(second)).to.deep.equal({ Action: 'Logout', To_Account: id, Reason: 'Unregister' });
  });

  it('reports a lost link as Disconnect/LinkClose, not as a logout', async () => {
    const id = await user();
    const device = await login(id);
    await waitFor(id, 1);
    device.close();
    await waitFor(id, 2);
    expect(of(id).map(info).map((i) => `${i.Action}/${i.Reason}`)).to.deep.equal(['Login/Register', 'Disconnect/LinkClose']);
  });

  it('lists the device a new login pushed out in KickedDevice, and reports no logout for it', async () => {
    const id = await user();
    const first = await login(id);
    await waitFor(id, 1);
    const second = await login(id);
    await waitFor(id, 2);
    await until('the kick on the first device', () => first.pushes.some((p) => JSON.stringify(p.body).includes('KickoutMsgNotify')));
    // A user's state changes are delivered in order: the second device's logout comes after any report of the first one.
    expect((await second.request('im_open_status.wslogout', {})).ErrorCode).to.equal(0);
    await waitFor(id, 3);
    const changes = of(id);
    expect(changes.map(info).map((i) => `${i.Action}/${i.Reason}`)).to.deep.equal(['Login/Register', 'Login/Register', 'Logout/Unregister']);
    expect(changes[1].body.KickedDevice).to.deep.equal([{ Platform: 'Web' }]);
  });
});
