/**
 * The media routes from outside, as an app backend and a misbehaving client would use them:
 * the REST upload's elements, signed URLs (tampered, expired), byte ranges, and each refusal of
 * bad input (too big, lying content, truncated, path tricks, over quota) leaving nothing stored.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import http from 'node:http';
import sharp from 'sharp';
import { startParley, type Parley } from './ws-harness';

interface Envelope { ActionStatus: string; ErrorCode: number; ErrorInfo: string; FileKey?: string; MsgBody?: { MsgType: string; MsgContent: Record<string, unknown> }[]; UsedBytes?: number }

const MB = 1024 * 1024;

describe('media REST upload and signed URLs (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;

  before(async () => {
    parley = await startParley({ PARLEY_MEDIA_MAX_FILE_MB: '1', PARLEY_MEDIA_MAX_AUDIO_MB: '1', PARLEY_MEDIA_QUOTA_MB: '3' });
  });
  after(async () => parley?.stop());

  const uploadUrl = (query: string) =>
    `http://127.0.0.1:${parley.port}/v4/parley_media/upload?sdkappid=${parley.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(parley.sig('administrator'))}&random=1&${query}`;
  async function upload(query: string, body: Buffer): Promise<Envelope> {
    const res = await fetch(uploadUrl(query), { method: 'POST', body });
    expect(res.status).to.equal(200);
    return (await res.json()) as Envelope;
  }
  const usage = async () => (await parley.rest('parley_media/get_usage', {})) as Envelope;
  const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#3366cc' } }).png().toBuffer();

  it('uploads an image for an app backend and answers a TIMImageElem with original, large and thumbnail', async () => {
    const image = await png(1000, 2000);
    const answer = await upload('type=image&name=chart.png', image);
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    const [elem] = answer.MsgBody!;
    expect(elem.MsgType).to.equal('TIMImageElem');
    expect(elem.MsgContent.ImageFormat).to.equal(3);
    expect(elem.MsgContent.UUID).to.equal(crypto.createHash('md5').update(image).digest('hex'));
    const infos = elem.MsgContent.ImageInfoArray as { Type: number; Size: number; Width: number; Height: number; URL: string }[];
    expect(infos.map((i) => [i.Type, i.Width, i.Height])).to.deep.equal([[1, 1000, 2000], [2, 720, 1440], [3, 198, 396]]);
    for (const info of infos) {
      const res = await fetch(info.URL);
      expect(res.status).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).length).to.equal(info.Size);
    }
    // The element goes into a message as is.
    for (const UserID of ['alice', 'bob']) await parley.rest('im_open_login_svc/account_import', { UserID });
    const sent = (await parley.rest('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 1, MsgBody: answer.MsgBody })) as Envelope;
    expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
  });

  it('answers a TIMFileElem and a TIMSoundElem in the seed formats', async () => {
    const file = await upload('type=file&name=notes.txt', Buffer.from('plain notes'));
    expect(file.MsgBody![0]).to.deep.include({ MsgType: 'TIMFileElem' });
    expect(file.MsgBody![0].MsgContent).to.include({ FileSize: 11, FileName: 'notes.txt', Download_Flag: 2 });
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(200)]);
    const sound = await upload('type=audio&second=3', wav);
    expect(sound.ErrorCode, sound.ErrorInfo).to.equal(0);
    expect(sound.MsgBody![0].MsgContent).to.include({ Size: wav.length, Second: 3, Download_Flag: 2 });
  });

  it('serves byte ranges of audio, as players seek', async () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), crypto.randomBytes(5000)]);
    const url = (await upload('type=audio', wav)).MsgBody![0].MsgContent.Url as string;
    const part = await fetch(url, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).to.equal(206);
    expect(part.headers.get('content-range')).to.equal(`bytes 100-199/${wav.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(wav.subarray(100, 200))).to.equal(true);
    const tail = await fetch(url, { headers: { Range: 'bytes=-16' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(wav.subarray(wav.length - 16))).to.equal(true);
    expect((await fetch(url, { headers: { Range: `bytes=${wav.length}-` } })).status).to.equal(416);
  });

  it('refuses a tampered or expired download URL', async () => {
    const url = (await upload('type=file&name=a.bin', Buffer.from('secret'))).MsgBody![0].MsgContent.Url as string;
    const tampered = url.replace(/s=([A-Za-z0-9_-])/, (_m, c: string) => `s=${c === 'A' ? 'B' : 'A'}`);
    expect((await fetch(tampered)).status).to.equal(403);
    const otherFile = url.replace(/\/d\/(\d+)\/[0-9a-f]{32}\//, `/d/$1/${'0'.repeat(32)}/`);
    expect((await fetch(otherFile)).status).to.equal(403);
    const later = url.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 1}`);
    expect((await fetch(later)).status).to.equal(403);
    const expired = (await fetch(url.replace(/e=\d+/, 'e=1000'))).status;
    expect(expired).to.be.oneOf([403, 410]);
  });

  it('refuses a file over its limit, content that is not what the type says, and path tricks', async () => {
    const before = (await usage()).UsedBytes!;
    const big = await upload('type=file', crypto.randomBytes(MB + 1));
    expect(big.ErrorCode).to.equal(91103);
    const lying = await upload('type=image&name=cat.jpg', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(lying.ErrorCode).to.equal(91104);
    const empty = await upload('type=file', Buffer.alloc(0));
    expect(empty.ErrorCode).to.equal(91105);
    for (const path of ['/media/d/1/../../etc/passwd', '/media/d/%2e%2e/x', `/media/u/${parley.sdkAppId}/..%2f..%2fetc`]) {
      const res = await fetch(`http://127.0.0.1:${parley.port}${path}`);
      expect(res.status, path).to.be.oneOf([403, 404]);
    }
    const traversalName = await upload('type=file&name=../../etc/passwd', Buffer.from('x'));
    expect(traversalName.MsgBody![0].MsgContent.Url as string).to.match(/\/media\/d\/\d+\/[0-9a-f]{32}\/o\?/);
    expect((await usage()).UsedBytes).to.equal(before + 1);
  });

  it('refuses a truncated upload and keeps nothing of it', async () => {
    const before = (await usage()).UsedBytes!;
    const answer = await new Promise<number>((resolve) => {
      const req = http.request(uploadUrl('type=file'), { method: 'POST', headers: { 'content-length': '50000' } });
      req.on('error', () => resolve(-1));
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.write(crypto.randomBytes(20_000));
      setImmediate(() => req.destroy());
    });
    expect(answer).to.equal(-1);
    // The server finished with the broken request once a later one is answered after it.
    await upload('type=file', Buffer.from('y'));
    expect((await usage()).UsedBytes).to.equal(before + 1);
  });

  it("refuses uploads past the app's quota with 91108 and stores nothing of them", async () => {
    let answer: Envelope | undefined;
    for (let i = 0; i < 5 && !(answer && answer.ErrorCode !== 0); i++) answer = await upload('type=file', crypto.randomBytes(900 * 1024));
    expect(answer!.ErrorCode).to.equal(91108);
    expect((await usage()).UsedBytes).to.be.at.most(3 * MB);
  });

  it('refuses the upload to a REST caller who is not an administrator', async () => {
    const url = uploadUrl('type=file').replace('identifier=administrator', 'identifier=alice').replace(/usersig=[^&]+/, `usersig=${encodeURIComponent(parley.sig('alice'))}`);
    const res = (await (await fetch(url, { method: 'POST', body: 'x' })).json()) as Envelope;
    expect(res.ErrorCode).to.equal(60010);
  });
});
