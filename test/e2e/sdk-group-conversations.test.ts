/**
 * Group conversations in the server's conversation list, with Tencent's real web SDK: a fresh
 * device lists them with last message and unread count (recentcontact.page_get), REST
 * get_list lists them, and deleting or clearing one does what the user asked — gone until the
 * next message, history cleared on their side only.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, until, type Parley } from './ws-harness';

interface Conv {
  conversationID: string;
  unreadCount: number;
  lastMessage: { payload?: { text?: string }; fromAccount: string };
}
type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

describe('SDK group conversations in the list (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let random = 1;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const convs = async (c: SdkClient) => ((await c.chat.getConversationList()).data as { conversationList: Conv[] }).conversationList;
  const say = async (groupId: string, from: string, t: string) => expect((await rest('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: from, Random: random++, MsgBody: text(t) })).ErrorCode).to.equal(0);
  const group = async (name: string) => {
    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'gcalice', Type: 'Public', Name: name, MemberList: [{ Member_Account: 'gcbob' }] });
    expect(created.ErrorCode).to.equal(0);
    return created.GroupId as string;
  };
  const listed = async (user: string) => ((await rest('recentcontact/get_list', { From_Account: user, TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: 7 })).SessionItem as { Type: number; GroupId?: string; To_Account?: string; UnreadMsgCount: number }[]);

  before(async () => {
    parley = await startParley({}, 1400000094);
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['gcalice', 'gcbob'] });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  it('lists group conversations with last message and unread on a fresh device and over REST, merged by time with one-to-one ones', async () => {
    const groupId = await group('list');
    await say(groupId, 'gcalice', 'one');
    await say(groupId, 'gcalice', 'two');
    await rest('openim/sendmsg', { From_Account: 'gcalice', To_Account: 'gcbob', MsgRandom: random++, MsgBody: text('direct'), SyncOtherMachine: 2 });
    const items = await listed('gcbob');
    expect(items.map((i) => [i.Type, i.GroupId ?? i.To_Account, i.UnreadMsgCount])).to.deep.equal([[1, 'gcalice', 1], [2, groupId, 2]]);
    const bob = await login('gcbob');
    await until('the list arrives', async () => (await convs(bob)).length === 2);
    const conv = (await convs(bob)).find((c) => c.conversationID === `GROUP${groupId}`);
    expect(conv?.lastMessage.payload?.text).to.equal('two');
    expect(conv?.unreadCount).to.equal(2);
  });

  it('deletes a group conversation until the next message, and clears its history on one side only', async () => {
    const groupId = await group('delete');
    await say(groupId, 'gcalice', 'old');
    const bob = await login('gcbob');
    await until('the group conversation arrives', async () => (await convs(bob)).some((c) => c.conversationID === `GROUP${groupId}`));
    // The SDK deletes a group conversation on the server only once the group is in its own group
    // list (before that, only its local copy: rmLocalOnlyConvList); its group list and its
    // conversation list arrive independently after login.
    await until('the SDK knows the group', async () => ((await bob.chat.getGroupList()).data as { groupList: { groupID: string }[] }).groupList.some((g) => g.groupID === groupId));
    await bob.chat.deleteConversation(`GROUP${groupId}`);
    expect((await listed('gcbob')).some((i) => i.GroupId === groupId)).to.equal(false);
    const other = await login('gcbob');
    await until('the list arrives', async () => (await convs(other)).length > 0);
    expect((await convs(other)).map((c) => c.conversationID)).not.to.include(`GROUP${groupId}`);
    await say(groupId, 'gcalice', 'new');
    expect((await listed('gcbob')).find((i) => i.GroupId === groupId)?.UnreadMsgCount).to.equal(2);

    await bob.chat.clearHistoryMessage(`GROUP${groupId}`);
    const fresh = await login('gcbob');
    const history = ((await fresh.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: { payload: { text?: string } }[] }).messageList;
    expect(history.map((m) => m.payload.text).filter(Boolean)).to.deep.equal([]);
    const alice = await login('gcalice');
    const hers = ((await alice.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: { payload: { text?: string } }[] }).messageList;
    expect(hers.map((m) => m.payload.text).filter(Boolean)).to.deep.equal(['old', 'new']);
    await say(groupId, 'gcalice', 'after');
    const again = ((await fresh.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: { payload: { text?: string } }[] }).messageList;
    expect(again.map((m) => m.payload.text).filter(Boolean)).to.include('after');
  });
});
