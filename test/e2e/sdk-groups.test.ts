/**
 * Groups with Tencent's real web SDK: two users in a Public group — create, apply and approve,
 * send, receive, history, recall — against a real embedded node.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

interface Msg {
  ID: string;
  type: string;
  flow: string;
  from: string;
  to: string;
  sequence: number;
  conversationID: string;
  payload: Record<string, unknown>;
  isRevoked: boolean;
}

describe('SDK groups (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];

  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const sendText = (c: SdkClient, groupID: string, text: string) => sendTextMessage<Msg>(c, groupID, text, 'GROUP');
  const receivedOn = (c: SdkClient, id: string) => messageReceived<Msg>(c, id);

  before(async () => {
    parley = await startParley({}, 1400000077);
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['gowner', 'gjoiner'] });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('creates a Public group, lets a user apply, approves, and exchanges, pages and recalls messages', async () => {
    const owner = await login('gowner');
    const joiner = await login('gjoiner');
    const T = owner.TencentCloudChat.TYPES;

    const created = (await owner.chat.createGroup({ type: T.GRP_PUBLIC, name: 'Readers' })) as { data: { group: { groupID: string; type: string } } };
    const groupID = created.data.group.groupID;
    expect(groupID).to.match(/^@TGS#/);
    expect(created.data.group.type).to.equal(T.GRP_PUBLIC);

    const applied = (await joiner.chat.joinGroup({ groupID, applyMessage: 'let me in' })) as { data: { status: string } };
    expect(applied.data.status).to.equal(T.JOIN_STATUS_WAIT_APPROVAL);
    const approve = await parley.rest<{ ErrorCode: number }>('group_open_http_svc/handle_apply_join_group', { GroupId: groupID, Applicant_Account: 'gjoiner', HandleMsg: 'Agree' });
    expect(approve.ErrorCode).to.equal(0);

    const profile = (await joiner.chat.getGroupProfile({ groupID })) as { data: { group: { name: string; memberCount: number; selfInfo: { role: string } } } };
    expect(profile.data.group).to.include({ name: 'Readers', memberCount: 2 });
    const members = (await owner.chat.getGroupMemberList({ groupID, count: 30 })) as { data: { memberList: { userID: string; role: string }[] } };
    expect(members.data.memberList.map((m) => `${m.userID}:${m.role}`).sort()).to.deep.equal(['gjoiner:Member', 'gowner:Owner']);

    const sent = await sendText(owner, groupID, 'welcome');
    expect(sent.sequence).to.be.a('number').above(0);
    const got = await receivedOn(joiner, sent.ID);
    expect(got).to.include({ from: 'gowner', to: groupID, conversationID: `GROUP${groupID}`, flow: 'in', sequence: sent.sequence });
    expect(got.payload).to.deep.equal({ text: 'welcome' });

    const reply = await sendText(joiner, groupID, 'thanks');
    await receivedOn(owner, reply.ID);

    const list = (await joiner.chat.getMessageList({ conversationID: `GROUP${groupID}` })) as { data: { messageList: Msg[]; isCompleted: boolean } };
    const texts = list.data.messageList.filter((m) => m.type === T.MSG_TEXT).map((m) => m.payload.text);
    expect(texts).to.include.members(['welcome', 'thanks']);

    await joiner.chat.revokeMessage(reply as never);
    const revoked = (await owner.events.waitFor(owner.TencentCloudChat.EVENT.MESSAGE_REVOKED)) as Msg[];
    expect(revoked.map((m) => m.ID)).to.include(reply.ID);

    const groups = (await joiner.chat.getGroupList()) as { data: { groupList: { groupID: string }[] } };
    expect(groups.data.groupList.map((g) => g.groupID)).to.include(groupID);
    await joiner.chat.quitGroup(groupID);
    const after = (await parley.rest<{ UserIdList: { Role: string }[] }>('group_open_http_svc/get_role_in_group', { GroupId: groupID, User_Account: ['gjoiner'] }));
    expect(after.UserIdList[0].Role).to.equal('NotMember');
  });
});
