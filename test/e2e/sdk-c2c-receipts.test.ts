/**
 * One-to-one per-message read receipts with Tencent's real web SDK: the reader's
 * sendMessageReadReceipt (openim.c2c_msg_read_receipt), the sender's
 * MESSAGE_READ_RECEIPT_RECEIVED, isPeerRead on a fresh device's history and in REST roaming,
 * and the refusals that leave nothing stored.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

interface Msg {
  ID: string;
  from: string;
  isPeerRead: boolean;
  readReceiptInfo: { isPeerRead?: boolean };
  needReadReceipt: boolean;
  sequence: number;
  random: number;
  time: number;
  clientTime: number;
}
type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;

describe('SDK one-to-one read receipts (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const send = async (c: SdkClient, to: string, text: string, needReadReceipt: boolean) => {
    const message = c.chat.createTextMessage({ to, conversationType: c.TencentCloudChat.TYPES.CONV_C2C, payload: { text }, needReadReceipt });
    return ((await c.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
  };
  const history = async (c: SdkClient, peer: string) => ((await c.chat.getMessageList({ conversationID: `C2C${peer}` })).data as { messageList: Msg[] }).messageList;

  before(async () => {
    parley = await startParley({}, 1400000093);
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['rcalice', 'rcbob', 'rccarol'] });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  it('tells the sender which message was read, and a fresh device and REST roaming show it read', async () => {
    const [alice, bob] = [await login('rcalice'), await login('rcbob')];
    const first = await send(alice, 'rcbob', 'read me', true);
    const second = await send(alice, 'rcbob', 'not yet', true);
    const got = await messageReceived<Msg>(bob, first.ID);
    expect(got.needReadReceipt).to.equal(true);

    const receipt = alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED);
    await bob.chat.sendMessageReadReceipt([got as never]);
    const [read] = (await receipt) as { userID: string; messageID: string; isPeerRead: boolean }[];
    expect(read).to.include({ userID: 'rcbob', messageID: first.ID, isPeerRead: true });
    const listed = ((await alice.chat.getMessageReadReceiptList([first as never, second as never])).data as { messageList: Msg[] }).messageList;
    expect(listed.map((m) => m.readReceiptInfo.isPeerRead ?? false)).to.deep.equal([true, false]);

    // The conversation itself stays unread for bob: a receipt moves no read mark.
    const fresh = await login('rcalice');
    const mine = await history(fresh, 'rcbob');
    expect(mine.map((m) => [m.ID, m.readReceiptInfo.isPeerRead ?? false])).to.deep.equal([[first.ID, true], [second.ID, false]]);
    const roam = await rest('openim/admin_getroammsg', { Operator_Account: 'rcalice', Peer_Account: 'rcbob', MaxCnt: 10, MinTime: 0, MaxTime: 4_000_000_000 });
    expect((roam.MsgList as { IsPeerRead: number }[]).map((m) => m.IsPeerRead)).to.deep.equal([0, 1]);
    const unread = await rest('openim/get_c2c_unread_msg_num', { To_Account: 'rcbob', Peer_Account: ['rcalice'] });
    expect(unread.ErrorCode).to.equal(0);
    expect((unread.C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[])[0].C2CUnreadMsgNum).to.equal(2);

    // A repeated receipt stores and pushes nothing new.
    const pushes = alice.events.count(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED);
    await bob.chat.sendMessageReadReceipt([got as never]);
    await bob.chat.sendMessageReadReceipt([(await messageReceived<Msg>(bob, second.ID)) as never]);
    await alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED, { where: (d) => (d as { messageID: string }[])[0].messageID === second.ID });
    expect(alice.events.count(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED)).to.equal(pushes + 1);
  });

  it('refuses receipts for messages the caller did not receive and stores nothing', async () => {
    const [alice, carol] = [await login('rcalice'), await login('rccarol')];
    const sent = await send(alice, 'rccarol', 'for carol', true);
    const item = (m: Msg, from: string, to: string) => ({ From_Account: from, To_Account: to, MsgSeq: m.sequence, MsgRandom: m.random, MsgTime: m.time, MsgClientTime: m.clientTime });
    const missing = { ...item(sent, 'rcalice', 'rccarol'), MsgRandom: sent.random + 1 };
    // Over REST an administrator receipts on behalf of the recipient; one unknown message refuses the whole request.
    const mixed = await rest('openim/c2c_msg_read_receipt', { Peer_Account: 'rcalice', C2CMsgInfo: [item(sent, 'rcalice', 'rccarol'), missing] });
    expect(mixed.ErrorCode).to.equal(20022);
    // The sender cannot receipt its own message.
    const own = await rest('openim/c2c_msg_read_receipt', { Peer_Account: 'rccarol', C2CMsgInfo: [item(sent, 'rccarol', 'rcalice')] });
    expect(own.ErrorCode).to.equal(20022);
    expect((await rest('openim/c2c_msg_read_receipt', { Peer_Account: 'rcalice', C2CMsgInfo: [] })).ErrorCode).to.equal(90001);
    const mine = await history(alice, 'rccarol');
    expect(mine.find((m) => m.ID === sent.ID)?.readReceiptInfo.isPeerRead ?? false).to.equal(false);
    // Then the right one goes through.
    const ok = await rest('openim/c2c_msg_read_receipt', { Peer_Account: 'rcalice', C2CMsgInfo: [item(sent, 'rcalice', 'rccarol')] });
    expect(ok.ErrorCode).to.equal(0);
    const [read] = (await alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED)) as { messageID: string }[];
    expect(read.messageID).to.equal(sent.ID);
    void carol;
  });
});
