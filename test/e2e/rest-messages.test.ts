/**
 * One-to-one messages through the REST API, as an app backend sends and reads them.
 */
import { expect } from 'chai';
import { RestClient, REST_SERVICES, startEmbedded, type Answer, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);

function expectOk(answer: Answer): void {
  expect(answer, answer.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
}

describe('REST one-to-one messages (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;

  const send = (from: string, to: string, body: object = {}) =>
    rest.call('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random(), MsgBody: text(`${from}→${to}`), ...body });
  const roam = (operator: string, peer: string, extra: object = {}) =>
    rest.call('openim/admin_getroammsg', { Operator_Account: operator, Peer_Account: peer, MaxCnt: 100, MinTime: 0, MaxTime: 4_000_000_000, ...extra });
  const unread = async (user: string, peers?: string[]) => rest.call('openim/get_c2c_unread_msg_num', { To_Account: user, ...(peers ? { Peer_Account: peers } : {}) });

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends'] });
    rest = new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId }));
    expectOk(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] }));
  });
  after(() => server?.stop());

  it('sends a message and answers MsgTime and a MsgKey of seq, random and time', async () => {
    const MsgRandom = random();
    const answer = await send('alice', 'bob', { MsgRandom });
    expectOk(answer);
    expect(answer.MsgTime).to.be.a('number').within(Date.now() / 1000 - 5, Date.now() / 1000 + 5);
    expect(answer.MsgKey).to.equal(`1_${MsgRandom}_${answer.MsgTime}`);
  });

  it('gives concurrent sends of one pair consecutive sequence numbers', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => send('carol', 'bob')));
    answers.forEach(expectOk);
    const seqs = answers.map((a) => Number(String(a.MsgKey).split('_')[0])).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('returns the first answer for a resend with the same random and content, storing nothing new', async () => {
    const MsgRandom = random();
    const first = await send('alice', 'carol', { MsgRandom });
    const again = await send('alice', 'carol', { MsgRandom });
    expect(again.MsgKey).to.equal(first.MsgKey);
    const history = await roam('alice', 'carol');
    expect(history.MsgList as unknown[]).to.have.length(1);
  });

  it('refuses a message to an account that was never imported, or with a bad body', async () => {
    expect((await send('alice', 'nobody')).ErrorCode).to.equal(90012);
    expect((await send('nobody', 'alice')).ErrorCode).to.equal(90008);
    expect((await send('alice', 'bob', { MsgBody: 'hi' })).ErrorCode).to.equal(90007);
    expect((await send('alice', 'bob', { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }] })).ErrorCode).to.equal(90010);
    expect((await send('alice', 'bob', { MsgBody: [{ MsgType: 'TIMBogusElem', MsgContent: {} }] })).ErrorCode).to.equal(90010);
    const twoCustom = [1, 2].map((i) => ({ MsgType: 'TIMCustomElem', MsgContent: { Data: `${i}` } }));
    expect((await send('alice', 'bob', { MsgBody: twoCustom })).ErrorCode).to.equal(90010);
    expect((await send('alice', 'bob', { MsgBody: text('x'.repeat(13_000)) })).ErrorCode).to.equal(80002);
    expect((await send('alice', 'bob', { MsgRandom: -1 })).ErrorCode).to.equal(90001);
  });

  it('accepts every element type of the seed’s formats', async () => {
    const body = [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } },
      { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'here', Latitude: 29.34, Longitude: 116.77 } },
      { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } },
      { MsgType: 'TIMCustomElem', MsgContent: { Data: 'd', Desc: 'x', Ext: 'e', Sound: 's' } },
      { MsgType: 'TIMSoundElem', MsgContent: { Url: 'https://x/a', UUID: 'u1', Size: 10, Second: 1, Download_Flag: 2 } },
      { MsgType: 'TIMImageElem', MsgContent: { UUID: 'u2', ImageFormat: 1, ImageInfoArray: [{ Type: 1, Size: 1, Width: 2, Height: 3, URL: 'https://x/i' }] } },
      { MsgType: 'TIMFileElem', MsgContent: { Url: 'https://x/f', UUID: 'u3', FileSize: 5, FileName: 'f.txt', Download_Flag: 2 } },
      { MsgType: 'TIMVideoFileElem', MsgContent: { VideoUrl: 'https://x/v', VideoUUID: 'u4', VideoSize: 9, VideoSecond: 3, VideoFormat: 'mp4', VideoDownloadFlag: 2, ThumbUrl: 'https://x/t', ThumbUUID: 'u5', ThumbSize: 1, ThumbWidth: 1, ThumbHeight: 1, ThumbFormat: 'jpg', ThumbDownloadFlag: 2 } },
    ];
    expectOk(await send('bob', 'alice', { MsgBody: body }));
    const history = await roam('bob', 'alice', { MaxCnt: 1 });
    expect((history.MsgList as { MsgBody: unknown[] }[])[0].MsgBody).to.deep.equal(body);
  });

  it('pages roaming history newest first with LastMsgKey until Complete', async () => {
    for (let i = 0; i < 5; i++) expectOk(await rest.call('openim/sendmsg', { From_Account: 'bob', To_Account: 'carol', MsgRandom: random(), MsgBody: text(`p${i}`) }));
    const seen: string[] = [];
    let LastMsgKey: string | undefined;
    for (;;) {
      const page = await roam('carol', 'bob', { MaxCnt: 7, ...(LastMsgKey ? { LastMsgKey } : {}) });
      expectOk(page);
      for (const m of page.MsgList as { MsgKey: string }[]) seen.push(m.MsgKey);
      LastMsgKey = page.LastMsgKey as string;
      if (page.Complete === 1) break;
    }
    expect(seen).to.have.length(35);
    expect(new Set(seen).size).to.equal(35);
    const seqs = seen.map((k) => Number(k.split('_')[0]));
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => b - a));
  });

  it('accepts the old From_Account and To_Account names of admin_getroammsg', async () => {
    const page = await rest.call('openim/admin_getroammsg', { From_Account: 'carol', To_Account: 'bob', MaxCnt: 1, MinTime: 0, MaxTime: 4_000_000_000 });
    expectOk(page);
    expect(page.MsgCnt).to.equal(1);
  });

  it('counts unread messages per peer and clears them with admin_set_msg_read', async () => {
    const before = await unread('bob', ['alice', 'carol']);
    expectOk(before);
    const perPeer = Object.fromEntries((before.C2CUnreadMsgNumList as { Peer_Account: string; C2CUnreadMsgNum: number }[]).map((p) => [p.Peer_Account, p.C2CUnreadMsgNum]));
    expect(perPeer.carol).to.equal(30);
    expect(before.AllC2CUnreadMsgNum).to.equal(perPeer.alice + perPeer.carol);
    expectOk(await rest.call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'carol' }));
    const after = await unread('bob', ['carol']);
    expect((after.C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[])[0].C2CUnreadMsgNum).to.equal(0);
    expect(after.AllC2CUnreadMsgNum).to.equal(perPeer.alice);
  });

  it('lists recent contacts newest first with their unread counts', async () => {
    const list = await rest.call('recentcontact/get_list', { From_Account: 'bob', TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: 7 });
    expectOk(list);
    expect(list.CompleteFlag).to.equal(1);
    const items = list.SessionItem as { To_Account: string; Type: number }[];
    expect(items.map((i) => i.To_Account)).to.have.members(['alice', 'carol']);
    expect(items.every((i) => i.Type === 1)).to.equal(true);
  });

  it('recalls a message as administrator, once, and shows it recalled in history', async () => {
    const sent = await send('alice', 'bob');
    expectOk(await rest.call('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey }));
    expect((await rest.call('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey })).ErrorCode).to.equal(20023);
    expect((await rest.call('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: '1_2_3' })).ErrorCode).to.equal(20022);
    const [newest] = (await roam('bob', 'alice', { MaxCnt: 1 })).MsgList as { MsgKey: string; MsgFlagBits: number; MsgBody: unknown[] }[];
    expect(newest).to.include({ MsgKey: sent.MsgKey, MsgFlagBits: 1 });
    expect(newest.MsgBody).to.deep.equal([]);
  });

  it('modifies a stored message’s body', async () => {
    const sent = await send('carol', 'alice');
    expectOk(await rest.call('openim/modify_c2c_msg', { From_Account: 'carol', To_Account: 'alice', MsgKey: sent.MsgKey, MsgBody: text('edited') }));
    const [newest] = (await roam('alice', 'carol', { MaxCnt: 1 })).MsgList as { MsgBody: unknown[] }[];
    expect(newest.MsgBody).to.deep.equal(text('edited'));
  });

  it('sends one message to many with per-recipient errors in batchsendmsg', async () => {
    const answer = await rest.call('openim/batchsendmsg', { From_Account: 'alice', To_Account: ['bob', 'carol', 'ghost'], MsgRandom: random(), MsgBody: text('all') });
    expectOk(answer);
    expect(answer.ErrorList).to.deep.equal([{ To_Account: 'ghost', ErrorCode: 90012 }]);
    expect(answer.MsgKey).to.match(/^\d+_\d+_\d+$/);
    const tooMany = await rest.call('openim/batchsendmsg', { From_Account: 'alice', To_Account: Array.from({ length: 501 }, (_, i) => `u${i}`), MsgRandom: 1, MsgBody: text('x') });
    expect(tooMany.ErrorCode).to.equal(90001);
  });

  it('imports a message with its old time, found in history', async () => {
    const MsgTimeStamp = Math.floor(Date.now() / 1000) - 3600;
    expectOk(await rest.call('openim/importmsg', { SyncFromOldSystem: 2, From_Account: 'carol', To_Account: 'alice', MsgRandom: random(), MsgTimeStamp, MsgBody: text('old') }));
    const page = await roam('alice', 'carol', { MaxTime: MsgTimeStamp, MinTime: MsgTimeStamp });
    expect((page.MsgList as { MsgTimeStamp: number }[]).map((m) => m.MsgTimeStamp)).to.deep.equal([MsgTimeStamp]);
  });

  it('leaves unread counts and the last message alone for NoUnread and NoLastMsg sends', async () => {
    await rest.call('im_open_login_svc/account_import', { UserID: 'gus' });
    await rest.call('im_open_login_svc/account_import', { UserID: 'hal' });
    const unreadOf = async () => ((await unread('hal', ['gus'])).C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[])[0].C2CUnreadMsgNum;
    expectOk(await send('gus', 'hal'));
    expect(await unreadOf()).to.equal(1);
    expectOk(await send('gus', 'hal', { SendMsgControl: ['NoUnread'] }));
    expect(await unreadOf()).to.equal(1);
    const lastKey = async () =>
      ((await rest.call('recentcontact/get_list', { From_Account: 'hal', StartIndex: 0 })).SessionItem as { To_Account: string; MsgTime: number }[]).find((i) => i.To_Account === 'gus');
    const before = await lastKey();
    await new Promise((r) => setTimeout(r, 1100));
    expectOk(await send('gus', 'hal', { SendMsgControl: ['NoLastMsg'] }));
    expect((await lastKey())?.MsgTime).to.equal(before?.MsgTime);
    expect(await unreadOf()).to.equal(2);
  });

  it('removes a contact from the recent list and, with ClearRamble, the history on that side only', async () => {
    expectOk(await rest.call('recentcontact/delete', { From_Account: 'carol', Type: 1, To_Account: 'bob', ClearRamble: 1 }));
    const list = await rest.call('recentcontact/get_list', { From_Account: 'carol', StartIndex: 0 });
    expect((list.SessionItem as { To_Account: string }[]).map((i) => i.To_Account)).to.not.include('bob');
    expect((await roam('carol', 'bob')).MsgList as unknown[]).to.have.length(0);
    expect(((await roam('bob', 'carol')).MsgList as unknown[]).length).to.be.greaterThan(0);
  });
});
