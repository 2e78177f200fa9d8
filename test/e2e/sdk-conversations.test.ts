/**
 * Conversation settings with Tencent's real web SDK against an embedded node: what the SDK asks
 * when a conversation appears (search_contact_group, get_c2c_peer_mute_notifications), pins,
 * marks, custom data, conversation groups and do-not-disturb — each reaching the user's other
 * devices by push and a fresh device through the conversation list — and the REST commands
 * with their limits.
 */
import { expect } from 'chai';
import { sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, until, type Parley } from './ws-harness';

interface Conv {
  conversationID: string;
  isPinned: boolean;
  markList: number[];
  customData: string;
  conversationGroupList: string[];
  messageRemindType: string;
}

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;

describe('SDK conversation settings (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const convOf = async (c: SdkClient, id: string) => ((await c.chat.getConversationProfile(id)).data as { conversation: Conv }).conversation;
  /** Waits until `c`'s conversation `id` satisfies `check` (pushes and follow-up requests land asynchronously). */
  const convBecomes = async (c: SdkClient, id: string, what: string, check: (conv: Conv) => boolean) => {
    await until(what, async () => check(await convOf(c, id)), 5000);
    return convOf(c, id);
  };

  before(async () => {
    parley = await startParley({}, 1400000091);
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['cvalice', 'cvbob', 'cvcarol', 'cvdave'] });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  it('answers what the SDK asks when a conversation appears: marks, groups and do-not-disturb set by REST show on the new conversation', async () => {
    expect((await rest('openim/set_c2c_peer_mute_notifications', { From_Account: 'cvbob', Peer_Account: ['cvalice'], Mute_Notifications: 2 })).ErrorCode).to.equal(0);
    const marked = await rest('recentcontact/mark_contact', { From_Account: 'cvbob', MarkItem: [{ OptType: 3, ContactItem: { Type: 1, To_Account: 'cvalice' }, SetMark: [0], CustomMark: 'vip' }] });
    expect(marked.ErrorCode).to.equal(0);
    const created = await rest('recentcontact/create_contact_group', { From_Account: 'cvbob', GroupContactItem: [{ GroupName: 'work', ContactItem: [{ Type: 1, To_Account: 'cvalice' }] }] });
    expect(created.ErrorCode).to.equal(0);
    const [alice, bob] = [await login('cvalice'), await login('cvbob')];
    await sendTextMessage(alice, 'cvbob', 'hello', 'C2C');
    const conv = await convBecomes(bob, 'C2Ccvalice', 'the new conversation carries its settings', (c) => c.customData === 'vip' && c.messageRemindType === 'AcceptNotNotify');
    expect(conv).to.deep.include({ markList: [1], customData: 'vip', conversationGroupList: ['work'], messageRemindType: 'AcceptNotNotify' });
  });

  it('pins a conversation on one device, the others follow, and a fresh device lists it pinned with its marks and groups', async () => {
    const alice = await login('cvalice');
    await sendTextMessage(alice, 'cvcarol', 'hi carol', 'C2C');
    const [carol1, carol2] = [await login('cvcarol'), await login('cvcarol')];
    await convBecomes(carol2, 'C2Ccvalice', 'the second device has the conversation', () => true);
    await carol1.chat.pinConversation({ conversationID: 'C2Ccvalice', isPinned: true });
    await convBecomes(carol2, 'C2Ccvalice', 'the pin reaches the other device', (c) => c.isPinned);
    await carol1.chat.markConversation({ conversationIDList: ['C2Ccvalice'], markType: 1 /* TYPES.CONV_MARK_TYPE_STAR */, enableMark: true });
    await carol1.chat.setConversationCustomData({ conversationIDList: ['C2Ccvalice'], customData: 'draft-ish' });
    await carol1.chat.createConversationGroup({ groupName: 'friends', conversationIDList: ['C2Ccvalice'] });
    await convBecomes(carol2, 'C2Ccvalice', 'marks, custom data and groups reach the other device', (c) => c.markList.includes(1) && c.customData === 'draft-ish' && c.conversationGroupList.includes('friends'));
    const fresh = await login('cvcarol');
    const conv = await convBecomes(fresh, 'C2Ccvalice', 'a fresh device gets everything from the server', (c) => c.isPinned && c.conversationGroupList.length > 0);
    expect(conv).to.deep.include({ isPinned: true, markList: [1], customData: 'draft-ish', conversationGroupList: ['friends'] });
    const search = await rest('recentcontact/search_contact_group', { From_Account: 'cvcarol', ContactItem: [{ Type: 1, To_Account: 'cvalice' }] });
    expect(search.ContactResultItem).to.deep.equal([{ Type: 1, To_Account: 'cvalice', StandardMark: '1', CustomMark: 'draft-ish', ContactGroupId: [1], Timestamp: (search.ContactResultItem as { Timestamp: number }[])[0].Timestamp }]);
    const list = await rest('recentcontact/get_list', { From_Account: 'cvcarol' });
    expect(list.SessionItem).to.deep.include.members([{ Type: 1, To_Account: 'cvalice', MsgTime: (list.SessionItem as { MsgTime: number }[])[0].MsgTime, TopFlag: 1, UnreadMsgCount: 1 }]);
  });

  it('renames, fills, empties and deletes conversation groups, and every device follows', async () => {
    const alice = await login('cvalice');
    await sendTextMessage(alice, 'cvdave', 'one', 'C2C');
    const [dave1, dave2] = [await login('cvdave'), await login('cvdave')];
    await convBecomes(dave2, 'C2Ccvalice', 'the second device has the conversation', () => true);
    await dave1.chat.createConversationGroup({ groupName: 'g1', conversationIDList: ['C2Ccvalice'] });
    await dave1.chat.renameConversationGroup({ oldName: 'g1', newName: 'g2' });
    await convBecomes(dave2, 'C2Ccvalice', 'the rename reaches the other device', (c) => c.conversationGroupList.includes('g2'));
    expect((await dave2.chat.getConversationGroupList()).data).to.deep.equal(['g2']);
    await dave1.chat.deleteConversationsFromGroup({ groupName: 'g2', conversationIDList: ['C2Ccvalice'] });
    await convBecomes(dave2, 'C2Ccvalice', 'the removal reaches the other device', (c) => c.conversationGroupList.length === 0);
    await dave1.chat.addConversationsToGroup({ groupName: 'g2', conversationIDList: ['C2Ccvalice'] });
    await convBecomes(dave2, 'C2Ccvalice', 'the addition reaches the other device', (c) => c.conversationGroupList.includes('g2'));
    await dave1.chat.deleteConversationGroup('g2');
    await convBecomes(dave2, 'C2Ccvalice', 'the deletion reaches the other device', (c) => c.conversationGroupList.length === 0);
    await until('the group list empties on the other device', async () => ((await dave2.chat.getConversationGroupList()).data as string[]).length === 0);
    const groups = await rest('recentcontact/get_contact_group', { From_Account: 'cvdave' });
    expect(groups).to.deep.include({ GroupItem: [], ContactItem: [], CompleteFlag: 1 });
  });

  it('sets one-to-one do-not-disturb and quiet hours from the SDK, and the other device and REST see them', async () => {
    const alice = await login('cvalice');
    await sendTextMessage(alice, 'cvdave', 'two', 'C2C');
    const [dave1, dave2] = [await login('cvdave'), await login('cvdave')];
    await convBecomes(dave2, 'C2Ccvalice', 'the second device has the conversation', () => true);
    const T = dave1.TencentCloudChat.TYPES;
    await dave1.chat.setMessageRemindType({ userIDList: ['cvalice'], messageRemindType: T.MSG_REMIND_DISCARD });
    await convBecomes(dave2, 'C2Ccvalice', 'do-not-disturb reaches the other device', (c) => c.messageRemindType === T.MSG_REMIND_DISCARD);
    const mute = await rest('openim/get_c2c_peer_mute_notifications', { To_Account: 'cvdave', Peer_Account: ['cvalice', 'cvbob'] });
    expect(mute.MuteNotificationsList).to.deep.equal([{ Peer_Account: 'cvalice', MuteNotifications: 1 }, { Peer_Account: 'cvbob', MuteNotifications: 0 }]);

    await dave1.chat.setAllReceiveMessageOpt({ messageRemindType: T.MSG_REMIND_ACPT_NOT_NOTE, startHour: 22, duration: 8 * 3600 });
    const pushed = (await dave2.events.waitFor(dave2.TencentCloudChat.EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED)) as { messageRemindType: string; endTime: number; startTime: number; isRepeated: boolean };
    expect(pushed).to.include({ messageRemindType: T.MSG_REMIND_ACPT_NOT_NOTE, isRepeated: true });
    expect(pushed.endTime - pushed.startTime).to.equal(8 * 3600);
    expect((await dave2.chat.getAllReceiveMessageOpt()).data).to.deep.equal(pushed);
  });

  describe('REST limits', () => {
    it('refuses a 21st conversation group with 51008 and keeps the 20', async () => {
      for (let i = 0; i < 20; i++) expect((await rest('recentcontact/create_contact_group', { From_Account: 'cvlimits', GroupContactItem: [{ GroupName: `g${i}` }] })).ErrorCode).to.equal(0);
      expect((await rest('recentcontact/create_contact_group', { From_Account: 'cvlimits', GroupContactItem: [{ GroupName: 'g20' }] })).ErrorCode).to.equal(51008);
      expect((await rest('recentcontact/get_contact_group', { From_Account: 'cvlimits' })).GroupItem).to.have.length(20);
    });

    it('refuses bad marks, long names and unknown groups with 50002 and stores none of the request', async () => {
      const bad = [
        ['recentcontact/mark_contact', { From_Account: 'cvmarks', MarkItem: [{ OptType: 1, ContactItem: { Type: 1, To_Account: 'x' }, SetMark: [3] }, { OptType: 1, ContactItem: { Type: 1, To_Account: 'y' }, SetMark: [64] }] }],
        ['recentcontact/mark_contact', { From_Account: 'cvmarks', MarkItem: [{ OptType: 2, ContactItem: { Type: 1, To_Account: 'x' }, CustomMark: 'x'.repeat(257) }] }],
        ['recentcontact/mark_contact', { From_Account: 'cvmarks', MarkItem: [{ OptType: 1, ContactItem: { Type: 1 }, SetMark: [1] }] }],
        ['recentcontact/create_contact_group', { From_Account: 'cvmarks', GroupContactItem: [{ GroupName: 'n'.repeat(33) }] }],
        ['recentcontact/update_contact_group', { From_Account: 'cvmarks', UpdateType: 1, UpdateGroup: { UpdateGroupType: 1, OldGroupName: 'nope', NewGroupName: 'x' } }],
        ['recentcontact/del_contact_group', { From_Account: 'cvmarks', GroupName: ['nope'] }],
      ] as const;
      for (const [cmd, body] of bad) expect((await rest(cmd, body)).ErrorCode, cmd).to.equal(50002);
      const search = await rest('recentcontact/search_contact_group', { From_Account: 'cvmarks', ContactItem: [{ Type: 1, To_Account: 'x' }] });
      expect(search.ContactResultItem).to.deep.equal([{ Type: 1, To_Account: 'x', StandardMark: '', CustomMark: '', ContactGroupId: [], Timestamp: 0 }]);
    });
  });
});
