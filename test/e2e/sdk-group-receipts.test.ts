/**
 * Group read receipts with Tencent's real SDK: a message sent with needReadReceipt, the reader's
 * sendMessageReadReceipt (group_msg_receipt), the sender's MESSAGE_READ_RECEIPT_RECEIVED push,
 * getMessageReadReceiptList (get_group_msg_receipt) and getGroupMessageReadMemberList
 * (get_group_msg_receipt_detail); and the same commands over REST.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, type SdkClient } from '../support/sdk';
import { type Parley } from './ws-harness';
import { sdkGroupFixture } from '../support/sdk-group';

interface Msg {
  ID: string;
  sequence: number;
  needReadReceipt: boolean;
  readReceiptInfo: { readCount?: number; unreadCount?: number };
}
interface ReceiptEvent {
  groupID: string;
  messageID: string;
  readCount: number;
  unreadCount: number;
}

const G = 'group_open_http_svc';

describe('SDK group read receipts (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let clients: SdkClient[] = [];
  let groupID = '';
  let alice: SdkClient;
  let bob: SdkClient;
  let sent: Msg;
  let received: Msg;

  const group = sdkGroupFixture({ sdkAppId: 1400000094, users: ['ralice', 'rbob', 'rcarol'], members: ['rbob', 'rcarol'], type: 'Work', name: 'receipts', login: ['ralice', 'rbob'] });
  before(() => {
    ({ parley, groupID, clients } = group);
    [alice, bob] = clients;
  });

  it('delivers a message that asks for receipts, marked as such', async () => {
    const T = alice.TencentCloudChat.TYPES;
    const message = alice.chat.createTextMessage({ to: groupID, conversationType: T.CONV_GROUP, payload: { text: 'read me' }, needReadReceipt: true } as never);
    sent = ((await alice.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
    received = await messageReceived<Msg>(bob, sent.ID);
    expect(received.needReadReceipt).to.equal(true);
  });

  it("pushes the reader's receipt to the sender with the new counts", async () => {
    const pushed = alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED);
    await bob.chat.sendMessageReadReceipt([received] as never);
    const [event] = (await pushed) as ReceiptEvent[];
    expect(event).to.include({ groupID, messageID: sent.ID, readCount: 1, unreadCount: 1 });
  });

  it('answers the counts and the readers to the sender', async () => {
    const list = (await alice.chat.getMessageReadReceiptList([sent] as never)) as { data: { messageList: Msg[] } };
    expect(list.data.messageList[0].readReceiptInfo).to.include({ readCount: 1, unreadCount: 1 });
    const read = (await alice.chat.getGroupMessageReadMemberList({ message: sent, filter: 0, cursor: '', count: 30 } as never)) as { data: { readUserIDList: string[]; isCompleted: boolean } };
    expect(read.data.readUserIDList).to.deep.equal(['rbob']);
    expect(read.data.isCompleted).to.equal(true);
    const unread = (await alice.chat.getGroupMessageReadMemberList({ message: sent, filter: 1, cursor: '', count: 30 } as never)) as { data: { unreadUserIDList: string[] } };
    expect(unread.data.unreadUserIDList).to.deep.equal(['rcarol']);
  });

  it('keeps the receipt flag in history, so a new device can ask for the counts', async () => {
    const again = await sdkLogin(parley, 'rbob', clients);
    const list = (await again.chat.getMessageList({ conversationID: `GROUP${groupID}` })) as { data: { messageList: Msg[] } };
    expect(list.data.messageList.find((m) => m.ID === sent.ID)?.needReadReceipt).to.equal(true);
  });

  it('pushes a receipt the sender’s SDK finds for a message its backend sent over REST (no client time)', async () => {
    const text = (m: unknown) => (m as { payload?: { text?: string } }).payload?.text;
    const onAlice = alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_RECEIVED, { where: (d) => (d as unknown[]).some((m) => text(m) === 'from the backend') });
    const sentOverRest = await parley.rest<{ ErrorCode: number; MsgSeq: number }>(`${G}/send_group_msg`, { GroupId: groupID, From_Account: 'ralice', Random: 6, NeedReadReceipt: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from the backend' } }] });
    expect(sentOverRest.ErrorCode).to.equal(0);
    const atAlice = ((await onAlice) as Msg[]).find((m) => text(m) === 'from the backend')!;
    const pushed = alice.events.waitFor(alice.TencentCloudChat.EVENT.MESSAGE_READ_RECEIPT_RECEIVED, { where: (d) => (d as ReceiptEvent[]).some((e) => e.messageID === atAlice.ID) });
    const read = await parley.rest<{ ErrorCode: number }>(`${G}/group_msg_receipt`, { GroupId: groupID, Report_Account: 'rcarol', MsgSeqList: [{ MsgSeq: sentOverRest.MsgSeq }] });
    expect(read.ErrorCode).to.equal(0);
    const [event] = (await pushed) as ReceiptEvent[];
    expect(event).to.include({ groupID, messageID: atAlice.ID, readCount: 1 });
  });

  it('takes receipts and answers counts over REST, refusing messages that did not ask (10004)', async () => {
    const ok = await parley.rest<{ ErrorCode: number }>(`${G}/group_msg_receipt`, { GroupId: groupID, Report_Account: 'rcarol', MsgSeqList: [{ MsgSeq: sent.sequence }] });
    expect(ok.ErrorCode).to.equal(0);
    const counts = await parley.rest<{ GroupMsgReceiptList: { MsgSeq: number; ReadNum: number; UnreadNum: number }[] }>(`${G}/get_group_msg_receipt`, { GroupId: groupID, MsgSeqList: [{ MsgSeq: sent.sequence }] });
    expect(counts.GroupMsgReceiptList[0]).to.include({ MsgSeq: sent.sequence, ReadNum: 2, UnreadNum: 0 });
    const plain = await parley.rest<{ MsgSeq: number }>(`${G}/send_group_msg`, { GroupId: groupID, From_Account: 'ralice', Random: 5, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'plain' } }] });
    const refused = await parley.rest<{ ErrorCode: number }>(`${G}/group_msg_receipt`, { GroupId: groupID, Report_Account: 'rbob', MsgSeqList: [{ MsgSeq: plain.MsgSeq }] });
    expect(refused.ErrorCode).to.equal(10004);
  });
});
