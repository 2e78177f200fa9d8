/**
 * Groups with Tencent's real web SDK, beyond the basic flow of sdk-groups.test.ts: stored tips
 * in history, the sender's nick, avatar and name card on messages, the join-request list and its
 * handling, search by id, and custom group and member fields.
 */
import { expect } from 'chai';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { startParley, until, type Parley } from './ws-harness';

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
  const sendText = async (c: SdkClient, groupID: string, text: string) => {
    const message = c.chat.createTextMessage({ to: groupID, conversationType: c.TencentCloudChat.TYPES.CONV_GROUP, payload: { text } });
    return ((await c.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
  };
  const receivedOn = async (c: SdkClient, id: string) => {
    const batch = (await c.events.waitFor(c.TencentCloudChat.EVENT.MESSAGE_RECEIVED, { where: (d) => (d as Msg[]).some((m) => m.ID === id) })) as Msg[];
    return batch.find((m) => m.ID === id)!;
  };
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
    const groupFields = async (c: SdkClient) => ((await c.chat.getGroupProfile({ groupID: 'field-group' })) as { data: { group: { groupCustomField: Field[] } } }).data.group.groupCustomField;
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
