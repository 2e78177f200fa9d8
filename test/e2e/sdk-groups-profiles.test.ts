/**
 * Groups with Tencent's real web SDK, beyond the basic flow of sdk-groups.test.ts: stored tips
 * in history, the sender's nick, avatar and name card on messages, the join-request list and its
 * handling, search by id, and custom group and member fields.
 */
import { expect } from 'chai';
import { createSdkClient, messageReceived, sendTextMessage, type SdkClient } from '../support/sdk';
import { sleep, startParley, until, type Parley } from './ws-harness';

interface Msg {
  ID: string;
  type: string;
  from: string;
  sequence: number;
  nick: string;
  avatar: string;
  nameCard: string;
  payload: Record<string, unknown>;
}

const G = 'group_open_http_svc';

describe('SDK groups: tips, sender profiles, applications, search, custom fields (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients = new Map<string, SdkClient>();

  /** One logged-in SDK client per user for the whole file. */
  const login = async (userId: string) => {
    const known = clients.get(userId);
    if (known) return known;
    const client = await createSdkClient({ sdkAppId: parley.sdkAppId, userId, userSig: parley.sig(userId), proxyServer: parley.proxyServer });
    clients.set(userId, client);
    await client.login();
    return client;
  };
  const sendText = (c: SdkClient, groupID: string, text: string) => sendTextMessage<Msg>(c, groupID, text, 'GROUP');
  const receivedOn = (c: SdkClient, id: string) => messageReceived<Msg>(c, id);
  const rest = async (cmd: string, body: object) => {
    const a = await parley.rest<{ ErrorCode: number; ErrorInfo: string } & Record<string, unknown>>(`${G}/${cmd}`, body);
    return a;
  };
  const ok = async (cmd: string, body: object) => {
    const a = await rest(cmd, body);
    expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
    return a;
  };

  before(async () => {
    parley = await startParley({}, 1400000078);
    const imported = await parley.rest<{ ErrorCode: number }>('im_open_login_svc/multiaccount_import', { Accounts: ['powner', 'pmember', 'papplicant', 'pstranger'] });
    expect(imported.ErrorCode).to.equal(0);
    for (const [Identifier, Nick] of [['powner', 'Olivia'], ['pmember', 'Max']]) {
      const a = await parley.rest<{ ErrorCode: number }>('im_open_login_svc/account_import', { Identifier, Nick, FaceUrl: `https://faces.example/${Identifier}.png` });
      expect(a.ErrorCode).to.equal(0);
    }
  });
  after(async () => {
    await Promise.all([...clients.values()].map((c) => c.destroy()));
    await parley?.stop();
  });

  it('shows stored tips in history as group tip elements with their operation and accounts', async () => {
    const created = await ok('create_group', { Owner_Account: 'powner', Type: 'Public', Name: 'Tips', GroupId: 'tips-group' });
    expect(created.GroupId).to.equal('tips-group');
    await ok('add_group_member', { GroupId: 'tips-group', MemberList: [{ Member_Account: 'pmember' }] });
    await ok('modify_group_base_info', { GroupId: 'tips-group', Notification: 'read the rules' });
    await ok('send_group_msg', { GroupId: 'tips-group', From_Account: 'powner', Random: 11, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }] });

    const member = await login('pmember');
    const T = member.TencentCloudChat.TYPES;
    const list = (await member.chat.getMessageList({ conversationID: 'GROUPtips-group' })) as { data: { messageList: Msg[] } };
    const tips = list.data.messageList.filter((m) => m.type === T.MSG_GRP_TIP);
    expect(tips.map((m) => (m.payload as { operationType: number }).operationType)).to.deep.equal([T.GRP_TIP_MBR_JOIN, T.GRP_TIP_GRP_PROFILE_UPDATED]);
    expect(tips[0].payload).to.include({ operatorID: 'administrator' });
    expect((tips[0].payload as { userIDList: string[] }).userIDList).to.deep.equal(['pmember']);
    expect((tips[0].payload as { memberList: { userID: string; nick: string; avatar: string; muteTime: number }[] }).memberList).to.deep.equal([{ userID: 'pmember', nick: 'Max', avatar: 'https://faces.example/pmember.png', muteTime: 0 }]);
    expect((tips[1].payload as { newGroupProfile: Record<string, unknown> }).newGroupProfile).to.include({ notification: 'read the rules' });
    const texts = list.data.messageList.filter((m) => m.type === T.MSG_TEXT);
    expect(texts.map((m) => m.payload.text)).to.deep.equal(['hello']);
    expect(list.data.messageList.map((m) => m.sequence)).to.deep.equal([1, 2, 3]);
  });

  it("carries the sender's nick, avatar and name card on pushed and stored group messages", async () => {
    await ok('create_group', { Owner_Account: 'powner', Type: 'Public', Name: 'Nicks', GroupId: 'nick-group', MemberList: [{ Member_Account: 'pmember', NameCard: 'Max the member' }] });
    const owner = await login('powner');
    const member = await login('pmember');
    await until('the owner sees the group', async () => ((await owner.chat.getGroupList()) as { data: { groupList: { groupID: string }[] } }).data.groupList.some((g) => g.groupID === 'nick-group'));

    const sent = await sendText(member, 'nick-group', 'who am I');
    const got = await receivedOn(owner, sent.ID);
    expect(got).to.include({ from: 'pmember', nick: 'Max', avatar: 'https://faces.example/pmember.png', nameCard: 'Max the member' });

    await ok('add_group_member', { GroupId: 'nick-group', MemberList: [{ Member_Account: 'pstranger' }] });
    await ok('send_group_msg', { GroupId: 'nick-group', From_Account: 'powner', Random: 12, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from the owner' } }] });
    const fresh = await login('pstranger');
    const history = (await fresh.chat.getMessageList({ conversationID: 'GROUPnick-group' })) as { data: { messageList: Msg[] } };
    const text = history.data.messageList.find((m) => m.type === fresh.TencentCloudChat.TYPES.MSG_TEXT)!;
    expect(text).to.include({ from: 'powner', nick: 'Olivia', avatar: 'https://faces.example/powner.png' });
  });

  it('lists join requests to the groups a user manages and approves and refuses them with the SDK', async () => {
    await ok('create_group', { Owner_Account: 'powner', Type: 'Public', Name: 'Club', GroupId: 'apply-group', MemberList: [{ Member_Account: 'pmember' }] });
    await ok('modify_group_member_info', { GroupId: 'apply-group', Member_Account: 'pmember', Role: 'Admin' });
    await ok('create_group', { Owner_Account: 'pmember', Type: 'Public', Name: 'Other', GroupId: 'apply-other' });
    const owner = await login('powner');
    const admin = await login('pmember');
    const applicant = await login('papplicant');
    const stranger = await login('pstranger');
    const T = owner.TencentCloudChat.TYPES;

    const joined = (await applicant.chat.joinGroup({ groupID: 'apply-group', applyMessage: 'please' })) as { data: { status: string } };
    expect(joined.data.status).to.equal(T.JOIN_STATUS_WAIT_APPROVAL);
    await stranger.chat.joinGroup({ groupID: 'apply-group', applyMessage: 'me too' });
    await stranger.chat.joinGroup({ groupID: 'apply-other', applyMessage: 'elsewhere' });

    type Application = { applicant: string; groupID: string; groupName: string; note: string; applicationType: number; applicantNick: string };
    const list = async (c: SdkClient) => ((await c.chat.getGroupApplicationList()) as { data: { applicationList: Application[] } }).data.applicationList;
    const ownerSees = await list(owner);
    expect(ownerSees.map((a) => `${a.groupID}:${a.applicant}:${a.note}`)).to.deep.equal(['apply-group:papplicant:please', 'apply-group:pstranger:me too']);
    expect(ownerSees[0]).to.include({ groupName: 'Club', applicationType: 0 });
    expect((await list(admin)).map((a) => `${a.groupID}:${a.applicant}`)).to.deep.equal(['apply-group:papplicant', 'apply-group:pstranger', 'apply-other:pstranger']);
    expect(await list(applicant)).to.deep.equal([]);

    await admin.chat.handleGroupApplication({ handleAction: 'Agree', application: ownerSees[0] } as never);
    await owner.chat.handleGroupApplication({ handleAction: 'Reject', handleMessage: 'no', application: ownerSees[1] } as never);
    expect((await list(owner)).map((a) => a.applicant)).to.deep.equal([]);
    const roles = await rest('get_role_in_group', { GroupId: 'apply-group', User_Account: ['papplicant', 'pstranger'] });
    expect(roles.UserIdList).to.deep.equal([{ Member_Account: 'papplicant', Role: 'Member' }, { Member_Account: 'pstranger', Role: 'NotMember' }]);
    // The approval notice makes the applicant's SDK fetch the group and list it.
    await until('the applicant lists the group', async () => ((await applicant.chat.getGroupList()) as { data: { groupList: { groupID: string }[] } }).data.groupList.some((g) => g.groupID === 'apply-group'));
    const again = await owner.chat.handleGroupApplication({ handleAction: 'Agree', application: ownerSees[1] } as never).then(() => 0, (e: { code: number }) => e.code);
    expect(again).to.equal(10024);
  });

  it('serves Communities, which the SDK addresses to million_group_open_http_svc: requests, approval, messages, history', async () => {
    await ok('create_group', { Owner_Account: 'powner', Type: 'Community', Name: 'Guild', GroupId: '@TGS#_guild', ApplyJoinOption: 'NeedPermission' });
    const owner = await login('powner');
    const applicant = await login('papplicant');
    const T = owner.TencentCloudChat.TYPES;
    const joined = (await applicant.chat.joinGroup({ groupID: '@TGS#_guild', applyMessage: 'guild please' })) as { data: { status: string } };
    expect(joined.data.status).to.equal(T.JOIN_STATUS_WAIT_APPROVAL);
    const list = ((await owner.chat.getGroupApplicationList()) as { data: { applicationList: { applicant: string; groupID: string; note: string }[] } }).data.applicationList;
    const mine = list.filter((a) => a.groupID === '@TGS#_guild');
    expect(mine.map((a) => `${a.applicant}:${a.note}`)).to.deep.equal(['papplicant:guild please']);
    await owner.chat.handleGroupApplication({ handleAction: 'Agree', application: mine[0] } as never);
    const roles = await rest('get_role_in_group', { GroupId: '@TGS#_guild', User_Account: ['papplicant'] });
    expect(roles.UserIdList).to.deep.equal([{ Member_Account: 'papplicant', Role: 'Member' }]);

    await ok('send_group_msg', { GroupId: '@TGS#_guild', From_Account: 'powner', Random: 21, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'welcome to the guild' } }] });
    const history = (await applicant.chat.getMessageList({ conversationID: 'GROUP@TGS#_guild' })) as { data: { messageList: Msg[] } };
    expect(history.data.messageList.filter((m) => m.type === T.MSG_TEXT).map((m) => m.payload.text)).to.deep.equal(['welcome to the guild']);
    const found = (await applicant.chat.searchGroupByID('@TGS#_guild')) as { data: { group: { name: string } } };
    expect(found.data.group.name).to.equal('Guild');
  });

  it("holds a member's invitation for approval when InviteJoinOption is NeedPermission, and joins the invitee once approved", async () => {
    const imported = await parley.rest<{ ErrorCode: number }>('im_open_login_svc/multiaccount_import', { Accounts: ['pinviter', 'pinvitee', 'pinvitee2'] });
    expect(imported.ErrorCode).to.equal(0);
    await ok('create_group', { Owner_Account: 'powner', Type: 'Community', Name: 'Careful', GroupId: '@TGS#_careful', InviteJoinOption: 'NeedPermission', MemberList: [{ Member_Account: 'pinviter' }] });
    const inviter = await login('pinviter');
    const owner = await login('powner');
    await until('the inviter has the Community', async () => ((await inviter.chat.getGroupList()) as { data: { groupList: { groupID: string }[] } }).data.groupList.some((g) => g.groupID === '@TGS#_careful'));
    const added = (await inviter.chat.addGroupMember({ groupID: '@TGS#_careful', userIDList: ['pinvitee', 'pinvitee2'] })) as { data: { successUserIDList: string[] } };
    expect(added.data.successUserIDList).to.deep.equal([]);
    const roles = async () => ((await rest('get_role_in_group', { GroupId: '@TGS#_careful', User_Account: ['pinvitee', 'pinvitee2'] })).UserIdList as { Role: string }[]).map((r) => r.Role);
    expect(await roles()).to.deep.equal(['NotMember', 'NotMember']);

    type Application = { applicant: string; groupID: string; applicationType: number; userID: string };
    const waiting = ((await owner.chat.getGroupApplicationList()) as { data: { applicationList: Application[] } }).data.applicationList.filter((a) => a.groupID === '@TGS#_careful');
    expect(waiting.map((a) => `${a.applicant}>${a.userID}:${a.applicationType}`)).to.deep.equal(['pinviter>pinvitee:2', 'pinviter>pinvitee2:2']);
    await owner.chat.handleGroupApplication({ handleAction: 'Agree', application: waiting[0] } as never);
    await owner.chat.handleGroupApplication({ handleAction: 'Reject', application: waiting[1] } as never);
    expect(await roles()).to.deep.equal(['Member', 'NotMember']);
    const after = ((await owner.chat.getGroupApplicationList()) as { data: { applicationList: Application[] } }).data.applicationList.filter((a) => a.groupID === '@TGS#_careful');
    expect(after).to.deep.equal([]);
  });

  it('finds groups by id with their public profile, except Work groups for non-members', async () => {
    await ok('create_group', { Owner_Account: 'powner', Type: 'Public', Name: 'Findable', GroupId: 'find-public', Introduction: 'come in' });
    await ok('create_group', { Owner_Account: 'powner', Type: 'Private', Name: 'Hidden', GroupId: 'find-work' });
    await ok('create_group', { Owner_Account: 'powner', Type: 'AVChatRoom', Name: 'Live', GroupId: 'find-live' });
    const stranger = await login('pstranger');
    const T = stranger.TencentCloudChat.TYPES;
    const found = (await stranger.chat.searchGroupByID('find-public')) as { data: { group: { groupID: string; name: string; type: string; introduction: string; ownerID: string; memberCount: number; joinOption: string } } };
    expect(found.data.group).to.include({ groupID: 'find-public', name: 'Findable', type: T.GRP_PUBLIC, introduction: 'come in', ownerID: 'powner', memberCount: 1, joinOption: 'NeedPermission' });
    const live = (await stranger.chat.searchGroupByID('find-live')) as { data: { group: { type: string } } };
    expect(live.data.group.type).to.equal(T.GRP_AVCHATROOM);
    const refused = (id: string) => stranger.chat.searchGroupByID(id).then(() => 0, (e: { code: number }) => e.code);
    expect(await refused('find-work')).to.equal(10007);
    expect(await refused('no-such-group')).to.equal(10010);
    const owner = await login('powner');
    const own = (await owner.chat.searchGroupByID('find-work')) as { data: { group: { type: string } } };
    expect(own.data.group.type).to.equal(T.GRP_WORK);
  });

  it('writes and reads custom group and member fields within their permissions', async () => {
    await parley.broker.call('apps.update', {
      sdkAppId: parley.sdkAppId,
      settings: {
        groups: {
          groupFields: [
            { key: 'Level', read: 'Anyone', write: 'AppAdmin' },
            { key: 'Topic', read: 'Member', write: 'Member' },
            { key: 'Budget', read: 'Owner', write: 'Owner' },
          ],
          memberFields: [
            { key: 'Rank', read: 'Member', write: 'Admin', selfWrite: false },
            { key: 'Mood', read: 'Member', write: 'Owner' },
          ],
        },
      },
    });
    await ok('create_group', { Owner_Account: 'powner', Type: 'Public', Name: 'Fields', GroupId: 'field-group', AppDefinedData: [{ Key: 'Level', Value: '7' }, { Key: 'Budget', Value: '100' }], MemberList: [{ Member_Account: 'pmember', AppMemberDefinedData: [{ Key: 'Rank', Value: 'gold' }] }] });
    const owner = await login('powner');
    const member = await login('pmember');
    type Field = { key: string; value: string };
    // The SDK allows itself 8 profile reads a second and counts its own (2996 beyond): wait once.
    const profileOf = (c: SdkClient) => c.chat.getGroupProfile({ groupID: 'field-group' }).catch(async (e: { code: number }) => (e.code === 2996 ? (await sleep(1100), c.chat.getGroupProfile({ groupID: 'field-group' })) : Promise.reject(e)));
    const groupFields = async (c: SdkClient) => ((await profileOf(c)) as { data: { group: { groupCustomField: Field[] } } }).data.group.groupCustomField;
    const refusedWith = (p: Promise<unknown>) => p.then(() => 0, (e: { code: number }) => e.code);

    await member.chat.updateGroupProfile({ groupID: 'field-group', groupCustomField: [{ key: 'Topic', value: 'cats' }] } as never);
    expect(await refusedWith(member.chat.updateGroupProfile({ groupID: 'field-group', groupCustomField: [{ key: 'Level', value: '8' }] } as never))).to.equal(10007);
    expect(await refusedWith(owner.chat.updateGroupProfile({ groupID: 'field-group', groupCustomField: [{ key: 'Nope', value: '1' }] } as never))).to.equal(10004);

    const seenByMember = await groupFields(member);
    expect(seenByMember.map((f) => `${f.key}=${f.value}`).sort()).to.deep.equal(['Level=7', 'Topic=cats']);
    const seenByOwner = await groupFields(owner);
    expect(seenByOwner.map((f) => `${f.key}=${f.value}`).sort()).to.deep.equal(['Budget=100', 'Level=7', 'Topic=cats']);

    await member.chat.setGroupMemberCustomField({ groupID: 'field-group', memberCustomField: [{ key: 'Mood', value: 'happy' }] } as never);
    expect(await refusedWith(member.chat.setGroupMemberCustomField({ groupID: 'field-group', memberCustomField: [{ key: 'Rank', value: 'platinum' }] } as never))).to.equal(10007);
    expect(await refusedWith(member.chat.setGroupMemberCustomField({ groupID: 'field-group', memberCustomField: [{ key: 'Mood', value: 'x'.repeat(65) }] } as never))).to.equal(10004);
    const profile = (await owner.chat.getGroupMemberProfile({ groupID: 'field-group', userIDList: ['pmember'], memberCustomFieldFilter: ['Rank', 'Mood'] })) as { data: { memberList: { userID: string; memberCustomField: Field[] }[] } };
    expect(profile.data.memberList).to.have.length(1);
    expect(profile.data.memberList[0].memberCustomField.map((f) => `${f.key}=${f.value}`).sort()).to.deep.equal(['Mood=happy', 'Rank=gold']);
  });
});
