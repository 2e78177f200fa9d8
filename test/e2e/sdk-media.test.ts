/**
 * Media messages with Tencent's real web SDK and its upload plugin (tim-upload-plugin) against
 * an embedded node: the SDK asks im_cos_msg.pre_sig for URLs, PUTs the bytes to Parley, sends
 * the message, and the receiver downloads exactly what was sent from the URLs it received.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import sharp from 'sharp';
import type { SdkClient } from '../support/sdk';
import { messageReceived } from '../support/sdk';
import { mediaLogin, type MediaClient } from '../support/sdk-media';
import { startParley, type Parley } from './ws-harness';

interface ImageInfo { type: number; url: string; imageUrl?: string; width: number; height: number; size: number }
interface MediaMsg { ID: string; type: string; from: string; payload: { imageInfoArray?: ImageInfo[]; fileUrl?: string; fileName?: string; fileSize?: number; url?: string; remoteAudioUrl?: string; videoUrl?: string } }

/** A 1200×800 JPEG with some texture, as a camera would make (sizes must survive resizing). */
async function photo(): Promise<Buffer> {
  const raw = crypto.randomBytes(60 * 40 * 3);
  return sharp(raw, { raw: { width: 60, height: 40, channels: 3 } }).resize(1200, 800, { kernel: 'nearest' }).jpeg({ quality: 85 }).toBuffer();
}

async function download(url: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

describe('SDK media messages (e2e)', function () {
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

  it('sends an image: the receiver gets original, large and thumbnail URLs that serve the image and its renditions', async () => {
    const jpeg = await photo();
    const C2C = alice.TencentCloudChat.TYPES.CONV_C2C;
    const msg = alice.chat.createImageMessage({ to: 'bob', conversationType: C2C, payload: { file: new File([jpeg], 'holiday.jpg', { type: 'image/jpeg' }) } });
    const sent = (await alice.chat.sendMessage(msg)) as { data: { message: MediaMsg } };
    const got = await messageReceived<MediaMsg>(bob, sent.data.message.ID, 10_000);
    expect(got.type).to.equal(bob.TencentCloudChat.TYPES.MSG_IMAGE);
    const infos = got.payload.imageInfoArray!;
    // The SDK numbers them 0 original, 1 thumbnail, 2 large (its element class swaps Tencent's 2 and 3).
    expect(infos.map((i) => i.type)).to.deep.equal([0, 1, 2]);
    const [original, thumb, large] = infos;
    expect(original).to.include({ width: 1200, height: 800, size: jpeg.length });
    const o = await download(original.url);
    expect(o.status).to.equal(200);
    expect(o.type).to.equal('image/jpeg');
    expect(o.bytes.equals(jpeg)).to.equal(true);
    const l = await sharp((await download(large.url)).bytes).metadata();
    expect([l.width, l.height]).to.deep.equal([1080, 720]);
    const t = await sharp((await download(thumb.url)).bytes).metadata();
    expect([t.width, t.height]).to.deep.equal([297, 198]);
    expect([large.width, large.height, thumb.width, thumb.height]).to.deep.equal([1080, 720, 297, 198]);
  });

  it('sends a file: the receiver downloads the same bytes, as an attachment', async () => {
    const bytes = crypto.randomBytes(300_000);
    const C2C = alice.TencentCloudChat.TYPES.CONV_C2C;
    const msg = alice.chat.createFileMessage({ to: 'bob', conversationType: C2C, payload: { file: new File([bytes], 'report.pdf', { type: 'application/pdf' }) } });
    const sent = (await alice.chat.sendMessage(msg)) as { data: { message: MediaMsg } };
    const got = await messageReceived<MediaMsg>(bob, sent.data.message.ID, 10_000);
    expect(got.payload).to.include({ fileName: 'report.pdf', fileSize: bytes.length });
    const res = await fetch(got.payload.fileUrl!);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/octet-stream');
    expect(res.headers.get('content-disposition')).to.match(/^attachment/);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
  });

  it('works the same with fileDownloadProxy and fileUploadProxy set (im_cos_msg.simple_sig and get_imageinfo)', async () => {
    const base = `http://127.0.0.1:${parley.port}`;
    const carol = await mediaLogin(parley, 'carol', clients, { fileUploadProxy: base, fileDownloadProxy: base });
    const jpeg = await photo();
    const C2C = carol.TencentCloudChat.TYPES.CONV_C2C;
    const msg = carol.chat.createImageMessage({ to: 'bob', conversationType: C2C, payload: { file: new File([jpeg], 'p.jpg', { type: 'image/jpeg' }) } });
    const sent = (await carol.chat.sendMessage(msg)) as { data: { message: MediaMsg } };
    const got = await messageReceived<MediaMsg>(bob, sent.data.message.ID, 10_000);
    const [original, thumb, large] = got.payload.imageInfoArray!;
    expect([original.width, thumb.height, large.height]).to.deep.equal([1200, 198, 720]);
    expect((await download(original.url)).bytes.equals(jpeg)).to.equal(true);
  });
});
