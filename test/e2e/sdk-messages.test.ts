/**
 * One-to-one messages with Tencent's real web SDK, two or more SDK instances against a real
 * embedded node: every element type the SDK can send, delivery to the receiver and to the
 * sender's other devices (never back to the sending one), offline sync and reconnect sync by
 * cookie, history paging, read marks and receipts, recall, deletion, modification and the
 * conversation list.
 */
import { expect } from 'chai';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { FrameClient, sleep, startParley, until, type Parley } from './ws-harness';

export interface Msg {
  ID: string;
  type: string;
  flow: string;
  from: string;
  to: string;
  time: number;
  sequence: number;
  random: number;
  conversationID: string;
  payload: Record<string, unknown>;
  cloudCustomData: string;
  isRevoked: boolean;
  isPeerRead: boolean;
  isRead: boolean;
  isModified: boolean;
}

interface Conversation {
  conversationID: string;
  unreadCount: number;
  lastMessage: { payload: Record<string, unknown> | null; fromAccount: string; isRevoked: boolean; isPeerRead: boolean; lastTime: number; type: string | null };
  userProfile: { userID: string; nick: string };
}

describe('SDK one-to-one messages (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const frames: FrameClient[] = [];

  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const C2C = (c: SdkClient) => c.TencentCloudChat.TYPES.CONV_C2C;
  const sendText = (c: SdkClient, to: string, text: string) => sendTextMessage<Msg>(c, to, text, 'C2C');
  /** The first MESSAGE_RECEIVED batch of `c` holding message `id`. */
  const receivedOn = (c: SdkClient, id: string, timeoutMs?: number) => messageReceived<Msg>(c, id, timeoutMs);
  const receivedIds = (c: SdkClient) =>
    c.events.log.filter((e) => e.name === c.TencentCloudChat.EVENT.MESSAGE_RECEIVED).flatMap((e) => (e.data as Msg[]).map((m) => m.ID));
  const history = async (c: SdkClient, peer: string, nextReqMessageID?: string) =>
    (await c.chat.getMessageList({ conversationID: `C2C${peer}`, nextReqMessageID })).data as { messageList: Msg[]; nextReqMessageID: string; isCompleted: boolean };
  const conversation = async (c: SdkClient, peer: string) => ((await c.chat.getConversationProfile(`C2C${peer}`)).data as { conversation: Conversation }).conversation;
  const accounts = (...ids: string[]) => parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ids });
  const restSend = (from: string, to: string, MsgBody: object[], extra: object = {}) =>
    parley.rest<{ ErrorCode: number; MsgKey: string; MsgTime: number }>('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: Math.floor(Math.random() * 1e9), MsgBody, ...extra });

  before(async () => {
    parley = await startParley({}, 1400000071);
    // Several web devices per user, so one user can send from one and receive on another.
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
  });
  afterEach(async () => {
    for (const f of frames.splice(0)) f.close();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  describe('sending', () => {
    it('delivers a text message to the receiver with the sender’s message ID', async () => {
      const [alice, bob] = [await login('alice1'), await login('bob1')];
      const sent = await sendText(alice, 'bob1', 'hello bob');
      const got = await receivedOn(bob, sent.ID);
      expect(got).to.include({ ID: sent.ID, flow: 'in', from: 'alice1', to: 'bob1', conversationID: 'C2Calice1', time: sent.time, random: sent.random, sequence: sent.sequence });
      expect(got.payload).to.deep.equal({ text: 'hello bob' });
    });

    it('pushes a message to the sender’s other devices, never back to the device that sent it', async () => {
      const bob = await login('bob2');
      const other = await login('alice2');
      const device = await FrameClient.open(parley);
      frames.push(device);
      expect((await device.login(parley, 'alice2')).ErrorCode).to.equal(0);
      const reply = await device.request('openim.sendmsg', {
        From_Account: 'alice2', To_Account: 'bob2', MsgSeq: 777001, MsgRandom: 4242, MsgClientTime: Math.floor(Date.now() / 1000),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from a frame device' } }],
      });
      expect(reply.ErrorCode).to.equal(0);
      const onOther = (await other.events.waitFor(other.TencentCloudChat.EVENT.MESSAGE_RECEIVED)) as Msg[];
      const onBob = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_RECEIVED)) as Msg[];
      expect(onOther[0]).to.include({ flow: 'out', conversationID: 'C2Cbob2', ID: onBob[0].ID });
      // A later message of the conversation, sent over REST, reaches every device of alice2, the
      // frame one too; pushes of one conversation are sent in order, so a push of the first would be there by then.
      expect((await restSend('alice2', 'bob2', [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from REST' } }])).ErrorCode).to.equal(0);
      await until('the later message on the frame device', () => device.pushes.some((p) => JSON.stringify(p.body).includes('from REST')));
      expect(device.pushes.filter((p) => JSON.stringify(p.body).includes('from a frame device'))).to.deep.equal([]);
    });

    it('sends custom, face, location and merger messages with their payloads intact', async () => {
      const [alice, bob] = [await login('alice3'), await login('bob3')];
      const { TYPES } = alice.TencentCloudChat;
      const to = 'bob3';
      const conversationType = TYPES.CONV_C2C;
      const first = await sendText(alice, to, 'one');
      const second = await sendText(alice, to, 'two');
      const made = [
        alice.chat.createCustomMessage({ to, conversationType, payload: { data: '{"k":1}', description: 'desc', extension: 'ext' } }),
        alice.chat.createFaceMessage({ to, conversationType, payload: { index: 3, data: 'smile' } }),
        alice.chat.createLocationMessage({ to, conversationType, payload: { description: 'Shenzhen', longitude: 113.9, latitude: 22.5 } }),
        alice.chat.createMergerMessage({ to, conversationType, payload: { messageList: [first, second] as never, title: 'Chat', abstractList: ['alice: one', 'alice: two'], compatibleText: 'upgrade' } }),
      ];
      for (const message of made) {
        const sent = ((await alice.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
        const got = await receivedOn(bob, sent.ID);
        expect(got.type).to.equal(sent.type);
        expect(got.payload, sent.type).to.deep.include(pick(sent.payload, Object.keys(got.payload)));
      }
      const types = (await history(bob, 'alice3')).messageList.map((m) => m.type);
      expect(types).to.deep.equal([TYPES.MSG_TEXT, TYPES.MSG_TEXT, TYPES.MSG_CUSTOM, TYPES.MSG_FACE, TYPES.MSG_LOCATION, TYPES.MSG_MERGER]);
    });

    it('forwards image, file, audio and video messages without an upload (the SDK sends the stored elements)', async () => {
      await accounts('carol4');
      const [alice, bob] = [await login('alice4'), await login('bob4')];
      const media = [
        { MsgType: 'TIMImageElem', MsgContent: { UUID: 'img-1', ImageFormat: 1, ImageInfoArray: [1, 2, 3].map((Type) => ({ Type, Size: 100 * Type, Width: 10 * Type, Height: 10 * Type, URL: `https://cdn.example/img-${Type}.jpg` })) } },
        { MsgType: 'TIMFileElem', MsgContent: { UUID: 'file-1', Url: 'https://cdn.example/a.pdf', FileSize: 2048, FileName: 'a.pdf', Download_Flag: 2 } },
        { MsgType: 'TIMSoundElem', MsgContent: { UUID: 'snd-1', Url: 'https://cdn.example/a.mp3', Size: 512, Second: 3, Download_Flag: 2 } },
        {
          MsgType: 'TIMVideoFileElem',
          MsgContent: { VideoUUID: 'vid-1', VideoUrl: 'https://cdn.example/v.mp4', VideoSize: 4096, VideoSecond: 5, VideoFormat: 'mp4', VideoDownloadFlag: 2, ThumbUUID: 'th-1', ThumbUrl: 'https://cdn.example/t.jpg', ThumbSize: 64, ThumbWidth: 32, ThumbHeight: 18, ThumbFormat: 'JPG', ThumbDownloadFlag: 2 },
        },
      ];
      for (const el of media) {
        expect((await restSend('carol4', 'alice4', [el])).ErrorCode, el.MsgType).to.equal(0);
        const original = (await alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_RECEIVED)) as Msg[];
        const forward = alice.chat.createForwardMessage({ to: 'bob4', conversationType: C2C(alice), payload: original[0] as never });
        const sent = ((await alice.chat.sendMessage(forward)) as { data: { message: Msg } }).data.message;
        const got = await receivedOn(bob, sent.ID);
        expect(got.type, el.MsgType).to.equal(original[0].type);
        // The SDK re-labels image sizes when it forwards; the stored element's identity and URLs survive.
        expect(mediaOf(got.payload), el.MsgType).to.deep.equal(mediaOf(original[0].payload));
      }
    });

    it('cannot create an image message without an upload plugin: the SDK refuses locally, sends nothing', async () => {
      const alice = await login('alice5');
      const before = (await parley.broker.call<{ served: Record<string, number> }>('connector.stats')).served['openim.sendmsg'] ?? 0;
      const outcome = await Promise.resolve()
        .then(() => alice.chat.sendMessage(alice.chat.createImageMessage({ to: 'bob5', conversationType: C2C(alice), payload: { file: { name: 'a.png', size: 10, type: 'image/png' } as never } })))
        .then(() => 'sent', () => 'refused');
      expect(outcome).to.equal('refused');
      const after = (await parley.broker.call<{ served: Record<string, number> }>('connector.stats')).served['openim.sendmsg'] ?? 0;
      expect(after).to.equal(before);
    });
  });

  /** What identifies a media element: its UUIDs and URLs, whatever the SDK calls their sizes. */
  function mediaOf(payload: Record<string, unknown>) {
    const urls = JSON.stringify(payload).match(/https:[^"]+/g) ?? [];
    const uuids = JSON.stringify(payload).match(/"(uuid|videoUUID|thumbUUID)":"[^"]+"/g) ?? [];
    return { urls: [...new Set(urls)].sort(), uuids: uuids.sort() };
  }

  function pick(o: Record<string, unknown>, keys: string[]) {
    return Object.fromEntries(keys.filter((k) => k in o && o[k] !== undefined && typeof o[k] !== 'object').map((k) => [k, o[k]]));
  }

  describe('sync', () => {
    it('gives a user who was offline the messages on next login, unread, with the sender’s IDs', async () => {
      const alice = await login('alice6');
      await accounts('bob6');
      const ids = [(await sendText(alice, 'bob6', 'm1')).ID, (await sendText(alice, 'bob6', 'm2')).ID, (await sendText(alice, 'bob6', 'm3')).ID];
      const bob = await login('bob6');
      const { EVENT } = bob.TencentCloudChat;
      await bob.events.waitFor(EVENT.CONVERSATION_LIST_UPDATED, { where: (d) => (d as Conversation[]).some((c) => c.conversationID === 'C2Calice6' && c.unreadCount === 3) });
      const list = await history(bob, 'alice6');
      expect(list.messageList.map((m) => m.ID)).to.deep.equal(ids);
      expect(list.messageList.every((m) => m.flow === 'in' && !m.isRead)).to.equal(true);
      expect(bob.chat.getTotalUnreadMessageCount()).to.equal(3);
    });

    it('gives a device that reconnects exactly the messages it missed, by its cookie', async () => {
      const [alice, bob] = [await login('alice7'), await login('bob7')];
      const firstId = (await sendText(alice, 'bob7', 'before')).ID;
      await receivedOn(bob, firstId);
      // Cut bob off: the server forgets the socket; the SDK reconnects after its heartbeat fails.
      const syncs = async () => (await parley.broker.call<{ served: Record<string, number> }>('connector.stats')).served['openim.getmsg'] ?? 0;
      const syncsBefore = await syncs();
      const connector = parley.broker.getLocalService('connector') as unknown as { gateway: { sessionsOf(app: number, id: string): { ws: { terminate(): void } }[] } };
      for (const s of connector.gateway.sessionsOf(parley.sdkAppId, 'bob7')) s.ws.terminate();
      const missed: string[] = [];
      for (let i = 0; i < 5; i++) missed.push((await sendText(alice, 'bob7', `while away ${i}`)).ID);
      await until('bob got the missed messages', () => missed.every((id) => receivedIds(bob).includes(id)), 20_000);
      await until('a getmsg after the reconnect', async () => (await syncs()) > syncsBefore);
      // A message sent now is pushed after everything before it in the conversation: a late second copy would come first.
      const laterId = (await sendText(alice, 'bob7', 'after the reconnect')).ID;
      await receivedOn(bob, laterId);
      const seen = receivedIds(bob);
      expect(seen.filter((id) => id === firstId)).to.have.length(1);
      for (const id of missed) expect(seen.filter((x) => x === id), id).to.have.length(1);
    });
  });

  describe('history', () => {
    it('pages getMessageList back to the first message, oldest first, with IDs as sent', async () => {
      const alice = await login('alice8');
      await accounts('bob8');
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await sendText(alice, 'bob8', `n${i}`)).ID);
      const bob = await login('bob8');
      const page1 = await history(bob, 'alice8');
      expect(page1.isCompleted).to.equal(false);
      const page2 = await history(bob, 'alice8', page1.nextReqMessageID);
      expect(page2.isCompleted).to.equal(true);
      expect([...page2.messageList, ...page1.messageList].map((m) => m.ID)).to.deep.equal(ids);
    });
  });

  describe('read marks', () => {
    it('clears the reader’s unread count on every device and tells the sender its messages were read', async () => {
      const alice = await login('alice9');
      await accounts('bob9');
      const sent = [await sendText(alice, 'bob9', 'r1'), await sendText(alice, 'bob9', 'r2')];
      const bob = await login('bob9');
      const bobOther = await login('bob9');
      const { EVENT } = bob.TencentCloudChat;
      await until('bob sees 2 unread', async () => (await conversation(bob, 'alice9')).unreadCount === 2);
      await until('bob’s other device sees 2 unread', async () => (await conversation(bobOther, 'alice9')).unreadCount === 2);
      await bob.chat.setMessageRead({ conversationID: 'C2Calice9' });
      expect((await conversation(bob, 'alice9')).unreadCount).to.equal(0);
      await until('the other device’s unread drops', async () => (await conversation(bobOther, 'alice9')).unreadCount === 0);
      const read = (await alice.events.waitFor(EVENT.MESSAGE_READ_BY_PEER)) as Msg[];
      expect(read.map((m) => m.ID).sort()).to.deep.equal(sent.map((m) => m.ID).sort());
      const unread = await parley.rest<{ AllC2CUnreadMsgNum: number }>('openim/get_c2c_unread_msg_num', { To_Account: 'bob9' });
      expect(unread.AllC2CUnreadMsgNum).to.equal(0);
    });

    it('shows a new device the peer’s read time: history marks the sender’s read messages', async () => {
      const [alice, bob] = [await login('alice10'), await login('bob10')];
      const m = await sendText(alice, 'bob10', 'seen?');
      await receivedOn(bob, m.ID);
      // The SDK only reports a read of a conversation it counts as unread.
      await until('bob counts it unread', async () => (await conversation(bob, 'alice10')).unreadCount === 1);
      await bob.chat.setMessageRead({ conversationID: 'C2Calice10' });
      const fresh = await login('alice10');
      await until('alice’s list is in', async () => (await fresh.chat.getConversationList()).data.conversationList.length > 0);
      const list = await history(fresh, 'bob10');
      expect(list.messageList.find((x) => x.ID === m.ID)?.isPeerRead).to.equal(true);
    });
  });

  describe('recall', () => {
    it('recalls a message on every device of both users, and history shows it recalled', async () => {
      const [alice, bob] = [await login('alice11'), await login('bob11')];
      const aliceOther = await login('alice11');
      const sent = await sendText(alice, 'bob11', 'oops');
      await receivedOn(bob, sent.ID);
      await receivedOn(aliceOther, sent.ID);
      const message = alice.chat.findMessage(sent.ID) as unknown as Msg;
      await alice.chat.revokeMessage(message as never);
      const { EVENT } = bob.TencentCloudChat;
      const onBob = (await bob.events.waitFor(EVENT.MESSAGE_REVOKED)) as Msg[];
      expect(onBob[0]).to.include({ ID: sent.ID, isRevoked: true });
      const onOther = (await aliceOther.events.waitFor(EVENT.MESSAGE_REVOKED)) as Msg[];
      expect(onOther[0]).to.include({ ID: sent.ID, isRevoked: true });
      const fresh = await login('bob11');
      expect((await history(fresh, 'alice11')).messageList.find((m) => m.ID === sent.ID)?.isRevoked).to.equal(true);
    });

    it('refuses a recall by the receiver and one after the app’s recall window', async () => {
      const [alice, bob] = [await login('alice12'), await login('bob12')];
      const sent = await sendText(alice, 'bob12', 'mine');
      const got = await receivedOn(bob, sent.ID);
      const byPeer = await bob.chat.revokeMessage(got as never).catch((e: { code: number }) => e);
      expect((byPeer as { code: number }).code).to.equal(20022);
      await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { messages: { recallSeconds: 0, roamingDays: 7 } } });
      try {
        await sleep(1100);
        const late = await alice.chat.revokeMessage(alice.chat.findMessage(sent.ID) as never).catch((e: { code: number }) => e);
        expect((late as { code: number }).code).to.equal(20016);
      } finally {
        await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { messages: { recallSeconds: 120, roamingDays: 7 } } });
      }
    });
  });

  describe('deletion and modification', () => {
    it('deletes a message on the caller’s side only', async () => {
      const [alice, bob] = [await login('alice13'), await login('bob13')];
      const keep = await sendText(alice, 'bob13', 'keep');
      const drop = await sendText(alice, 'bob13', 'drop');
      await receivedOn(bob, drop.ID);
      await alice.chat.deleteMessage([alice.chat.findMessage(drop.ID)] as never);
      const freshAlice = await login('alice13');
      expect((await history(freshAlice, 'bob13')).messageList.map((m) => m.ID)).to.deep.equal([keep.ID]);
      const freshBob = await login('bob13');
      expect((await history(freshBob, 'alice13')).messageList.map((m) => m.ID)).to.deep.equal([keep.ID, drop.ID]);
    });

    it('clears a conversation’s history on the caller’s side only', async () => {
      const [alice, bob] = [await login('alice14'), await login('bob14')];
      const m = await sendText(alice, 'bob14', 'to be cleared');
      await receivedOn(bob, m.ID);
      await until('bob has the conversation', async () => (await bob.chat.getConversationList()).data.conversationList.length > 0);
      await bob.chat.clearHistoryMessage('C2Calice14').catch((e: unknown) => expect.fail(JSON.stringify(e)));
      const freshBob = await login('bob14');
      expect((await history(freshBob, 'alice14')).messageList).to.deep.equal([]);
      const freshAlice = await login('alice14');
      expect((await history(freshAlice, 'bob14')).messageList.map((x) => x.ID)).to.deep.equal([m.ID]);
    });

    it('lets the sender modify a message: the peer sees the new text, the peer may not modify it', async () => {
      const [alice, bob] = [await login('alice15'), await login('bob15')];
      const sent = await sendText(alice, 'bob15', 'typo');
      const got = await receivedOn(bob, sent.ID);
      const message = alice.chat.findMessage(sent.ID) as unknown as Msg;
      message.payload.text = 'fixed';
      const res = (await alice.chat.modifyMessage(message as never)) as { data: { message: Msg } };
      expect(res.data.message.payload.text).to.equal('fixed');
      const modified = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_MODIFIED)) as Msg[];
      expect(modified[0]).to.include({ ID: sent.ID, isModified: true });
      expect(modified[0].payload.text).to.equal('fixed');
      got.payload.text = 'hijack';
      const refused = await bob.chat.modifyMessage(got as never).catch((e: { code: number }) => e);
      expect((refused as { code: number }).code).to.equal(20022);
      const fresh = await login('bob15');
      expect((await history(fresh, 'alice15')).messageList[0].payload.text).to.equal('fixed');
    });
  });

  describe('conversation list', () => {
    it('lists the real conversations at login with last message, unread count, peer and read state', async () => {
      await parley.rest('im_open_login_svc/account_import', { UserID: 'carol16', Nick: 'Carol' });
      await accounts('bob16', 'dave16');
      expect((await restSend('carol16', 'bob16', [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from carol' } }])).ErrorCode).to.equal(0);
      await sleep(1100); // a later second, so the list order is certain
      expect((await restSend('dave16', 'bob16', [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'd1' } }])).ErrorCode).to.equal(0);
      expect((await restSend('dave16', 'bob16', [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'd2' } }])).ErrorCode).to.equal(0);
      const bob = await login('bob16');
      const { EVENT } = bob.TencentCloudChat;
      const list = (await bob.events.waitFor(EVENT.CONVERSATION_LIST_UPDATED, { where: (d) => (d as Conversation[]).length === 2 && (d as Conversation[]).every((c) => c.unreadCount > 0) })) as Conversation[];
      expect(list.map((c) => [c.conversationID, c.unreadCount])).to.deep.equal([['C2Cdave16', 2], ['C2Ccarol16', 1]]);
      expect(list[0].lastMessage).to.include({ fromAccount: 'dave16', type: bob.TencentCloudChat.TYPES.MSG_CUSTOM });
      expect(list[1].lastMessage.payload).to.deep.equal({ text: 'from carol' });
      expect(list[1].userProfile.nick).to.equal('Carol');
    });

    it('shows a recalled last message as recalled and a read one as read by the peer', async () => {
      const [alice, bob] = [await login('alice17'), await login('bob17')];
      const a = await sendText(alice, 'bob17', 'read me');
      await receivedOn(bob, a.ID);
      await until('bob counts it unread', async () => (await conversation(bob, 'alice17')).unreadCount === 1);
      await bob.chat.setMessageRead({ conversationID: 'C2Calice17' });
      const fresh = await login('alice17');
      await until('alice’s list is in', async () => (await fresh.chat.getConversationList()).data.conversationList.length > 0);
      expect((await conversation(fresh, 'bob17')).lastMessage.isPeerRead, 'isPeerRead').to.equal(true);
      const b = await sendText(alice, 'bob17', 'recall me');
      await receivedOn(bob, b.ID);
      await alice.chat.revokeMessage(alice.chat.findMessage(b.ID) as never);
      const again = await login('bob17');
      await until('bob’s list is in', async () => (await again.chat.getConversationList()).data.conversationList.length > 0);
      expect((await conversation(again, 'alice17')).lastMessage, 'isRevoked').to.include({ isRevoked: true });
    });

    it('deletes a conversation from the list, and it stays deleted at the next login', async () => {
      const [alice, bob] = [await login('alice18'), await login('bob18')];
      const m = await sendText(alice, 'bob18', 'bye');
      await receivedOn(bob, m.ID);
      await until('bob has the conversation', async () => (await bob.chat.getConversationList()).data.conversationList.length > 0);
      await bob.chat.deleteConversation('C2Calice18').catch((e: unknown) => expect.fail(JSON.stringify(e)));
      const fresh = await login('bob18');
      await fresh.events.waitFor(fresh.TencentCloudChat.EVENT.CONVERSATION_LIST_UPDATED);
      expect((await fresh.chat.getConversationList()).data.conversationList.map((c: { conversationID: string }) => c.conversationID)).to.not.include('C2Calice18');
    });
  });

  describe('sequence', () => {
    it('gives many concurrent sends from two SDK users to one pair consecutive sequence numbers', async () => {
      const [alice, bob] = [await login('alice19'), await login('bob19')];
      const sends = [];
      for (let i = 0; i < 20; i++) {
        sends.push(sendText(alice, 'bob19', `a${i}`));
        sends.push(sendText(bob, 'alice19', `b${i}`));
      }
      const sent = await Promise.all(sends);
      const { store } = runtimeOf(parley.broker);
      const events = await store.read(`c2c:${parley.sdkAppId}:alice19|bob19`, 0, 1000);
      const seqs = events.filter((e) => e.type === 'parley.c2c.MessageSent').map((e) => (e.data as { seq: number }).seq);
      expect(seqs).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
      const fresh = await login('alice19');
      let page = await history(fresh, 'bob19');
      const all = [...page.messageList];
      while (!page.isCompleted) {
        page = await history(fresh, 'bob19', page.nextReqMessageID);
        all.unshift(...page.messageList);
      }
      expect(all.map((m) => m.ID).sort()).to.deep.equal(sent.map((m) => m.ID).sort());
    });
  });
});
