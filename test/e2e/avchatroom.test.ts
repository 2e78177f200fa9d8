/**
 * AVChatRoom as a live room, driven by Tencent's real web SDK and by REST against an embedded
 * node: joining through the SDK's live-room path, online delivery of consecutive messages (the
 * SDK drops a live-room message whose sequence it saw), the online count, quitting, muting a
 * viewer, and a room that stores neither members nor messages.
 */
import { expect } from 'chai';
import { messageReceived, receivedTexts, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, until, type Parley } from './ws-harness';

interface Msg {
  ID: string;
  from: string;
  to: string;
  sequence: number;
  conversationType: string;
  payload: { text?: string };
}

const G = 'group_open_http_svc';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('AVChatRoom live rooms (e2e, SDK and REST)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];

  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const texts = receivedTexts;
  const createRoom = async () => {
    const a = await parley.rest<{ ErrorCode: number; GroupId: string }>(`${G}/create_group`, { Owner_Account: 'host', Type: 'AVChatRoom', Name: 'Live' });
    expect(a.ErrorCode).to.equal(0);
    return a.GroupId;
  };
  const online = async (GroupId: string) => (await parley.rest<{ OnlineMemberNum: number }>(`${G}/get_online_member_num`, { GroupId })).OnlineMemberNum;
  const adminSend = (GroupId: string, words: string) => parley.rest<{ ErrorCode: number; MsgSeq: number }>(`${G}/send_group_msg`, { GroupId, Random: Math.floor(Math.random() * 1e9), MsgBody: text(words) });

  before(async () => {
    parley = await startParley({}, 1400000078);
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['host', 'viewer1', 'viewer2', 'outsider'] });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('joins through the SDK, delivers consecutive messages to everyone online, counts, and stops at quitting', async () => {
    const groupID = await createRoom();
    const [v1, v2] = await Promise.all([login('viewer1'), login('viewer2')]);
    const T = v1.TencentCloudChat.TYPES;
    for (const v of [v1, v2]) expect(((await v.chat.joinGroup({ groupID })) as { data: { status: string } }).data.status).to.equal(T.JOIN_STATUS_SUCCESS);
    expect(await online(groupID)).to.equal(2);
    expect(((await v1.chat.getGroupOnlineMemberCount(groupID)) as { data: { memberCount: number } }).data.memberCount).to.equal(2);

    // Sent back to back: each must show, though none is stored.
    const sends = [];
    for (const words of ['one', 'two', 'three']) sends.push(await adminSend(groupID, words));
    expect(sends.map((s) => s.ErrorCode)).to.deep.equal([0, 0, 0]);
    expect(new Set(sends.map((s) => s.MsgSeq)).size).to.equal(3);
    await until('three messages on both viewers', () => texts(v1, groupID).length === 3 && texts(v2, groupID).length === 3);
    expect(texts(v2, groupID)).to.deep.equal(['one', 'two', 'three']);

    const sent = await sendTextMessage<Msg>(v1, groupID, 'hello room', 'GROUP');
    expect(await messageReceived<Msg>(v2, sent.ID)).to.include({ from: 'viewer1', to: groupID, conversationType: T.CONV_GROUP, sequence: sent.sequence });

    await v2.chat.quitGroup(groupID);
    expect(await online(groupID)).to.equal(1);
    expect((await adminSend(groupID, 'after quit')).ErrorCode).to.equal(0);
    await until('the last message on the viewer still in the room', () => texts(v1, groupID).includes('after quit'));
    // A room's pushes leave in the order the group made them: back in the room, the viewer who
    // quit gets a later message only after anything sent to it before.
    await v2.chat.joinGroup({ groupID });
    expect((await adminSend(groupID, 'back in the room')).ErrorCode).to.equal(0);
    await until('the later message on the viewer who came back', () => texts(v2, groupID).includes('back in the room'));
    expect(texts(v2, groupID)).to.not.include('after quit');
  });

  it('refuses a sender who is not in the room, stores no history and lists no members', async () => {
    const groupID = await createRoom();
    const outsider = await login('outsider');
    const T = outsider.TencentCloudChat.TYPES;
    const stray = outsider.chat.createTextMessage({ to: groupID, conversationType: T.CONV_GROUP, payload: { text: 'not joined' } });
    // The SDK refuses locally (2101) to send into a live room it has not joined; the server refuses too.
    expect(await outsider.chat.sendMessage(stray).then(() => 0, (err: { code: number }) => err.code)).to.equal(2101);
    const raw = await FrameClient.open(parley);
    await raw.login(parley, 'viewer1');
    const body = { GroupId: groupID, Random: 1, MsgBody: text('not joined either') };
    expect((await raw.request('group_open_http_svc.send_group_msg', body)).ErrorCode).to.equal(10007);
    raw.close();

    await outsider.chat.joinGroup({ groupID });
    expect((await adminSend(groupID, 'kept nowhere')).ErrorCode).to.equal(0);
    await until('the message online', () => texts(outsider, groupID).includes('kept nowhere'));
    const history = await parley.rest<{ RspMsgList: unknown[] }>(`${G}/group_msg_get_simple`, { GroupId: groupID, ReqMsgNumber: 20 });
    expect(history.RspMsgList).to.deep.equal([]);
    // Removal is not supported in a live room; muting a viewer is the seed's substitute.
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/forbid_send_msg`, { GroupId: groupID, Members_Account: ['outsider'], MuteTime: 60 })).ErrorCode).to.equal(0);
    const muted = outsider.chat.createTextMessage({ to: groupID, conversationType: T.CONV_GROUP, payload: { text: 'muted' } });
    expect(await outsider.chat.sendMessage(muted).then(() => 0, (err: { code: number }) => err.code)).to.equal(10017);
    const info = await parley.rest<{ GroupInfo: { MemberNum: number }[] }>(`${G}/get_group_info`, { GroupIdList: [groupID] });
    expect(info.GroupInfo[0].MemberNum).to.equal(1); // the owner only: a live room keeps no member list
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/add_group_member`, { GroupId: groupID, MemberList: [{ Member_Account: 'viewer1' }] })).ErrorCode).to.equal(10007);
  });

  it('keeps a device in its rooms across a reconnect, which the SDK does not follow with a new join', async () => {
    const groupID = await createRoom();
    const instanceid = `reconnect${Date.now()}`;
    const first = await FrameClient.open(parley, { instanceid });
    await first.login(parley, 'viewer2');
    expect((await first.request('group_open_http_svc.apply_join_group', { GroupId: groupID })).HugeGroupFlag).to.equal(1);
    first.close();
    await until('the dropped connection out of the count', async () => (await online(groupID)) === 0);
    const again = await FrameClient.open(parley, { instanceid });
    await again.login(parley, 'viewer2');
    expect(await online(groupID)).to.equal(1);
    expect((await adminSend(groupID, 'welcome back')).ErrorCode).to.equal(0);
    await until('the push after the reconnect', () => again.pushes.some((p) => JSON.stringify(p.body).includes('welcome back')));
    again.close();
  });

  it('holds join tips to one per second per room, naming the users who joined meanwhile', async () => {
    const groupID = await createRoom();
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['j1', 'j2', 'j3', 'j4'] });
    const watcher = await FrameClient.open(parley);
    await watcher.login(parley, 'viewer1');
    await watcher.request('group_open_http_svc.apply_join_group', { GroupId: groupID });
    for (const user of ['j1', 'j2', 'j3', 'j4']) await parley.rest(`${G}/apply_join_group`, { GroupId: groupID, From_Account: user });
    type Tip = { MsgSeq: number; MsgBody: { OpType: number; List_Account: string[] } };
    const joinTips = () =>
      watcher.pushes
        .flatMap((p) => ((p.body.EventArray ?? []) as { Event: number; GroupTips?: Tip[] }[]).filter((e) => e.Event === 6).flatMap((e) => e.GroupTips ?? []))
        .filter((t) => t.MsgBody.OpType === 1);
    await until('the held tip', () => joinTips().flatMap((t) => t.MsgBody.List_Account).includes('j4'), 3000);
    const tips = joinTips();
    // The watcher's own join opened the window; the four that followed within it came as one tip.
    expect(tips.map((t) => t.MsgBody.List_Account)).to.deep.equal([['viewer1'], ['j1', 'j2', 'j3', 'j4']]);
    expect(tips[1].MsgSeq).to.equal(tips[0].MsgSeq + 1);
    watcher.close();
  });

  it('pushes the disbanding to the room and closes it on the node', async () => {
    const groupID = await createRoom();
    const viewer = await FrameClient.open(parley);
    await viewer.login(parley, 'viewer2');
    await viewer.request('group_open_http_svc.apply_join_group', { GroupId: groupID });
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/destroy_group`, { GroupId: groupID })).ErrorCode).to.equal(0);
    type Notice = { MsgBody: { ReportType?: number } };
    const notices = () => viewer.pushes.flatMap((p) => ((p.body.EventArray ?? []) as { Event: number; GroupTips?: Notice[] }[]).filter((e) => e.Event === 5).flatMap((e) => e.GroupTips ?? []));
    await until('the disbanding notice', () => notices().some((n) => n.MsgBody.ReportType === 5));
    await until('the room closed', async () => (await parley.broker.call<number, object>('connector.roomCount', { app: parley.sdkAppId, groupId: groupID })) === 0);
    viewer.close();
  });

  it('sends a system notice for the whole group to every viewer in the room, and a named one only to who it names', async () => {
    const groupID = await createRoom();
    const [one, two] = [await FrameClient.open(parley), await FrameClient.open(parley)];
    await one.login(parley, 'viewer1');
    await two.login(parley, 'viewer2');
    for (const viewer of [one, two]) await viewer.request('group_open_http_svc.apply_join_group', { GroupId: groupID });
    type Notice = { MsgBody: { ReportType?: number; UserDefinedField?: string } };
    const notices = (c: FrameClient) =>
      c.pushes.flatMap((p) => ((p.body.EventArray ?? []) as { Event: number; GroupTips?: Notice[] }[]).filter((e) => e.Event === 5).flatMap((e) => e.GroupTips ?? [])).filter((n) => n.MsgBody.ReportType === 255).map((n) => n.MsgBody.UserDefinedField);
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/send_group_system_notification`, { GroupId: groupID, Content: 'to all' })).ErrorCode).to.equal(0);
    expect((await parley.rest<{ ErrorCode: number }>(`${G}/send_group_system_notification`, { GroupId: groupID, Content: 'to one', ToMembers_Account: ['viewer2'] })).ErrorCode).to.equal(0);
    await until('both notices at viewer2', () => notices(two).length === 2);
    expect(notices(two)).to.deep.equal(['to all', 'to one']);
    expect(notices(one)).to.deep.equal(['to all']);
    one.close();
    two.close();
  });

  it('joins for every online device of a user over REST, and counts nobody once they log out', async () => {
    const groupID = await createRoom();
    const host = await login('host');
    const joined = await parley.rest<{ ErrorCode: number; JoinedStatus: string; HugeGroupFlag: number }>(`${G}/apply_join_group`, { GroupId: groupID, From_Account: 'host' });
    expect(joined).to.include({ ErrorCode: 0, JoinedStatus: 'JoinedSuccess', HugeGroupFlag: 1 });
    expect(await online(groupID)).to.equal(1);
    await host.logout();
    expect(await online(groupID)).to.equal(0);
  });
});
