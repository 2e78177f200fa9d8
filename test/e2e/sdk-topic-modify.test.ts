/**
 * modify_group_msg on a topic's message (TopicId), from Tencent's real web SDK and over REST:
 * the sender edits from the SDK, the other member's device gets MESSAGE_MODIFIED in the topic's
 * conversation, the topic's history shows the new content (SDK and group_msg_get_simple), the
 * community's own history is untouched, and refusals carry the codes of ordinary group messages.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Msg = { ID: string; sequence: number; version: number; isModified: boolean; conversationID: string; payload: { text: string } };
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const G = 'group_open_http_svc';

describe('SDK and REST topic message editing (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  let owner: SdkClient, member: SdkClient, community: string, topicID: string;
  const simple = async (TopicId?: string) =>
    ((await rest(`${G}/group_msg_get_simple`, { GroupId: community, ReqMsgNumber: 20, ...(TopicId ? { TopicId } : {}) })).RspMsgList as { MsgSeq: number; MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => `${m.MsgSeq}:${m.MsgBody[0]?.MsgContent.Text}`);

  before(async () => {
    parley = await startParley({}, 1400000087);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['tmowner', 'tmmember', 'tmout'] });
    community = (await rest(`${G}/create_group`, { Owner_Account: 'tmowner', Type: 'Community', Name: 'edits', SupportTopic: 1, MemberList: [{ Member_Account: 'tmmember' }] })).GroupId as string;
    topicID = (await rest('million_group_open_http_svc/create_topic', { GroupId: community, TopicId: `${community}@TOPIC#_edits`, TopicName: 'edits' })).TopicId as string;
    [owner, member] = [await sdkLogin(parley, 'tmowner', clients), await sdkLogin(parley, 'tmmember', clients)];
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('lets the sender edit a topic message: the member sees it in the topic, history keeps it, the community is untouched', async () => {
    const T = owner.TencentCloudChat.TYPES;
    await rest(`${G}/send_group_msg`, { GroupId: community, From_Account: 'tmowner', Random: 11, MsgBody: text('community one') });
    const sent = ((await owner.chat.sendMessage(owner.chat.createTextMessage({ to: topicID, conversationType: T.CONV_GROUP, payload: { text: 'typo' } }))) as { data: { message: Msg } }).data.message;
    expect(sent.sequence).to.equal(1);
    const got = await messageReceived<Msg>(member, sent.ID);
    expect(got.conversationID).to.equal(`GROUP${topicID}`);
    const mine = owner.chat.findMessage(sent.ID) as unknown as Msg;
    mine.payload.text = 'fixed';
    const res = (await owner.chat.modifyMessage(mine as never)) as { data: { message: Msg } };
    expect(res.data.message.payload.text).to.equal('fixed');
    const modified = (await member.events.waitFor(member.TencentCloudChat.EVENT.MESSAGE_MODIFIED, { where: (d) => (d as Msg[]).some((m) => m.ID === sent.ID) })) as Msg[];
    expect(modified[0]).to.include({ ID: sent.ID, isModified: true, conversationID: `GROUP${topicID}` });
    expect(modified[0].payload.text).to.equal('fixed');

    // The other member may not edit it (10007), and their attempt stores nothing.
    got.payload.text = 'hijack';
    const refused = await member.chat.modifyMessage(got as never).catch((e: { code: number }) => e);
    expect((refused as { code: number }).code).to.equal(10007);

    const fresh = await sdkLogin(parley, 'tmmember', clients);
    const list = ((await fresh.chat.getMessageList({ conversationID: `GROUP${topicID}` })).data as { messageList: Msg[] }).messageList;
    expect(list.filter((m) => m.ID === sent.ID).map((m) => [m.payload.text, m.version])).to.deep.equal([['fixed', 1]]);
    expect(await simple(topicID)).to.deep.equal(['1:fixed']);
    // The community's own message 1 is another message: unchanged.
    expect(await simple()).to.deep.equal(['1:community one']);
  });

  it('answers an administrator over REST with the codes of group messages, changing nothing on refusal', async () => {
    const seq = (await rest(`${G}/send_group_msg`, { GroupId: community, TopicId: topicID, From_Account: 'tmmember', Random: 12, MsgBody: text('by member'), CloudCustomData: 'cc' })).MsgSeq as number;
    const modify = (body: object) => rest('openim/modify_group_msg', { GroupId: community, TopicId: topicID, MsgSeq: seq, ...body });
    expect((await modify({ CloudCustomData: 'new data' })).ErrorCode).to.equal(0);
    expect((await modify({ MsgBody: text('edited') })).ErrorCode).to.equal(0);
    const items = (await rest(`${G}/group_msg_get_simple`, { GroupId: community, TopicId: topicID, ReqMsgNumber: 1 })).RspMsgList as { MsgBody: { MsgContent: { Text: string } }[]; CloudCustomData: string }[];
    expect([items[0].MsgBody[0].MsgContent.Text, items[0].CloudCustomData]).to.deep.equal(['edited', 'new data']);

    expect((await modify({})).ErrorCode).to.equal(10004);
    expect((await modify({ MsgSeq: 99, MsgBody: text('x') })).ErrorCode).to.equal(10030);
    expect((await modify({ TopicId: `${community}@TOPIC#_none`, MsgBody: text('x') })).ErrorCode).to.equal(10010);
    expect((await rest(`${G}/group_msg_recall`, { GroupId: community, TopicId: topicID, MsgSeqList: [{ MsgSeq: seq }] })).ErrorCode).to.equal(0);
    expect((await modify({ MsgBody: text('x') })).ErrorCode).to.equal(10032);
    expect(await simple(topicID)).to.deep.equal(['1:fixed']);
  });
});
