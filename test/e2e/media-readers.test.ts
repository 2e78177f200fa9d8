/**
 * Who may download a media file now: a download that names its reader (the SDK's authKey, the
 * login's RichMsgAuthKey; or identifier and usersig) is served only to a reader still in a
 * conversation of a message carrying the file, the uploader, or the administrator.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import { forgetVerdicts } from '../../services/media/readers';
import { FrameClient, startParley, type Parley } from './ws-harness';

interface Envelope { ErrorCode: number; ErrorInfo: string; FileKey?: string; GroupId?: string; MsgBody?: { MsgType: string; MsgContent: Record<string, unknown> }[] }

describe('media downloads check their reader (e2e)', function () {
  this.timeout(20_000);
  let parley: Parley;
  const sockets: FrameClient[] = [];
  const keys: Record<string, string> = {};

  async function upload(p: Parley): Promise<{ body: Envelope['MsgBody']; url: string }> {
    const url = `http://127.0.0.1:${p.port}/v4/parley_media/upload?sdkappid=${p.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(p.sig('administrator'))}&random=1&type=file&name=a.bin`;
    const answer = (await (await fetch(url, { method: 'POST', body: crypto.randomBytes(1024) })).json()) as Envelope;
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    return { body: answer.MsgBody, url: answer.MsgBody![0].MsgContent.Url as string };
  }
  const as = (url: string, user: string) => `${url}&authKey=${encodeURIComponent(keys[user])}`;
  async function refusal(url: string): Promise<[number, number]> {
    const res = await fetch(url);
    const body = res.status === 200 ? { ErrorCode: 0 } : ((await res.json()) as Envelope);
    return [res.status, body.ErrorCode];
  }

  before(async () => {
    parley = await startParley();
    for (const user of ['alice', 'bob', 'carol', 'administrator']) {
      if (user !== 'administrator') await parley.rest('im_open_login_svc/account_import', { UserID: user });
      const socket = await FrameClient.open(parley);
      sockets.push(socket);
      const login = await socket.login(parley, user);
      expect(login.RichMsgAuthKey, 'the login names the reader for downloads').to.be.a('string');
      keys[user] = login.RichMsgAuthKey as string;
    }
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await parley?.stop();
  });
  beforeEach(() => forgetVerdicts());

  it('serves a group file to its members, and stops once a member left; the administrator always', async () => {
    const group = await parley.rest<Envelope>('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'readers', MemberList: [{ Member_Account: 'bob' }] });
    const file = await upload(parley);
    const sent = await parley.rest<Envelope>('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'alice', Random: 7, MsgBody: file.body });
    expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
    expect(await refusal(as(file.url, 'bob'))).to.deep.equal([200, 0]);
    expect(await refusal(as(file.url, 'carol'))).to.deep.equal([403, 91110]);
    const removed = await parley.rest<Envelope>('group_open_http_svc/delete_group_member', { GroupId: group.GroupId, MemberToDel_Account: ['bob'] });
    expect(removed.ErrorCode, removed.ErrorInfo).to.equal(0);
    forgetVerdicts();
    expect(await refusal(as(file.url, 'bob'))).to.deep.equal([403, 91110]);
    expect(await refusal(as(file.url, 'alice'))).to.deep.equal([200, 0]);
    expect(await refusal(as(file.url, 'administrator'))).to.deep.equal([200, 0]);
    const admin = `${file.url}&identifier=administrator&usersig=${encodeURIComponent(parley.sig('administrator'))}`;
    expect(await refusal(admin)).to.deep.equal([200, 0]);
    // Pasting the kept URL into a conversation of bob's own gives that conversation no claim on it.
    const bobSocket = sockets[1];
    const pasted = await bobSocket.request('openim.sendmsg', { To_Account: 'carol', MsgRandom: 4242, MsgBody: file.body });
    expect(pasted.ErrorCode, String(pasted.ErrorInfo)).to.equal(0);
    forgetVerdicts();
    expect(await refusal(as(file.url, 'bob'))).to.deep.equal([403, 91110]);
    expect(await refusal(as(file.url, 'carol'))).to.deep.equal([403, 91110]);
    // The signature alone still serves it (PARLEY_MEDIA_READER_CHECK=known): the SDK without fileDownloadProxy names no reader.
    expect(await refusal(file.url)).to.deep.equal([200, 0]);
  });

  it('serves a one-to-one file to the two users only', async () => {
    const file = await upload(parley);
    const sent = await parley.rest<Envelope>('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 9, MsgBody: file.body });
    expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
    expect(await refusal(as(file.url, 'bob'))).to.deep.equal([200, 0]);
    expect(await refusal(as(file.url, 'carol'))).to.deep.equal([403, 91110]);
    const carol = `${file.url}&identifier=carol&usersig=${encodeURIComponent(parley.sig('carol'))}`;
    expect(await refusal(carol)).to.deep.equal([403, 91110]);
  });

  it('refuses a tampered or garbled reader key, and a usersig that proves nothing', async () => {
    const file = await upload(parley);
    const forged = keys.bob.replace(/^r1\.[^.]+/, `r1.${Buffer.from('alice').toString('base64url')}`);
    expect(await refusal(`${file.url}&authKey=${encodeURIComponent(forged)}`)).to.deep.equal([403, 91101]);
    expect(await refusal(`${file.url}&authKey=garbage`)).to.deep.equal([403, 91101]);
    expect(await refusal(`${file.url}&identifier=alice&usersig=nonsense`)).to.deep.equal([403, 91101]);
    expect(await refusal(`${file.url}&identifier=alice`)).to.deep.equal([403, 91101]);
  });

  it('with PARLEY_MEDIA_READER_CHECK=required, refuses a download that names no reader', async () => {
    const strict = await startParley({ PARLEY_MEDIA_READER_CHECK: 'required' }, 1400000077);
    try {
      const file = await upload(strict);
      expect(await refusal(file.url)).to.deep.equal([403, 91110]);
      expect(await refusal(`${file.url}&identifier=administrator&usersig=${encodeURIComponent(strict.sig('administrator'))}`)).to.deep.equal([200, 0]);
    } finally {
      await strict.stop();
    }
  });
});
