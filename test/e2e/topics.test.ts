/**
 * Community topics from outside: an app backend over REST (create_topic … destroy_topic,
 * TopicId on the message commands, permission groups) and Tencent's real SDK (community list,
 * topic calls, topic messages and the topic conversation).
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = Record<string, unknown> & { ErrorCode: number; ErrorInfo: string };
interface Msg {
  ID: string;
  to: string;
  conversationID: string;
  sequence: number;
  payload: { text?: string };
}

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const M = 'million_group_open_http_svc';
const G = 'group_open_http_svc';

describe('Community topics (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let community = '';
  const call = (cmd: string, body: object) => parley.rest<Answer>(cmd, body);
  const ok = (a: Answer) => expect(a.ErrorCode, a.ErrorInfo).to.equal(0);

  before(async () => {
    parley = await startParley({}, 1400000092);
    await call('im_open_login_svc/multiaccount_import', { Accounts: ['cowner', 'cmember', 'cother'] });
    const created = await call(`${G}/create_group`, { Owner_Account: 'cowner', Type: 'Community', Name: 'town', SupportTopic: 1, MemberList: [{ Member_Account: 'cmember' }, { Member_Account: 'cother' }] });
    ok(created);
    community = created.GroupId as string;
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('creates, lists, changes and destroys topics over REST, with the seed’s id rules', async () => {
    const generated = await call(`${M}/create_topic`, { GroupId: community, TopicName: 'news' });
    ok(generated);
    expect(generated.TopicId).to.match(new RegExp(`^${community.replace(/[#$@]/g, '\\$&')}@TOPIC#_@TOPIC#[A-Z0-9]{10}$`));
    const custom = `${community}@TOPIC#_chat`;
    expect((await call(`${M}/create_topic`, { GroupId: community, TopicId: custom, TopicName: 'chat' })).TopicId).to.equal(custom);
    expect((await call(`${M}/create_topic`, { GroupId: community, TopicId: custom, TopicName: 'again' })).ErrorCode).to.equal(10021);
    expect((await call(`${M}/create_topic`, { GroupId: community, TopicId: `${community}@TOPIC#_@TOPIC#x`, TopicName: 'x' })).ErrorCode).to.equal(10015);
    ok(await call(`${M}/modify_topic`, { GroupId: community, TopicId: custom, TopicName: 'Chat', MuteAllMember: 'On' }));
    const got = await call(`${M}/get_topic`, { GroupId: community });
    const infos = (got.TopicAndSelfInfo as { TopicInfo: Record<string, unknown> }[]).map((t) => t.TopicInfo);
    expect(infos.map((t) => t.TopicName)).to.deep.equal(['news', 'Chat']);
    expect(infos[1]).to.include({ ShutUpAllFlag: 1, NextMsgSeq: 1 });
    const destroyed = await call(`${M}/destroy_topic`, { GroupId: community, TopicIdList: [generated.TopicId, `${community}@TOPIC#_nope`] });
    expect((destroyed.DestroyResultItem as { ErrorCode: number }[]).map((r) => r.ErrorCode)).to.deep.equal([0, 10010]);
  });

  it('keeps each topic’s messages, sequence, history, recall and mutes apart over REST', async () => {
    const topic = (await call(`${M}/create_topic`, { GroupId: community, TopicId: `${community}@TOPIC#_rest`, TopicName: 'rest' })).TopicId as string;
    const send = (From_Account: string, t: string, extra: object = {}) => call(`${G}/send_group_msg`, { GroupId: community, TopicId: t, From_Account, Random: Math.floor(Math.random() * 1e9), MsgBody: text(`${From_Account} in ${t}`), ...extra });
    const first = await send('cmember', topic);
    ok(first);
    expect(first.MsgSeq).to.equal(1);
    expect((await send('cmember', topic)).MsgSeq).to.equal(2);
    ok(await call(`${G}/group_msg_recall`, { GroupId: community, TopicId: topic, MsgSeqList: [{ MsgSeq: 1 }] }));
    const history = await call(`${G}/group_msg_get_simple`, { GroupId: community, TopicId: topic, ReqMsgNumber: 10, WithRecalledMsg: 1 });
    expect((history.RspMsgList as { MsgSeq: number; IsPlaceMsg: number }[]).map((m) => `${m.MsgSeq}:${m.IsPlaceMsg}`)).to.deep.equal(['2:0', '1:2']);
    const communityHistory = await call(`${G}/group_msg_get_simple`, { GroupId: community, ReqMsgNumber: 10 });
    expect((communityHistory.RspMsgList as { MsgBody: { MsgContent: { Text?: string } }[] }[]).map((m) => m.MsgBody[0]?.MsgContent.Text)).not.to.include(`cmember in ${topic}`);

    // The app administrator may send as anyone, muted or not (as in groups); the mute binds the member's own sends (decider tests).
    ok(await call(`${G}/forbid_send_msg`, { GroupId: community, TopicId: topic, Members_Account: ['cother'], MuteTime: 600 }));
    const muted = await call(`${G}/get_group_muted_account`, { GroupId: community, TopicId: topic });
    expect((muted.MutedAccountList as { Member_Account: string }[]).map((m) => m.Member_Account)).to.deep.equal(['cother']);
    const legacy = await call(`${G}/get_group_shutted_uin`, { GroupId: community });
    expect(legacy.MutedAccountList).to.deep.equal([]);
    expect((await send('cmember', `${community}@TOPIC#_gone`)).ErrorCode).to.equal(10010);
  });

  it('enforces permission groups: a member sends in a topic only with the bit', async () => {
    const topic = (await call(`${M}/create_topic`, { GroupId: community, TopicId: `${community}@TOPIC#_perm`, TopicName: 'perm' })).TopicId as string;
    ok(await call(`${G}/modify_group_base_info`, { GroupId: community, EnablePermission: 1, DefaultPermission: 0 }));
    const sender = await sdkLogin(parley, 'cother', clients);
    const T = sender.TencentCloudChat.TYPES;
    const send = () => sender.chat.sendMessage(sender.chat.createTextMessage({ to: topic, conversationType: T.CONV_GROUP, payload: { text: 'hello' } })).then(() => 0, (e: { code: number }) => e.code);
    expect(await send()).to.equal(10007);
    const pg = await call(`${G}/create_permission_group`, { GroupId: community, PermissionGroupName: 'speakers', Permission: 0 });
    ok(pg);
    expect(pg.PermissionGroupId).to.match(/^@PMG#_@PMG#/);
    ok(await call(`${G}/add_permission_group_member`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId, MemberList: ['cother'] }));
    ok(await call(`${G}/add_topic_permission_group`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId, TopicPermission: [{ TopicId: topic, Permission: 8 }] }));
    expect(await send()).to.equal(0);
    const topics = await call(`${G}/get_topic_permission_group`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId });
    expect(topics.TopicPermission).to.deep.equal([{ TopicId: topic, Permission: 8 }]);
    const info = await call(`${G}/get_permission_group`, { GroupId: community });
    expect((info.PermissionGroupInfo as Record<string, unknown>[])[0]).to.include({ PermissionGroupName: 'speakers', MemberNum: 1, Permission: 0 });
    expect((await call(`${G}/modify_permission_group`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId, Permission: -1 })).ErrorCode).to.equal(10004);
    ok(await call(`${G}/modify_group_base_info`, { GroupId: community, EnablePermission: 0 }));
  });

  it('serves the SDK’s community and topic calls, topic messages and the topic conversation', async () => {
    const owner = await sdkLogin(parley, 'cowner', clients);
    const member = await sdkLogin(parley, 'cmember', clients);
    const communities = (await member.chat.getJoinedCommunityList()) as { data: { groupList: { groupID: string; isSupportTopic: boolean }[] } };
    expect(communities.data.groupList.find((g) => g.groupID === community)?.isSupportTopic).to.equal(true);

    const created = (await owner.chat.createTopicInCommunity({ groupID: community, topicName: 'sdk topic', topicID: `${community}@TOPIC#_sdk` })) as { data: { topicID: string } };
    const topicID = created.data.topicID;
    expect(topicID).to.equal(`${community}@TOPIC#_sdk`);
    const list = (await member.chat.getTopicList({ groupID: community, topicIDList: [topicID] })) as { data: { successTopicList: { topicID: string; topicName: string }[] } };
    expect(list.data.successTopicList.map((t) => t.topicName)).to.deep.equal(['sdk topic']);

    const T = owner.TencentCloudChat.TYPES;
    const sent = ((await owner.chat.sendMessage(owner.chat.createTextMessage({ to: topicID, conversationType: T.CONV_GROUP, payload: { text: 'in the topic' } }))) as { data: { message: Msg } }).data.message;
    expect(sent.sequence).to.equal(1);
    const got = await messageReceived<Msg>(member, sent.ID);
    expect(got).to.include({ to: topicID, conversationID: `GROUP${topicID}` });

    const history = (await member.chat.getMessageList({ conversationID: `GROUP${topicID}` })) as { data: { messageList: Msg[] } };
    expect(history.data.messageList.map((m) => m.payload.text)).to.include('in the topic');

    await owner.chat.updateTopicProfile({ groupID: community, topicID, topicName: 'renamed' });
    const after = await call(`${M}/get_topic`, { GroupId: community, TopicIdList: [topicID] });
    expect((after.TopicAndSelfInfo as { TopicInfo: { TopicName: string } }[])[0].TopicInfo.TopicName).to.equal('renamed');
    const deleted = (await owner.chat.deleteTopicFromCommunity({ groupID: community, topicIDList: [topicID] })) as { data: { successTopicList: { topicID: string }[] } };
    expect(deleted.data.successTopicList.map((t) => t.topicID)).to.deep.equal([topicID]);
  });
});
