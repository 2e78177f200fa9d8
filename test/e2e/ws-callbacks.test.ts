/**
 * Callbacks caused by SDK users over the WebSocket: they name the web platform and the IP
 * address the connection came from, as Tencent's do.
 */
import { expect } from 'chai';
import { OK, TestBackend } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';
import { FrameClient, type Parley } from './ws-harness';

describe('callbacks of SDK users (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let device: FrameClient | undefined;

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'connector', 'messages', 'inboxes', 'friends', 'webhooks'], env: { PARLEY_CALLBACK_URL: backend.url } });
  });
  after(async () => {
    device?.close();
    await server?.stop();
    await backend.stop();
  });

  it('sends OptPlatform Web and the connection’s ClientIP with a one-to-one message’s before and after callbacks', async () => {
    expect((await adminRest(server).call('im_open_login_svc/multiaccount_import', { Accounts: ['wsa', 'wsb'] })).ErrorCode).to.equal(0);
    const { sdkAppId, secret } = server.app;
    const node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
    device = await FrameClient.open(node);
    expect((await device.login(node, 'wsa')).ErrorCode).to.equal(0);
    const reply = await device.request('openim.sendmsg', { To_Account: 'wsb', MsgRandom: 7, MsgSeq: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from the sdk' } }] });
    expect(reply.ErrorCode).to.equal(0);
    await backend.waitFor(() => backend.of('C2C.CallbackAfterSendMsg').length === 1, 'the after-send callback');
    for (const command of ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg']) {
      const [request] = backend.of(command);
      expect(request.query, command).to.include({ OptPlatform: 'Web', ClientIP: '127.0.0.1' });
      expect(request.body, command).to.include({ From_Account: 'wsa', To_Account: 'wsb', MsgRandom: 7 });
    }
  });
});
