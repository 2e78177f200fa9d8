/**
 * Targeted group messages with Tencent's real SDK (receiverList) and over REST (To_Account):
 * only the named members and the sender receive them or find them in history; the others get
 * the next ordinary message and never the targeted one.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { until, type Parley } from './ws-harness';
import { sdkGroupFixture } from '../support/sdk-group';

interface Msg {
  ID: string;
  type: string;
  sequence: number;
  payload: { text?: string };
}

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('targeted group messages (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let clients: SdkClient[] = [];
  let groupID = '';
  let alice: SdkClient;
  let bob: SdkClient;
  let carol: SdkClient;

  const texts = async (c: SdkClient) => {
    const list = (await c.chat.getMessageList({ conversationID: `GROUP${groupID}` })) as { data: { messageList: Msg[] } };
    return list.data.messageList.map((m) => m.payload.text).filter((t) => t !== undefined);
  };
  const restHistory = async (extra: object = {}) => {
    const a = await parley.rest<{ RspMsgList: { MsgBody: { MsgContent: { Text: string } }[] }[] }>('group_open_http_svc/group_msg_get_simple', { GroupId: groupID, ReqMsgNumber: 20, ...extra });
    return a.RspMsgList.map((m) => m.MsgBody[0]?.MsgContent.Text);
  };

  const group = sdkGroupFixture({ sdkAppId: 1400000091, users: ['talice', 'tbob', 'tcarol'], members: ['tbob', 'tcarol'], type: 'Public', name: 'targets', login: ['talice', 'tbob', 'tcarol'] });
  before(() => {
    ({ parley, groupID, clients } = group);
    [alice, bob, carol] = clients;
  });

  it('delivers an SDK receiverList message to the named member only, and keeps it out of the others’ history', async () => {
    const T = alice.TencentCloudChat.TYPES;
    // The SDK sends a receiverList only once its purchase bits (fetched about 2 s after login) grant bit 4.
    await until('purchase bits', async () => ((await alice.chat.callExperimentalAPI('isCommercialAbilityEnabled', 16)) as { data: { enabled: boolean } }).data.enabled, 10_000);
    const message = alice.chat.createTextMessage({ to: groupID, conversationType: T.CONV_GROUP, payload: { text: 'for bob only' }, receiverList: ['tbob'] } as never);
    const sent = ((await alice.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
    await messageReceived<Msg>(bob, sent.ID);
    // Delivery keeps the group's order: once carol has the next message, the targeted one would have come before it.
    const next = await sendTextMessage<Msg>(alice, groupID, 'for everyone', 'GROUP');
    await messageReceived<Msg>(carol, next.ID);
    await messageReceived<Msg>(bob, next.ID);
    const carolGot = carol.events.log.filter((e) => e.name === carol.TencentCloudChat.EVENT.MESSAGE_RECEIVED).flatMap((e) => e.data as Msg[]);
    expect(carolGot.map((m) => m.ID)).not.to.include(sent.ID);

    expect(await texts(bob)).to.include.members(['for bob only', 'for everyone']);
    expect(await texts(carol)).to.include('for everyone').and.not.include('for bob only');
  });

  it('answers a member’s server history without the targeted messages of others', async () => {
    // A new instance of carol (the first one is logged out by the multi-device policy) reads history from the server.
    carol = await sdkLogin(parley, 'tcarol', clients);
    const list = (await carol.chat.getMessageList({ conversationID: `GROUP${groupID}` })) as { data: { messageList: Msg[] } };
    expect(list.data.messageList.map((m) => m.payload.text)).not.to.include('for bob only');
  });

  it('keeps REST To_Account messages from everyone else, while the administrator reads them all', async () => {
    const sent = await parley.rest<{ ErrorCode: number; MsgSeq: number }>('group_open_http_svc/send_group_msg', {
      GroupId: groupID, From_Account: 'talice', Random: 77, MsgBody: text('rest for carol'), To_Account: ['tcarol'],
    });
    expect(sent.ErrorCode).to.equal(0);
    expect(await restHistory()).to.include('rest for carol');
    const got = await carol.events.waitFor(carol.TencentCloudChat.EVENT.MESSAGE_RECEIVED, { where: (d) => (d as Msg[]).some((m) => m.payload.text === 'rest for carol') });
    expect(got).to.be.an('array');
    const next = await sendTextMessage<Msg>(alice, groupID, 'after rest', 'GROUP');
    await messageReceived<Msg>(bob, next.ID);
    const bobTexts = bob.events.log.filter((e) => e.name === bob.TencentCloudChat.EVENT.MESSAGE_RECEIVED).flatMap((e) => e.data as Msg[]).map((m) => m.payload.text);
    expect(bobTexts).not.to.include('rest for carol');
    expect(await texts(bob)).not.to.include('rest for carol');
  });

  it('refuses To_Account over 50 receivers and in a Community', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `x${i}`);
    const over = await parley.rest<{ ErrorCode: number }>('group_open_http_svc/send_group_msg', { GroupId: groupID, From_Account: 'talice', Random: 78, MsgBody: text('x'), To_Account: many });
    expect(over.ErrorCode).to.equal(10004);
    const community = await parley.rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'talice', Type: 'Community', Name: 'c', MemberList: [{ Member_Account: 'tbob' }] });
    const refused = await parley.rest<{ ErrorCode: number }>('group_open_http_svc/send_group_msg', { GroupId: community.GroupId, From_Account: 'talice', Random: 79, MsgBody: text('x'), To_Account: ['tbob'] });
    expect(refused.ErrorCode).to.equal(10004);
  });
});
