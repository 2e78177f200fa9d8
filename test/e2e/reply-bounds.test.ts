/**
 * Replies bounded in bytes, with Tencent's real web SDK against a real embedded node: offline
 * backlogs that no single frame could carry (60 messages of 11,000 bytes; 5,000 small ones)
 * reach a new device over as many getmsg pages as they need, each message once and in order;
 * history pages of big messages end early and go on where they stopped (getroammsg,
 * group_msg_get, admin_getroammsg); and the gateway never drops a client that reads because
 * one frame is large.
 */
import { expect } from 'chai';
import type { Gateway } from '../../services/connector/gateway';
import type { Session } from '../../services/connector/session';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { FrameClient, sleep, startParley, until, type Parley } from './ws-harness';

interface Msg {
  ID: string;
  type: string;
  from: string;
  sequence: number;
  payload: { text?: string };
}

interface Sent {
  servcmd: string;
  bytes: number;
  body: Record<string, unknown>;
}

/** Bytes of messages one reply carries at most (services/commands/reply-budget.ts). */
const BUDGET = 256 * 1024;
/** What one reply may weigh: the messages plus the envelope around them. */
const FRAME_CEILING = BUDGET + 16 * 1024;
/** The gateway's limit of bytes queued for one client (connector settings). */
const BUFFER_LIMIT = 512 * 1024;

describe('Replies bounded in bytes (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let gateway: Gateway;
  const clients: SdkClient[] = [];
  const frames: FrameClient[] = [];
  /** Every frame the gateway sent to the watched users, in order. */
  const sentTo = new Map<string, Sent[]>();

  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const accounts = (...ids: string[]) => parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ids });
  const text = (label: string, bytes: number) => label.padEnd(bytes, '.');
  const restSend = async (from: string, to: string, body: string) => {
    const reply = await parley.rest<{ ErrorCode: number; MsgKey: string }>('openim/sendmsg', {
      From_Account: from, To_Account: to, MsgRandom: Math.floor(Math.random() * 1e9), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: body } }],
    });
    expect(reply.ErrorCode, JSON.stringify(reply).slice(0, 200)).to.equal(0);
    return reply.MsgKey;
  };
  const stats = () => parley.broker.call<{ slowDisconnects: number }>('connector.stats');
  const replies = (user: string, servcmd: string) => (sentTo.get(user) ?? []).filter((f) => f.servcmd === servcmd);
  /** MsgKeys of every getmsg reply `user` got, in order, once the last one said it was done. */
  const syncedKeys = async (user: string, timeoutMs = 20_000) => {
    await until(`${user}'s sync to end`, () => replies(user, 'openim.getmsg').some((f) => f.body.SyncFlag === 2), timeoutMs);
    const pages = replies(user, 'openim.getmsg');
    for (const page of pages) expect(page.bytes, 'getmsg reply bytes').to.be.below(FRAME_CEILING);
    return { pages, keys: pages.flatMap((p) => (p.body.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey)) };
  };
  const netStates = (c: SdkClient) => c.events.log.filter((e) => e.name === c.TencentCloudChat.EVENT.NET_STATE_CHANGE).map((e) => (e.data as { state: string }).state);

  before(async () => {
    parley = await startParley({}, 1400000083);
    // Backlogs are written over REST faster than Tencent's 200 calls a second.
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { rateLimits: { default: 100_000, account: 100 } } });
    gateway = (parley.broker.getLocalService('connector') as unknown as { gateway: Gateway }).gateway;
    const send = gateway.send.bind(gateway);
    gateway.send = (s: Session, frame: Buffer) => {
      const list = s.user && sentTo.get(s.user.userId);
      if (list) {
        const { head, body } = JSON.parse(frame.toString('utf8')) as { head: { servcmd: string }; body: Record<string, unknown> };
        list.push({ servcmd: head.servcmd, bytes: frame.length, body });
      }
      return send(s, frame);
    };
  });
  afterEach(async () => {
    for (const f of frames.splice(0)) f.close();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  describe('offline sync on a new device', () => {
    it('brings 60 offline messages of 11,000 bytes each once, in order, in pages that fit', async () => {
      await accounts('bigA', 'bigB');
      const keys: string[] = [];
      for (let i = 0; i < 60; i++) keys.push(await restSend('bigA', 'bigB', text(`big ${i} `, 11_000)));
      const slowBefore = (await stats()).slowDisconnects;
      sentTo.set('bigB', []);
      const bob = await login('bigB');
      const { pages, keys: synced } = await syncedKeys('bigB');
      expect(synced).to.deep.equal(keys);
      expect(pages.length, 'getmsg pages').to.be.at.least(3);
      await until('the SDK counts 60 unread', () => bob.chat.getTotalUnreadMessageCount() === 60);
      // The SDK shows messages from history: every one there, once, oldest first.
      const ids: string[] = [];
      for (let page = await history(bob, 'C2CbigA'); ; page = await history(bob, 'C2CbigA', page.nextReqMessageID)) {
        ids.unshift(...page.messageList.map((m) => m.payload.text!.split(' ')[1]));
        if (page.isCompleted) break;
      }
      expect(ids).to.deep.equal(keys.map((_, i) => String(i)));
      expect(netStates(bob), 'no reconnect').to.not.include(bob.TencentCloudChat.TYPES.NET_STATE_CONNECTING);
      expect((await stats()).slowDisconnects).to.equal(slowBefore);
    });

    it('brings 5,000 small offline messages from 50 senders each once, in each conversation’s order', async () => {
      const senders = Array.from({ length: 50 }, (_, i) => `many${i}`);
      await accounts('manyR', ...senders);
      const keysBy = new Map<string, string[]>();
      await Promise.all(
        senders.map(async (from) => {
          const keys: string[] = [];
          keysBy.set(from, keys);
          for (let i = 0; i < 100; i++) keys.push(await restSend(from, 'manyR', `${from} #${i}`));
        }),
      );
      const slowBefore = (await stats()).slowDisconnects;
      sentTo.set('manyR', []);
      const reader = await login('manyR');
      const { pages, keys } = await syncedKeys('manyR', 40_000);
      expect(keys, 'each message once').to.have.length(5000);
      expect(new Set(keys).size).to.equal(5000);
      const byConversation = new Map<string, string[]>();
      for (const page of pages) {
        for (const m of page.body.MsgList as { From_Account: string; MsgKey: string }[]) byConversation.set(m.From_Account, [...(byConversation.get(m.From_Account) ?? []), m.MsgKey]);
      }
      for (const from of senders) expect(byConversation.get(from), from).to.deep.equal(keysBy.get(from));
      expect(pages[0].body.C2CPairUnreadCount).to.have.deep.members(senders.map((s) => ({ From_Account: s, UnreadCount: 100 })));
      await until('the SDK counts 5,000 unread', () => reader.chat.getTotalUnreadMessageCount() === 5000);
      expect(netStates(reader), 'no reconnect').to.not.include(reader.TencentCloudChat.TYPES.NET_STATE_CONNECTING);
      expect((await stats()).slowDisconnects).to.equal(slowBefore);
    });
  });

  describe('conversation list', () => {
    it('lists 30 conversations whose last messages are near 12 KB over pages that fit', async () => {
      const peers = Array.from({ length: 30 }, (_, i) => `convP${i}`);
      await accounts('convR', ...peers);
      await Promise.all(peers.map((p) => restSend(p, 'convR', text(`last of ${p} `, 12_100))));
      sentTo.set('convR', []);
      const reader = await login('convR');
      const { EVENT } = reader.TencentCloudChat;
      await reader.events.waitFor(EVENT.CONVERSATION_LIST_UPDATED, { where: (d) => (d as unknown[]).length === 30, timeoutMs: 10_000 });
      const listed = (await reader.chat.getConversationList()).data.conversationList as { conversationID: string; lastMessage: { payload: { text?: string } } }[];
      expect(listed.map((c) => c.conversationID).sort()).to.deep.equal(peers.map((p) => `C2C${p}`).sort());
      for (const c of listed) expect(c.lastMessage.payload.text).to.have.length(12_100);
      const pages = replies('convR', 'recentcontact.page_get');
      expect(pages.length, 'page_get pages').to.be.at.least(2);
      for (const p of pages) expect(p.bytes).to.be.below(FRAME_CEILING);
    });
  });

  describe('a catch-up over raw frames', () => {
    type SyncReply = { ErrorCode: number; Cookie: string; SyncFlag: number; MsgList: { MsgKey: string; From_Account: string }[] };
    const device = async (user: string) => {
      const client = await FrameClient.open(parley);
      frames.push(client);
      expect((await client.login(parley, user)).ErrorCode).to.equal(0);
      return client;
    };
    const getmsg = async (client: FrameClient, Cookie: string) => (await client.request('openim.getmsg', { Cookie, SyncFlag: Cookie ? 1 : 0 })) as unknown as SyncReply;

    it('goes on where a device stopped, then brings what came meanwhile', async () => {
      await accounts('stopA', 'stopB');
      const keys: string[] = [];
      for (let i = 0; i < 30; i++) keys.push(await restSend('stopA', 'stopB', text(`stop ${i} `, 11_000)));
      const first = await getmsg(await device('stopB'), '');
      expect(first.SyncFlag).to.equal(1);
      expect(first.Cookie).to.match(/^\d+:\d+$/);
      frames.splice(0).forEach((f) => f.close());
      keys.push(await restSend('stopA', 'stopB', 'while away'));
      const again = await device('stopB');
      const got = first.MsgList.map((m) => m.MsgKey);
      for (let page = await getmsg(again, first.Cookie); ; page = await getmsg(again, page.Cookie)) {
        expect(got.length, 'pages end').to.be.below(100);
        got.push(...page.MsgList.map((m) => m.MsgKey));
        if (page.SyncFlag === 2) break;
      }
      expect(got).to.deep.equal(keys);
    });

    it('leaves out what the user read meanwhile on another device', async () => {
      await accounts('readA', 'readB', 'readC');
      for (let i = 0; i < 25; i++) await restSend('readA', 'readB', text(`a ${i} `, 11_000));
      for (let i = 0; i < 25; i++) await restSend('readC', 'readB', text(`c ${i} `, 11_000));
      const client = await device('readB');
      const first = await getmsg(client, '');
      expect(first.SyncFlag).to.equal(1);
      expect(await parley.rest<{ ErrorCode: number }>('openim/admin_set_msg_read', { Report_Account: 'readB', Peer_Account: 'readC' })).to.include({ ErrorCode: 0 });
      const senders = first.MsgList.map((m) => m.From_Account);
      for (let page = await getmsg(client, first.Cookie); ; page = await getmsg(client, page.Cookie)) {
        senders.push(...page.MsgList.map((m) => m.From_Account));
        if (page.SyncFlag === 2) break;
      }
      expect(senders).to.deep.equal(Array(25).fill('readA'));
    });
  });

  describe('history pages', () => {
    it('pages admin_getroammsg of big messages by bytes: Complete 0 until the last, each message once', async () => {
      await accounts('roamA', 'roamB');
      const keys: string[] = [];
      for (let i = 0; i < 40; i++) keys.push(await restSend('roamA', 'roamB', text(`roam ${i} `, 11_000)));
      const pages: { Complete: number; MsgCnt: number; LastMsgKey: string; MsgList: { MsgKey: string }[] }[] = [];
      const now = Math.floor(Date.now() / 1000) + 60;
      let LastMsgKey: string | undefined;
      while (pages[pages.length - 1]?.Complete !== 1) {
        expect(pages.length, 'pages').to.be.below(10);
        const page = await parley.rest<(typeof pages)[number]>('openim/admin_getroammsg', {
          Operator_Account: 'roamB', Peer_Account: 'roamA', MaxCnt: 100, MinTime: 0, MaxTime: now, ...(LastMsgKey ? { LastMsgKey } : {}),
        });
        pages.push(page);
        LastMsgKey = page.LastMsgKey;
      }
      // 40 × 11 KB is about 450 KB: more than one page, each within the budget.
      expect(pages.length).to.be.at.least(2);
      for (const page of pages) expect(Buffer.byteLength(JSON.stringify(page.MsgList))).to.be.at.most(BUDGET);
      expect(pages.flatMap((p) => p.MsgList.map((m) => m.MsgKey))).to.deep.equal([...keys].reverse());
    });

    it('pages a group’s history of big messages by bytes, for the SDK and over REST, each message once', async () => {
      await accounts('ghOwner', 'ghReader');
      const created = await parley.rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'ghOwner', Type: 'Public', Name: 'Big history', MemberList: [{ Member_Account: 'ghReader' }] });
      const GroupId = created.GroupId;
      // Close to Tencent's 12 KB: 21 of them (the SDK's page) are more than the budget.
      const texts = Array.from({ length: 45 }, (_, i) => text(`gh ${i} `, 12_100));
      // Times no earlier than the group and no later than now; one second for all keeps their order.
      const SendTime = Math.floor(Date.now() / 1000);
      for (let i = 0; i < texts.length; i += 20) {
        const MsgList = texts.slice(i, i + 20).map((t, j) => ({ From_Account: 'ghOwner', SendTime, Random: i + j + 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }] }));
        const imported = await parley.rest<{ ImportMsgResult: { Result: number }[] }>('group_open_http_svc/import_group_msg', { GroupId, MsgList });
        expect(imported.ImportMsgResult?.map((r) => r.Result), JSON.stringify(imported).slice(0, 200)).to.deep.equal(MsgList.map(() => 0));
      }
      const label = (t: string | undefined) => t?.split(' ')[1];
      const expected = texts.map(label);

      // The command itself, asked for 100 at once.
      const overRest: (string | undefined)[] = [];
      let ReqMsgSeq: number | undefined;
      for (let calls = 0; ; calls++) {
        expect(calls, 'pages').to.be.below(10);
        const page = await parley.rest<{ IsFinished: number; NextReqMsgSeq: number; RspMsgList: { MsgBody: { MsgContent: { Text?: string } }[] }[] }>('group_open_http_svc/group_msg_get', { GroupId, ReqMsgNumber: 100, ...(ReqMsgSeq ? { ReqMsgSeq } : {}) });
        expect(Buffer.byteLength(JSON.stringify(page.RspMsgList))).to.be.at.most(BUDGET);
        overRest.unshift(...page.RspMsgList.map((m) => label(m.MsgBody[0]?.MsgContent.Text)).filter((t) => t !== undefined).reverse());
        if (page.IsFinished === 2) break;
        expect(page.NextReqMsgSeq).to.be.above(0);
        ReqMsgSeq = page.NextReqMsgSeq;
      }
      expect(overRest).to.deep.equal(expected);

      // The SDK's getMessageList, 21 at a time: some pages cut short, none lost or repeated.
      sentTo.set('ghReader', []);
      const reader = await login('ghReader');
      const T = reader.TencentCloudChat.TYPES;
      const got: (string | undefined)[] = [];
      for (let page = await history(reader, `GROUP${GroupId}`); ; page = await history(reader, `GROUP${GroupId}`, page.nextReqMessageID)) {
        got.unshift(...page.messageList.filter((m) => m.type === T.MSG_TEXT).map((m) => label(m.payload.text)));
        if (page.isCompleted) break;
      }
      expect(got).to.deep.equal(expected);
      const pages = replies('ghReader', 'group_open_http_svc.group_msg_get');
      expect(pages.some((p) => (p.body.RspMsgList as unknown[]).length < 21 && p.body.IsFinished !== 2), 'a page cut by bytes').to.equal(true);
      for (const p of pages) expect(p.bytes).to.be.below(FRAME_CEILING);
    });
  });

  describe('backpressure', () => {
    it('delivers a frame larger than the send-buffer limit to a client that reads', async () => {
      await accounts('bpReader');
      const client = await FrameClient.open(parley);
      frames.push(client);
      expect((await client.login(parley, 'bpReader')).ErrorCode).to.equal(0);
      const big = 'x'.repeat(BUFFER_LIMIT + 200 * 1024);
      for (let i = 0; i < 2; i++) {
        const pushed = await parley.broker.call<number, object>('connector.push', { app: parley.sdkAppId, userId: 'bpReader', servcmd: 'im_open_push.msg_push', body: { Big: big, n: i } });
        expect(pushed, `push ${i}`).to.equal(1);
        await until(`push ${i} read`, () => client.pushes.some((p) => p.body.n === i));
      }
      await sleep(100);
      expect(client.closeCode).to.equal(undefined);
      expect((await client.request('heartbeat.alive')).ErrorCode).to.equal(0);
    });

    it('cuts off a client that does not read once earlier frames pile up past the limit', async () => {
      await accounts('bpStuck');
      const client = await FrameClient.open(parley);
      frames.push(client);
      expect((await client.login(parley, 'bpStuck')).ErrorCode).to.equal(0);
      (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const slowBefore = (await stats()).slowDisconnects;
      const body = { Big: 'y'.repeat(256 * 1024) };
      let refused = false;
      // The kernel's socket buffers take the first few MB; then ws has to queue, and the limit bites.
      for (let i = 0; i < 400 && !refused; i++) {
        refused = (await parley.broker.call<number, object>('connector.push', { app: parley.sdkAppId, userId: 'bpStuck', servcmd: 'im_open_push.msg_push', body })) === 0;
      }
      expect(refused, 'a push refused').to.equal(true);
      expect((await stats()).slowDisconnects).to.equal(slowBefore + 1);
    });
  });

  async function history(c: SdkClient, conversationID: string, nextReqMessageID?: string) {
    return (await c.chat.getMessageList({ conversationID, nextReqMessageID })).data as { messageList: Msg[]; nextReqMessageID: string; isCompleted: boolean };
  }
});
