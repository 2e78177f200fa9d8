/**
 * The end of media files: messages hold the files they carry, and a file leaves the store when
 * the last message holding it is recalled, erased by its sender's deletion or with its disbanded
 * group, or passes the roaming period, never before; a removal that failed after the ledger
 * recorded the deletion is done again by the sweep.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import type { ServiceBroker } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { LOCAL, type MediaReleased } from '../../services/events';
import { startParley, type Parley } from './ws-harness';

interface Envelope { ActionStatus: string; ErrorCode: number; ErrorInfo: string; FileKey?: string; MsgKey?: string; MsgSeq?: number; Files?: number; MsgBody?: { MsgType: string; MsgContent: Record<string, unknown> }[]; RecallRetList?: { MsgSeq: number; RetCode: number }[] }

/** The next release of the ledger whose references match `which` (registered before the action that causes it). */
function nextRelease(broker: ServiceBroker, which: (ref: string) => boolean): Promise<MediaReleased> {
  return new Promise((resolve) => {
    const on = (e: MediaReleased) => {
      if (!e.refs.some(which)) return;
      broker.localBus.off(LOCAL.MEDIA_RELEASED, on);
      resolve(e);
    };
    broker.localBus.on(LOCAL.MEDIA_RELEASED, on);
  });
}

describe('media files end with their messages (e2e)', function () {
  this.timeout(20_000);
  let parley: Parley;

  before(async () => {
    parley = await startParley();
    for (const UserID of ['alice', 'bob', 'carol']) await parley.rest('im_open_login_svc/account_import', { UserID });
  });
  after(async () => parley?.stop());

  async function upload(): Promise<{ fileKey: string; body: Envelope['MsgBody']; url: string }> {
    const url = `http://127.0.0.1:${parley.port}/v4/parley_media/upload?sdkappid=${parley.sdkAppId}&identifier=administrator&usersig=${encodeURIComponent(parley.sig('administrator'))}&random=1&type=file&name=a.bin`;
    const answer = (await (await fetch(url, { method: 'POST', body: crypto.randomBytes(2048) })).json()) as Envelope;
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    return { fileKey: answer.FileKey!, body: answer.MsgBody, url: answer.MsgBody![0].MsgContent.Url as string };
  }
  const stored = async (fileKey: string) => !!(await (await runtimeOf(parley.broker).blobs()).head(`${parley.sdkAppId}/${fileKey}/o`));
  const status = async (url: string) => (await fetch(url)).status;
  const send = async (to: string, body: Envelope['MsgBody']) => {
    const sent = await parley.rest<Envelope>('openim/sendmsg', { From_Account: 'alice', To_Account: to, MsgRandom: crypto.randomInt(1, 2 ** 31), MsgBody: body });
    expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
    return sent;
  };

  it('keeps a file two one-to-one messages carry while one remains, and removes it with the last recall', async () => {
    const file = await upload();
    const toBob = await send('bob', file.body);
    const toCarol = await send('carol', file.body);
    let released = nextRelease(parley.broker, (r) => r.startsWith('c2c:alice|bob#'));
    expect((await parley.rest<Envelope>('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: toBob.MsgKey })).ErrorCode).to.equal(0);
    expect((await released).deleted).to.deep.equal([]);
    expect(await status(file.url)).to.equal(200);
    expect(await stored(file.fileKey)).to.equal(true);

    released = nextRelease(parley.broker, (r) => r.startsWith('c2c:alice|carol#'));
    expect((await parley.rest<Envelope>('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'carol', MsgKey: toCarol.MsgKey })).ErrorCode).to.equal(0);
    expect((await released).deleted).to.deep.equal([file.fileKey]);
    expect(await status(file.url)).to.equal(404);
    expect(await stored(file.fileKey)).to.equal(false);
  });

  it('removes the file of a recalled group message, and keeps a file another group message still carries', async () => {
    const group = await parley.rest<{ GroupId: string; ErrorCode: number }>('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'media', MemberList: [{ Member_Account: 'bob' }] });
    expect(group.ErrorCode).to.equal(0);
    const file = await upload();
    const first = await parley.rest<Envelope>('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'alice', Random: 1, MsgBody: file.body });
    const second = await parley.rest<Envelope>('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'bob', Random: 2, MsgBody: file.body });
    expect([first.ErrorCode, second.ErrorCode]).to.deep.equal([0, 0]);
    const recall = async (seq: number) => {
      const released = nextRelease(parley.broker, (r) => r === `group:${group.GroupId}#${seq}`);
      const answer = await parley.rest<Envelope>('group_open_http_svc/group_msg_recall', { GroupId: group.GroupId, MsgSeqList: [{ MsgSeq: seq }] });
      expect(answer.RecallRetList).to.deep.equal([{ MsgSeq: seq, RetCode: 0 }]);
      return (await released).deleted;
    };
    expect(await recall(first.MsgSeq!)).to.deep.equal([]);
    expect(await stored(file.fileKey)).to.equal(true);
    expect(await recall(second.MsgSeq!)).to.deep.equal([file.fileKey]);
    expect(await stored(file.fileKey)).to.equal(false);
  });

  it('removes the file of group messages erased by delete_group_msg_by_sender', async () => {
    const group = await parley.rest<{ GroupId: string; ErrorCode: number }>('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'erase', MemberList: [{ Member_Account: 'carol' }] });
    expect(group.ErrorCode).to.equal(0);
    const file = await upload();
    const sent = await parley.rest<Envelope>('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'carol', Random: 3, MsgBody: file.body });
    expect(sent.ErrorCode).to.equal(0);
    const released = nextRelease(parley.broker, (r) => r === `group:${group.GroupId}#${sent.MsgSeq}`);
    const answer = await parley.rest<Envelope>('group_open_http_svc/delete_group_msg_by_sender', { GroupId: group.GroupId, Sender_Account: 'carol' });
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    expect((await released).deleted).to.deep.equal([file.fileKey]);
    expect(await stored(file.fileKey)).to.equal(false);
  });

  it("removes the files of a disbanded group's messages, and keeps a file a one-to-one message still carries", async () => {
    const group = await parley.rest<{ GroupId: string; ErrorCode: number }>('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'gone', MemberList: [{ Member_Account: 'bob' }] });
    expect(group.ErrorCode).to.equal(0);
    const own = await upload();
    const shared = await upload();
    for (const [i, body] of [own.body, shared.body].entries()) {
      const sent = await parley.rest<Envelope>('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'alice', Random: 10 + i, MsgBody: body });
      expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
    }
    await send('carol', shared.body);
    const released = nextRelease(parley.broker, (r) => r === `group:${group.GroupId}#*`);
    const answer = await parley.rest<Envelope>('group_open_http_svc/destroy_group', { GroupId: group.GroupId });
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    expect((await released).deleted).to.deep.equal([own.fileKey]);
    expect(await stored(own.fileKey)).to.equal(false);
    expect(await stored(shared.fileKey)).to.equal(true);
  });

  it('removes nothing within the roaming period, then files whose messages passed it and files no message carried', async () => {
    const held = await upload();
    const unheld = await upload();
    await send('bob', held.body);
    const before = await parley.broker.call<{ expired: number }, object>('media.sweep', { app: parley.sdkAppId });
    expect(before.expired).to.equal(0);
    expect(await stored(held.fileKey)).to.equal(true);
    // Eight days on, past the app's seven days of roaming.
    const swept = await parley.broker.call<{ expired: number }, object>('media.sweep', { app: parley.sdkAppId, nowMs: Date.now() + 8 * 86_400_000 });
    expect(swept.expired).to.be.at.least(2);
    expect(await stored(held.fileKey)).to.equal(false);
    expect(await stored(unheld.fileKey)).to.equal(false);
  });

  it('holds the media inside a stored combined message by the list: readable through it, removed with it', async () => {
    const file = await upload();
    const list = await parley.rest<Envelope & { DownloadKey: string }>('im_long_msg/save_relay_json_msg', { MsgList: [{ From_Account: 'carol', MsgTimeStamp: 1_796_000_000, MsgBody: file.body }] });
    expect(list.ErrorCode, list.ErrorInfo).to.equal(0);
    const sent = await send('bob', [{ MsgType: 'TIMRelayElem', MsgContent: { Title: 'history', MsgNum: 1, JsonMsgKey: list.DownloadKey } }]);
    const as = (user: string) => `${file.url}&identifier=${user}&usersig=${encodeURIComponent(parley.sig(user))}`;
    expect(await status(as('bob'))).to.equal(200);
    // carol sent the message inside the list, but is in no conversation of a message carrying it.
    expect(await status(as('carol'))).to.equal(403);
    const released = nextRelease(parley.broker, (r) => r === `c2c:alice|bob#${sent.MsgSeq}`);
    expect((await parley.rest<Envelope>('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey })).ErrorCode).to.equal(0);
    expect((await released).deleted).to.deep.equal([list.DownloadKey]);
    expect(await stored(list.DownloadKey)).to.equal(false);
    expect(await stored(file.fileKey)).to.equal(false);
  });

  it('removes again, at the next sweep, the objects of a deletion whose removal failed after the ledger recorded it', async () => {
    const file = await upload();
    const sent = await send('bob', file.body);
    const blobs = await runtimeOf(parley.broker).blobs();
    const del = blobs.delete.bind(blobs);
    blobs.delete = () => Promise.reject(new Error('store unreachable'));
    try {
      // The release records the deletion, then fails to remove: the objects stay, the file is gone from the ledger.
      const answer = await parley.broker.call<{ deleted: string[] }, object>('media.release', { app: parley.sdkAppId, refs: [`c2c:alice|bob#${sent.MsgSeq}`], reason: 'recalled' }).catch((err: Error) => err);
      expect(answer).to.be.instanceOf(Error);
    } finally {
      blobs.delete = del;
    }
    expect(await stored(file.fileKey)).to.equal(true);
    expect(await status(file.url)).to.equal(200);
    const usage = await parley.rest<Envelope & { Files: number }>('parley_media/get_usage', {});
    const swept = await parley.broker.call<{ removed: number }, object>('media.sweep', { app: parley.sdkAppId });
    expect(swept.removed).to.equal(1);
    expect(await stored(file.fileKey)).to.equal(false);
    expect(await status(file.url)).to.equal(404);
    expect((await parley.rest<Envelope>('parley_media/get_usage', {})).Files).to.equal(usage.Files);
  });
});
