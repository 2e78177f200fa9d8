/**
 * Groups through the REST API, as an app backend drives them: every group command, the
 * per-type rules that show from outside, history, recall, imports.
 */
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const G = 'group_open_http_svc';

describe('REST groups (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const call = (cmd: string, body: object) => rest.call(`${G}/${cmd}`, body);
  const create = async (Type: string, extra: object = {}) => {
    const a = await call('create_group', { Owner_Account: 'owner', Type, Name: `${Type} group`, MemberList: [{ Member_Account: 'm1' }, { Member_Account: 'm2' }], ...extra });
    ok(a);
    return a.GroupId as string;
  };
  const send = (GroupId: string, From_Account: string, extra: object = {}) => call('send_group_msg', { GroupId, From_Account, Random: random(), MsgBody: text(`from ${From_Account}`), ...extra });
  const history = (GroupId: string, extra: object = {}) => call('group_msg_get_simple', { GroupId, ReqMsgNumber: 20, ...extra });

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups'] });
    rest = adminRest(server);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'm1', 'm2', 'm3', 'm4', 'out'] }));
    // Custom fields exist only once the app configures them (rest-groups-fields.test.ts).
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { groupFields: [{ key: 'Level', read: 'Anyone', write: 'Owner' }] } } });
  });
  after(() => server?.stop());

  it('creates groups with generated @TGS# ids and custom ids, refusing a used or malformed id', async () => {
    const id = await create('Public');
    expect(id).to.match(/^@TGS#[A-Z0-9]{10}$/);
    expect(await create('Community')).to.match(/^@TGS#_@TGS#/);
    ok(await call('create_group', { Type: 'Public', Name: 'c', GroupId: 'my-group' }));
    expect((await call('create_group', { Type: 'Public', Name: 'c', GroupId: 'my-group' })).ErrorCode).to.equal(10021);
    expect((await call('create_group', { Type: 'Public', Name: 'c', GroupId: '@TGS#mine' })).ErrorCode).to.equal(10015);
    expect((await call('create_group', { Type: 'Community', Name: 'c', GroupId: 'plain' })).ErrorCode).to.equal(10015);
    expect((await call('create_group', { Type: 'Public', Name: 'x'.repeat(31) })).ErrorCode).to.equal(10004);
    expect((await call('create_group', { Type: 'Nope', Name: 'x' })).ErrorCode).to.equal(10004);
  });

  it('answers the profile, members and roles of a group, with legacy type names accepted', async () => {
    const id = await create('Private', { AppDefinedData: [{ Key: 'Level', Value: '3' }] });
    const info = await call('get_group_info', { GroupIdList: [id, 'missing'] });
    ok(info);
    const [g, missing] = info.GroupInfo as Record<string, unknown>[];
    expect(g).to.include({ Type: 'Work', Owner_Account: 'owner', MemberNum: 3, NextMsgSeq: 1, ApplyJoinOption: 'DisableApply', MuteAllMember: 'Off' });
    expect(g.AppDefinedData).to.deep.equal([{ Key: 'Level', Value: '3' }]);
    expect(missing.ErrorCode).to.equal(10010);
    const members = await call('get_group_member_info', { GroupId: id });
    expect((members.MemberList as { Member_Account: string; Role: string }[]).map((m) => `${m.Member_Account}:${m.Role}`)).to.deep.equal(['owner:Owner', 'm1:Member', 'm2:Member']);
    const roles = await call('get_role_in_group', { GroupId: id, User_Account: ['owner', 'out'] });
    expect(roles.UserIdList).to.deep.equal([{ Member_Account: 'owner', Role: 'Owner' }, { Member_Account: 'out', Role: 'NotMember' }]);
  });

  it('changes the profile, refusing custom fields the app has not configured', async () => {
    const id = await create('Public');
    ok(await call('modify_group_base_info', { GroupId: id, Name: 'Renamed', Notification: 'hello', MuteAllMember: 'On' }));
    const [g] = (await call('get_group_info', { GroupIdList: [id] })).GroupInfo as Record<string, unknown>[];
    expect(g).to.include({ Name: 'Renamed', Notification: 'hello', MuteAllMember: 'On' });
    expect(g.InfoSeq).to.equal(2);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `K${i}`, Value: 'v' }));
    expect((await call('modify_group_base_info', { GroupId: id, AppDefinedData: eleven })).ErrorCode).to.equal(10004);
  });

  it('forgets a deleted account at once: it can no longer be added to a group, nor send to one', async () => {
    ok(await rest.call('im_open_login_svc/account_import', { UserID: 'leaver' }));
    const id = await create('Public');
    // Known to be imported: the node's accounts client now remembers it.
    expect((await call('add_group_member', { GroupId: id, MemberList: [{ Member_Account: 'leaver' }] })).MemberList).to.deep.equal([{ Member_Account: 'leaver', Result: 1 }]);
    ok(await call('delete_group_member', { GroupId: id, MemberToDel_Account: ['leaver'] }));
    ok(await rest.call('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'leaver' }] }));
    expect((await call('add_group_member', { GroupId: id, MemberList: [{ Member_Account: 'leaver' }] })).MemberList).to.deep.equal([{ Member_Account: 'leaver', Result: 0 }]);
    expect((await send(id, 'leaver')).ErrorCode).to.equal(10004);
    // Imported again, it is found again without a restart.
    ok(await rest.call('im_open_login_svc/account_import', { UserID: 'leaver' }));
    expect((await call('add_group_member', { GroupId: id, MemberList: [{ Member_Account: 'leaver' }] })).MemberList).to.deep.equal([{ Member_Account: 'leaver', Result: 1 }]);
  });

  it('invites, removes, sets admins, mutes and transfers ownership', async () => {
    const id = await create('Public');
    const added = await call('add_group_member', { GroupId: id, MemberList: [{ Member_Account: 'm3' }, { Member_Account: 'm1' }, { Member_Account: 'ghost' }] });
    expect(added.MemberList).to.deep.equal([{ Member_Account: 'm3', Result: 1 }, { Member_Account: 'm1', Result: 2 }, { Member_Account: 'ghost', Result: 0 }]);
    ok(await call('modify_group_member_info', { GroupId: id, Member_Account: 'm1', Role: 'Admin', NameCard: 'Em', MuteTime: 0 }));
    ok(await call('forbid_send_msg', { GroupId: id, Members_Account: ['m2'], MuteTime: 600 }));
    const muted = await call('get_group_muted_account', { GroupId: id });
    expect((muted.MutedAccountList as { Member_Account: string }[]).map((m) => m.Member_Account)).to.deep.equal(['m2']);
    expect((await send(id, 'm2')).ErrorCode).to.equal(0); // the administrator sends as anyone
    ok(await call('delete_group_member', { GroupId: id, MemberToDel_Account: ['m3'] }));
    ok(await call('change_group_owner', { GroupId: id, NewOwner_Account: 'm1' }));
    const roles = await call('get_role_in_group', { GroupId: id, User_Account: ['owner', 'm1', 'm3'] });
    expect((roles.UserIdList as { Role: string }[]).map((r) => r.Role)).to.deep.equal(['Member', 'Owner', 'NotMember']);
  });

  it('gives messages consecutive sequences, deduplicates resends and stores nothing for AVChatRoom', async () => {
    const id = await create('Public');
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(id, 'm1')));
    answers.forEach(ok);
    expect(answers.map((a) => a.MsgSeq as number).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    const Random = random();
    const first = await send(id, 'm2', { Random });
    const again = await send(id, 'm2', { Random });
    expect(again.MsgSeq).to.equal(first.MsgSeq);
    const page = await history(id);
    expect((page.RspMsgList as unknown[]).length).to.equal(20);
    expect((page.RspMsgList as { MsgSeq: number }[])[0].MsgSeq).to.equal(21);
    const av = await create('AVChatRoom');
    const live = await send(av, 'owner');
    ok(live);
    expect(live.MsgSeq).to.be.above(0); // a live sequence, never stored (test/e2e/avchatroom.test.ts)
    expect((await history(av)).RspMsgList).to.deep.equal([]);
  });

  it('pages history by sequence and marks recalled messages', async () => {
    const id = await create('Work');
    for (let i = 0; i < 5; i++) ok(await send(id, 'm1'));
    const recall = await call('group_msg_recall', { GroupId: id, MsgSeqList: [{ MsgSeq: 2 }, { MsgSeq: 99 }] });
    expect(recall.RecallRetList).to.deep.equal([{ MsgSeq: 2, RetCode: 0 }, { MsgSeq: 99, RetCode: 10030 }]);
    const older = await history(id, { ReqMsgSeq: 3, WithRecalledMsg: 1 });
    expect((older.RspMsgList as { MsgSeq: number; IsPlaceMsg: number }[]).map((m) => [m.MsgSeq, m.IsPlaceMsg])).to.deep.equal([[3, 0], [2, 2], [1, 0]]);
    expect(older.IsFinished).to.equal(1);
    const without = await history(id, { ReqMsgSeq: 3 });
    expect((without.RspMsgList as { MsgSeq: number }[]).map((m) => m.MsgSeq)).to.deep.equal([3, 1]);
  });

  it('refuses a muted member and everyone when all are muted, unless the administrator sends', async () => {
    const id = await create('Public');
    ok(await call('forbid_send_msg', { GroupId: id, Members_Account: ['m1'], MuteTime: 60 }));
    ok(await send(id, 'm1')); // REST administrators are not muted
    ok(await call('forbid_send_msg', { GroupId: id, Members_Account: ['m1'], MuteTime: 0 }));
    expect((await call('get_group_muted_account', { GroupId: id })).MutedAccountList).to.deep.equal([]);
  });

  it('counts unread as the last sequence minus the read sequence, and sets it', async () => {
    const id = await create('Public');
    for (let i = 0; i < 4; i++) ok(await send(id, 'owner'));
    const joined = await call('get_joined_group_list', { Member_Account: 'm2', ResponseFilter: { SelfInfoFilter: ['MsgSeq'] } });
    const item = (joined.GroupIdList as { GroupId: string; SelfInfo: { UnreadMsgNum: number } }[]).find((g) => g.GroupId === id);
    expect(item?.SelfInfo.UnreadMsgNum).to.equal(4);
    ok(await call('set_unread_msg_num', { GroupId: id, Member_Account: 'm2', UnreadMsgNum: 1 }));
    const members = await call('get_group_member_info', { GroupId: id });
    expect((members.MemberList as { Member_Account: string; MsgSeq: number }[]).find((m) => m.Member_Account === 'm2')?.MsgSeq).to.equal(3);
  });

  it('lists joined groups from the user’s feed, hiding Work groups until their first message', async () => {
    const work = await create('Work', { Owner_Account: 'm4', MemberList: [{ Member_Account: 'm3' }] });
    const listOf = async (user: string, extra: object = {}) =>
      ((await call('get_joined_group_list', { Member_Account: user, ...extra })).GroupIdList as { GroupId: string }[]).map((g) => g.GroupId);
    expect(await listOf('m3')).to.not.include(work);
    expect(await listOf('m4')).to.include(work);
    expect(await listOf('m3', { WithNoActiveGroups: 1 })).to.include(work);
    ok(await send(work, 'm4'));
    expect(await listOf('m3')).to.include(work);
    ok(await call('quit_group', { GroupId: work, Member_Account: 'm3' }));
    expect(await listOf('m3')).to.not.include(work);
  });

  it('disbands by the type’s rule: a Work group only by the administrator, and forgets it', async () => {
    const id = await create('Public');
    ok(await call('destroy_group', { GroupId: id }));
    expect((await call('get_group_info', { GroupIdList: [id] })).GroupInfo).to.deep.include({ GroupId: id, ErrorCode: 10010, ErrorInfo: `group ${id} does not exist` });
    expect((await send(id, 'owner')).ErrorCode).to.equal(10010);
  });

  it('imports a group, its members with unread counts, and its messages with their old times', async () => {
    const createTime = Math.floor(Date.now() / 1000) - 86_400;
    const imp = await call('import_group', { Owner_Account: 'owner', Type: 'Public', Name: 'old', CreateTime: createTime });
    ok(imp);
    const id = imp.GroupId as string;
    const msgs = await call('import_group_msg', { GroupId: id, MsgList: [2, 1].map((n) => ({ From_Account: 'owner', SendTime: createTime + n * 60, Random: n, MsgBody: text(`old ${n}`) })) });
    expect((msgs.ImportMsgResult as { MsgSeq: number; Result: number }[]).map((r) => [r.MsgSeq, r.Result])).to.deep.equal([[1, 0], [2, 0]]);
    const members = await call('import_group_member', { GroupId: id, MemberList: [{ Member_Account: 'm1', UnreadMsgNum: 2 }, { Member_Account: 'owner' }] });
    expect(members.MemberList).to.deep.equal([{ Member_Account: 'm1', Result: 1 }, { Member_Account: 'owner', Result: 2 }]);
    const page = await history(id);
    expect((page.RspMsgList as { MsgTimeStamp: number }[]).map((m) => m.MsgTimeStamp)).to.deep.equal([createTime + 120, createTime + 60]);
    expect((await call('import_group', { Type: 'AVChatRoom', Name: 'live' })).ErrorCode).to.equal(10007);
  });

  it('deletes a sender’s messages, answers the online count and sends system notices', async () => {
    const id = await create('Meeting');
    ok(await send(id, 'm1'));
    ok(await send(id, 'm2'));
    ok(await call('delete_group_msg_by_sender', { GroupId: id, Sender_Account: 'm1' }));
    const page = await history(id);
    expect((page.RspMsgList as { From_Account: string; IsPlaceMsg: number }[]).map((m) => [m.From_Account, m.IsPlaceMsg])).to.deep.equal([['m2', 0], ['m1', 1]]);
    expect((await call('get_online_member_num', { GroupId: id })).OnlineMemberNum).to.equal(0);
    ok(await call('send_group_system_notification', { GroupId: id, Content: 'maintenance at noon' }));
  });
  it('lists the app’s groups in creation order, by type, paged with Next, without disbanded ones', async () => {
    const made: string[] = [];
    for (const Type of ['Public', 'Work', 'Public']) made.push((await call('create_group', { Owner_Account: 'owner', Type, Name: `list ${Type}` })).GroupId as string);
    ok(await call('destroy_group', { GroupId: made[2] }));
    const all = await call('get_appid_group_list', {});
    ok(all);
    const ids = (all.GroupIdList as { GroupId: string }[]).map((g) => g.GroupId);
    expect(ids).to.include.members(made.slice(0, 2)).and.not.include(made[2]);
    expect(ids.indexOf(made[0])).to.be.lessThan(ids.indexOf(made[1]));
    expect(all.TotalCount).to.equal(ids.length);
    const publics = (await call('get_appid_group_list', { GroupType: 'Public' })).GroupIdList as { GroupId: string }[];
    expect(publics.map((g) => g.GroupId)).to.include(made[0]).and.not.include(made[1]);
    const first = await call('get_appid_group_list', { Limit: 1 });
    expect(first.GroupIdList as unknown[]).to.have.length(1);
    const second = await call('get_appid_group_list', { Limit: 1, Next: first.Next });
    expect((second.GroupIdList as { GroupId: string }[])[0].GroupId).to.equal(ids[1]);
  });
  it('answers success to messages over the group’s per-second limit but stores only what fits, higher priority first', async () => {
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { messagesPerSecond: 4 } } });
    await new Promise((r) => setTimeout(r, 100));
    try {
      const id = await create('Public');
      // Start at a second's beginning so the burst falls in one window.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
      const low = await Promise.all(Array.from({ length: 6 }, () => send(id, 'm1', { MsgPriority: 'Low' })));
      const high = await Promise.all(Array.from({ length: 3 }, () => send(id, 'm2', { MsgPriority: 'High' })));
      [...low, ...high].forEach(ok);
      const stored = (await history(id)).RspMsgList as { From_Account: string; MsgBody: unknown[] }[];
      const messages = stored.filter((m) => m.From_Account === 'm1' || m.From_Account === 'm2');
      expect(messages.filter((m) => m.From_Account === 'm1')).to.have.length(2); // Low may use 70 % of 4
      expect(messages.filter((m) => m.From_Account === 'm2')).to.have.length(2); // High takes what is left
    } finally {
      await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { messagesPerSecond: 40 } } });
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
