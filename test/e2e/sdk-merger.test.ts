/**
 * Combined messages too big for one message, with Tencent's real SDK: past 11 264 bytes the
 * SDK stores the message list with im_long_msg.save_relay_json_msg and sends only its
 * DownloadKey; the receiver's downloadMergerMessage gets the list back through
 * get_relay_json_msg. Only the conversation's users read it, and it goes with its message.
 */
import { expect } from 'chai';
import type { ServiceBroker } from 'moleculer';
import { LOCAL, type MediaReleased } from '../../services/events';
import type { SdkClient } from '../support/sdk';
import { messageReceived } from '../support/sdk';
import { mediaLogin, type MediaClient } from '../support/sdk-media';
import { startParley, type Parley } from './ws-harness';

interface MergedItem { from: string; messageBody: { type: string; payload: { text?: string } }[] }
interface MergerMsg { ID: string; type: string; payload: { downloadKey: string; messageList: MergedItem[]; title: string; messageNumber?: number } }

/** The SDK's MSG_MERGER_DOWNLOAD_FAIL: how downloadMergerMessage reports any failed get_relay_json_msg. */
const MERGER_DOWNLOAD_FAIL = 2452;

const released = (broker: ServiceBroker, prefix: string) =>
  new Promise<MediaReleased>((resolve) => {
    const on = (e: MediaReleased) => {
      if (!e.refs.some((r) => r.startsWith(prefix))) return;
      broker.localBus.off(LOCAL.MEDIA_RELEASED, on);
      resolve(e);
    };
    broker.localBus.on(LOCAL.MEDIA_RELEASED, on);
  });

describe('SDK combined messages too big for one message (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let alice: MediaClient;
  let bob: MediaClient;
  let carol: MediaClient;

  before(async () => {
    parley = await startParley();
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((u) => mediaLogin(parley, u, clients)));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await parley?.stop();
  });

  it('stores the list of a long combined message, the receiver downloads it, an outsider cannot, and a recall removes it', async () => {
    const C2C = alice.TencentCloudChat.TYPES.CONV_C2C;
    const texts = Array.from({ length: 30 }, (_, i) => `${i}: ${'history '.repeat(50)}`);
    const originals: unknown[] = [];
    for (const text of texts) {
      const sent = (await alice.chat.sendMessage(alice.chat.createTextMessage({ to: 'bob', conversationType: C2C, payload: { text } }))) as { data: { message: unknown } };
      originals.push(sent.data.message);
    }
    const merger = alice.chat.createMergerMessage({ to: 'bob', conversationType: C2C, payload: { messageList: originals, title: 'Chat history', abstractList: ['alice: 0', 'alice: 1'], compatibleText: 'upgrade to see' } });
    const sent = (await alice.chat.sendMessage(merger).catch((err: { code: number; message: string }) => {
      throw new Error(`merger send failed: ${err.code} ${err.message}`);
    })) as { data: { message: MergerMsg } };
    const got = await messageReceived<MergerMsg>(bob, sent.data.message.ID, 10_000);
    expect(got.type).to.equal(bob.TencentCloudChat.TYPES.MSG_MERGER);
    expect(got.payload.downloadKey, 'the SDK uploaded the list').to.match(/^[0-9a-f]{32}$/);
    expect(got.payload.title).to.equal('Chat history');

    // downloadMergerMessage empties the message's downloadKey once it has the list: later downloads get a copy that still names it.
    const downloadKey = got.payload.downloadKey;
    const stub = () => ({ type: got.type, payload: { downloadKey, messageList: [] as MergedItem[] } });
    const full = (await bob.chat.downloadMergerMessage(got as never).catch((err: { code: number; message: string }) => {
      throw new Error(`download failed: ${err.code} ${err.message}`);
    })) as MergerMsg;
    // The SDK's merged items: {from, time, messageBody: [{type, payload}], …}, as it uploaded them.
    expect(full.payload.messageList.map((m) => m.from)).to.deep.equal(texts.map(() => 'alice'));
    expect(full.payload.messageList.map((m) => m.messageBody[0].payload.text)).to.deep.equal(texts);

    const downloaded = (m: MergerMsg) => m.payload.messageList.length;
    expect(await bob.chat.downloadMergerMessage(stub() as never).then((m: MergerMsg) => downloaded(m))).to.equal(texts.length);
    // carol is in no conversation of a message carrying the list.
    const outsider = await carol.chat.downloadMergerMessage(stub() as never).then(() => 'downloaded', (err: { code: number }) => err.code);
    expect(outsider).to.equal(MERGER_DOWNLOAD_FAIL);

    // A recall lets go of the list: it leaves the store and the download fails.
    const gone = released(parley.broker, 'c2c:alice|bob#');
    await alice.chat.revokeMessage(sent.data.message as never);
    expect((await gone).deleted).to.deep.equal([downloadKey]);
    const again = await bob.chat.downloadMergerMessage(stub() as never).then(() => 'downloaded', (err: { code: number }) => err.code);
    expect(again).to.equal(MERGER_DOWNLOAD_FAIL);
  });
});
