/**
 * Video and sound with Tencent's real web SDK against an embedded node. A video goes the SDK's
 * whole way (createVideoMessage, im_cos_msg.pre_sig, the upload plugin's PUT, the message); the
 * receiver's player fetches it by byte ranges. The web SDK makes no sound messages of its own:
 * its createAudioMessage only converts a mini-program or React Native recorder's result (the
 * bundle reads `tempFilePath` / `uri` there), so sound comes from an app backend through the REST
 * upload, and the SDK receives and plays it.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import type { SdkClient } from '../support/sdk';
import { messageReceived } from '../support/sdk';
import { mediaLogin, type MediaClient } from '../support/sdk-media';
import { startParley, type Parley } from './ws-harness';

interface AvMsg {
  ID: string;
  type: string;
  payload: { videoUrl?: string; videoSize?: number; videoFormat?: string; url?: string; size?: number; second?: number; uuid?: string };
}

/** The start of an MP4 file (an `ftyp` box) and random bytes: what the server's sniffing needs. */
const mp4 = (size: number) => Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), crypto.randomBytes(size)]);

async function range(url: string, from: number, to: number): Promise<{ status: number; bytes: Buffer; contentRange: string | null }> {
  const res = await fetch(url, { headers: { Range: `bytes=${from}-${to}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), contentRange: res.headers.get('content-range') };
}

describe('SDK video and sound messages (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let alice: MediaClient;
  let bob: MediaClient;

  before(async () => {
    parley = await startParley();
    alice = await mediaLogin(parley, 'alice', clients);
    bob = await mediaLogin(parley, 'bob', clients);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await parley?.stop();
  });

  it('sends a video through the SDK: the receiver gets its URL, which serves the same bytes whole and by ranges', async () => {
    const video = mp4(80_000);
    const C2C = alice.TencentCloudChat.TYPES.CONV_C2C;
    const msg = alice.chat.createVideoMessage({ to: 'bob', conversationType: C2C, payload: { file: new File([video], 'clip.mp4', { type: 'video/mp4' }) } });
    const sent = (await alice.chat.sendMessage(msg)) as { data: { message: AvMsg } };
    const got = await messageReceived<AvMsg>(bob, sent.data.message.ID, 10_000);
    expect(got.type).to.equal(bob.TencentCloudChat.TYPES.MSG_VIDEO);
    expect(got.payload).to.include({ videoSize: video.length, videoFormat: 'mp4' });
    const whole = await fetch(got.payload.videoUrl!);
    expect(whole.status).to.equal(200);
    expect(whole.headers.get('content-type')).to.equal('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer()).equals(video)).to.equal(true);
    const part = await range(got.payload.videoUrl!, 1000, 1999);
    expect(part.status).to.equal(206);
    expect(part.contentRange).to.equal(`bytes 1000-1999/${video.length}`);
    expect(part.bytes.equals(video.subarray(1000, 2000))).to.equal(true);
    // The upload went to Parley, not to a cloud store.
    expect(alice.traffic.requests.some((r) => r.method === 'PUT' && r.url.startsWith(`http://127.0.0.1:${parley.port}/`) && r.status === 200)).to.equal(true);
  });

  it('delivers a sound element uploaded by an app backend: the SDK shows its length and plays it from its URL', async () => {
    const voice = mp4(20_000);
    const url = `http://127.0.0.1:${parley.port}/v4/parley_media/upload?sdkappid=${parley.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(parley.sig('administrator'))}&random=1&type=audio&second=4`;
    const uploaded = (await (await fetch(url, { method: 'POST', body: voice })).json()) as { ErrorCode: number; MsgBody: { MsgType: string; MsgContent: Record<string, unknown> }[] };
    expect(uploaded.ErrorCode).to.equal(0);
    const received = bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_RECEIVED) as Promise<AvMsg[]>;
    const sent = (await parley.rest('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 77, MsgBody: uploaded.MsgBody })) as { ErrorCode: number };
    expect(sent.ErrorCode).to.equal(0);
    const [got] = await received;
    expect(got.type).to.equal(bob.TencentCloudChat.TYPES.MSG_AUDIO);
    expect(got.payload).to.include({ second: 4, size: voice.length });
    const part = await range(got.payload.url!, 0, 99);
    expect(part.status).to.equal(206);
    expect(part.bytes.equals(voice.subarray(0, 100))).to.equal(true);
  });
});
