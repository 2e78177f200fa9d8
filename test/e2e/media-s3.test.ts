/** A node whose media store is an S3-compatible server (s3rver): uploads, renditions and ranges go through S3. */
import { expect } from 'chai';
import sharp from 'sharp';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { LOCAL, type MediaReleased } from '../../services/events';
import { startS3, type S3Server } from '../support/s3';
import { startParley, type Parley } from './ws-harness';

describe('media on an S3-compatible store (e2e)', function () {
  this.timeout(30_000);
  let s3: S3Server;
  let parley: Parley;

  before(async () => {
    s3 = await startS3();
    parley = await startParley({
      PARLEY_MEDIA_STORE: 's3', PARLEY_S3_ENDPOINT: s3.endpoint, PARLEY_S3_BUCKET: 'parley-media-e2e',
      PARLEY_S3_ACCESS_KEY: s3.accessKeyId, PARLEY_S3_SECRET_KEY: s3.secretAccessKey,
    });
  });
  after(async () => {
    await parley?.stop();
    await s3?.stop();
  });

  it('stores an uploaded image and its renditions in the bucket and serves them, ranges too, and removes them with the recall of their message', async () => {
    const image = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#cc3366' } }).jpeg().toBuffer();
    const url = `http://127.0.0.1:${parley.port}/v4/parley_media/upload?sdkappid=${parley.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(parley.sig('administrator'))}&type=image`;
    const answer = (await (await fetch(url, { method: 'POST', body: image })).json()) as { ErrorCode: number; ErrorInfo: string; MsgBody: { MsgContent: { ImageInfoArray: { URL: string; Width: number }[] } }[] };
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    const [original, large, thumb] = answer.MsgBody[0].MsgContent.ImageInfoArray;
    expect(Buffer.from(await (await fetch(original.URL)).arrayBuffer()).equals(image)).to.equal(true);
    expect((await sharp(Buffer.from(await (await fetch(thumb.URL)).arrayBuffer())).metadata()).height).to.equal(198);
    expect(large.Width).to.equal(800); // 600 px high: the large rendition is never enlarged
    const part = await fetch(original.URL, { headers: { Range: 'bytes=0-9' } });
    expect(part.status).to.equal(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(image.subarray(0, 10))).to.equal(true);

    // The recall of the only message carrying it removes the image and its renditions from the bucket.
    for (const UserID of ['alice', 'bob']) await parley.rest('im_open_login_svc/account_import', { UserID });
    const sent = await parley.rest<{ ErrorCode: number; MsgKey: string }>('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 5, MsgBody: answer.MsgBody });
    expect(sent.ErrorCode).to.equal(0);
    const fileKey = /\/media\/d\/\d+\/([0-9a-f]{32})\//.exec(original.URL)![1];
    const released = new Promise<MediaReleased>((resolve) => parley.broker.localBus.once(LOCAL.MEDIA_RELEASED, resolve));
    expect((await parley.rest<{ ErrorCode: number }>('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey })).ErrorCode).to.equal(0);
    expect((await released).deleted).to.deep.equal([fileKey]);
    const blobs = await runtimeOf(parley.broker).blobs();
    for (const part of ['o', 'l', 't', 'meta']) expect(await blobs.head(`${parley.sdkAppId}/${fileKey}/${part}`), part).to.equal(undefined);
    expect((await fetch(thumb.URL)).status).to.equal(404);
  });
});
