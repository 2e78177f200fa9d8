/**
 * The incremental conversation list and changes made outside the user's own stream, with
 * Tencent's real web SDK: a device is cut off after a full list, something changes elsewhere (a
 * group read on another device, a recall or an edit of a one-to-one conversation's last message,
 * a peer's new nickname), the SDK reconnects within 300 s and asks page_get from its cursor.
 * The changed conversation must be in what it is sent, and the SDK must show the change.
 * services/conversations/list-touches.ts; docs/conversations.md, "The incremental list".
 */
import { expect } from 'chai';
import { inboxStream } from '../../actors/inbox';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { SdkClient } from '../support/sdk';
import { startParley, until, type Parley } from './ws-harness';
import { failNetwork, LoginHold } from '../support/login-hold';
import { conversationIdOf, recordingPageGets } from '../support/page-gets';

interface Conv {
  conversationID: string;
  unreadCount: number;
  lastMessage: { lastSequence?: number; isRevoked?: boolean; payload?: { text?: string } };
  userProfile?: { nick?: string; avatar?: string };
  groupProfile?: { name?: string };
}
type Answer = { ErrorCode: number } & Record<string, unknown>;
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const TOUCHED = 'parley.inbox.ConversationsTouched';
const idOf = conversationIdOf;

describe('SDK incremental list: changes made elsewhere (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let random = 1;
  /** Held shut while a change is made, so the SDK's re-login (and its page_get and getmsg) waits for it. */
  let logins: LoginHold;
  const clients: SdkClient[] = [];
  const rest = async <T extends object = object>(command: string, body: object) => {
    const answer = await parley.rest<Answer & T>(command, body);
    expect(answer.ErrorCode, `${command} ${JSON.stringify(answer)}`).to.equal(0);
    return answer;
  };
  const dm = (from: string, to: string, t: string) => rest<{ MsgKey: string }>('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text(t), SyncOtherMachine: 2 });
  const convs = async (c: SdkClient) => ((await c.chat.getConversationList()).data as { conversationList: Conv[] }).conversationList;
  const conv = async (c: SdkClient, id: string) => (await convs(c)).find((x) => x.conversationID === id);

  /** Inbox events of `type` in the user's feed: what a change elsewhere wrote there. */
  const feedEvents = async (userId: string, type: string) => (await runtimeOf(parley.broker).store.read(inboxStream(parley.sdkAppId, userId), 0)).filter((e) => e.type === type).length;

  /**
   * Logs `userId` in through a real SDK recording each page_get pass, waits for the full list with
   * `expected` in it, and cuts the socket off: the SDK reconnects on its own and asks from its
   * cursor once `change` is made and, when named, an event of `written` reached the user's feed
   * (the subscribers run after the REST answer; a re-login that came first would miss it).
   */
  async function listedThenCutOff(userId: string, expected: string[]) {
    const { client, passes } = await recordingPageGets(parley, userId);
    clients.push(client);
    await client.login();
    await until('the whole list arrived', async () => passes.some((p) => p.complete === 1) && expected.every((id) => passes.some((p) => p.items.some((i) => idOf(i) === id))));
    passes.splice(0);
    const open = logins.hold();
    await failNetwork(parley.broker, parley.sdkAppId, userId);
    /** Makes the change while the device is away, then lets it back in. */
    const meanwhile = async (change: () => Promise<unknown>, written?: string) => {
      try {
        const before = written ? await feedEvents(userId, written) : 0;
        await change();
        if (written) await until(`${written} in the feed of ${userId}`, async () => (await feedEvents(userId, written)) > before);
      } finally {
        open();
      }
    };
    /** The items of the incremental pass after the reconnect. */
    const incremental = async () => {
      await until('the list after the reconnect is complete', () => passes.some((p) => p.complete === 1), 20_000);
      // From the cursor of the last list: a user whose inbox is still empty (version 0) gets a full list instead.
      expect(passes[0].request.TimeStamp, 'an incremental pass').to.be.greaterThan(0);
      expect(passes[0].request.TopTimeStamp, 'an incremental pass').to.be.greaterThan(0);
      return passes.flatMap((p) => p.items);
    };
    return { client, meanwhile, incremental };
  }

  /** Group conversations are incremental by message time (one-second resolution): the list must start in a later second. */
  async function nextSecond() {
    const now = Math.floor(Date.now() / 1000);
    await until('the clock is past this second', () => Math.floor(Date.now() / 1000) > now, 2_000);
  }

  before(async () => {
    parley = await startParley({}, 1400000193);
    logins = new LoginHold(parley.broker);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['tbob', 'tcarol', 'tdave', 'terin', 'tfay', 'tgwen', 'thal', 'tpeer1', 'tpeer2', 'tpeer3'] });
  });
  afterEach(async () => {
    logins.release();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await parley?.stop();
  });

  it('sends a group read on another device: the group’s unread count drops to 0', async () => {
    const { GroupId } = await rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'tpeer1', Type: 'Public', Name: 'reads', MemberList: [{ Member_Account: 'tbob' }] });
    await rest('group_open_http_svc/send_group_msg', { GroupId, From_Account: 'tpeer1', Random: random++, MsgBody: text('one') });
    const { MsgSeq } = await rest<{ MsgSeq: number }>('group_open_http_svc/send_group_msg', { GroupId, From_Account: 'tpeer1', Random: random++, MsgBody: text('two') });
    await dm('tpeer2', 'tbob', 'hello');
    await nextSecond();
    const bob = await listedThenCutOff('tbob', [`GROUP${GroupId}`, 'C2Ctpeer2']);
    expect((await conv(bob.client, `GROUP${GroupId}`))?.unreadCount).to.equal(2);

    await bob.meanwhile(() => rest('group_open_http_svc/msg_read_report', { GroupId, Report_Account: 'tbob', MsgReadedSeq: MsgSeq }), TOUCHED);

    const sent = await bob.incremental();
    expect(sent.map(idOf)).to.deep.equal([`GROUP${GroupId}`]);
    const item = sent.find((i) => idOf(i) === `GROUP${GroupId}`);
    expect(item?.UnreadMsgCount).to.equal(0);
    await until('the SDK shows the group read', async () => (await conv(bob.client, `GROUP${GroupId}`))?.unreadCount === 0);
  });

  it('sends a recall of a one-to-one conversation’s last message: the SDK shows it recalled', async () => {
    const { MsgKey } = await dm('tpeer1', 'tcarol', 'regret');
    const carol = await listedThenCutOff('tcarol', ['C2Ctpeer1']);
    expect((await conv(carol.client, 'C2Ctpeer1'))?.lastMessage.payload?.text).to.equal('regret');

    await carol.meanwhile(() => rest('openim/admin_msgwithdraw', { From_Account: 'tpeer1', To_Account: 'tcarol', MsgKey }), TOUCHED);

    const sent = await carol.incremental();
    expect(sent.map(idOf)).to.include('C2Ctpeer1');
    expect(sent.find((i) => idOf(i) === 'C2Ctpeer1')?.LastMsgFlags).to.equal(8);
    await until('the SDK shows the last message recalled', async () => (await conv(carol.client, 'C2Ctpeer1'))?.lastMessage.isRevoked === true);
  });

  it('sends an edit of a one-to-one conversation’s last message, and not one of an older message', async () => {
    const older = await dm('tpeer3', 'tdave', 'older');
    await dm('tpeer3', 'tdave', 'newer');
    const { MsgKey } = await dm('tpeer2', 'tdave', 'draft');
    const dave = await listedThenCutOff('tdave', ['C2Ctpeer2', 'C2Ctpeer3']);

    await dave.meanwhile(async () => {
      await rest('openim/modify_c2c_msg', { From_Account: 'tpeer3', To_Account: 'tdave', MsgKey: older.MsgKey, MsgBody: text('older, edited') });
      await rest('openim/modify_c2c_msg', { From_Account: 'tpeer2', To_Account: 'tdave', MsgKey, MsgBody: text('final') });
    }, TOUCHED);

    const sent = await dave.incremental();
    expect(sent.map(idOf)).to.deep.equal(['C2Ctpeer2']);
    await until('the SDK shows the edited last message', async () => (await conv(dave.client, 'C2Ctpeer2'))?.lastMessage.payload?.text === 'final');
  });

  it('sends a group renamed meanwhile with its new name (the stored tip moves it), though the SDK keeps the name it had', async () => {
    const { GroupId } = await rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'tpeer1', Type: 'Public', Name: 'before', MemberList: [{ Member_Account: 'tfay' }] });
    await rest('group_open_http_svc/send_group_msg', { GroupId, From_Account: 'tpeer1', Random: random++, MsgBody: text('one') });
    await dm('tpeer2', 'tfay', 'hello');
    await nextSecond();
    const fay = await listedThenCutOff('tfay', [`GROUP${GroupId}`, 'C2Ctpeer2']);

    await fay.meanwhile(() => rest('group_open_http_svc/modify_group_base_info', { GroupId, Name: 'after' }));

    const sent = await fay.incremental();
    expect(sent.map(idOf)).to.deep.equal([`GROUP${GroupId}`]);
    expect(sent[0].GroupNick).to.equal('after');
    // The SDK merges a listed group conversation keeping its own groupProfile (_getTmpConvListMapping,
    // isFromGetConversations): the name a device shows changes with the group's tips pushed while it
    // is online, or a new login, not with page_get (docs/conversations.md).
    await until('the SDK merged the incremental list', async () => (await conv(fay.client, `GROUP${GroupId}`))?.lastMessage.lastSequence === sent[0].MsgSeq);
    expect((await conv(fay.client, `GROUP${GroupId}`))?.groupProfile?.name).to.equal('before');
  });

  for (const [how, user] of [['disbanded', 'tgwen'], ['removed from', 'thal']] as const) {
    it(`drops a group ${how} while the device was offline: the kept system notice comes with its next sync`, async () => {
      const { GroupId } = await rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'tpeer1', Type: 'Public', Name: how, MemberList: [{ Member_Account: user }, { Member_Account: 'tpeer2' }] });
      await rest('group_open_http_svc/send_group_msg', { GroupId, From_Account: 'tpeer1', Random: random++, MsgBody: text('one') });
      await dm('tpeer2', user, 'hello');
      const device = await listedThenCutOff(user, [`GROUP${GroupId}`, 'C2Ctpeer2']);
      expect((await conv(device.client, `GROUP${GroupId}`))?.unreadCount).to.equal(1);

      const leave = () => (how === 'disbanded' ? rest('group_open_http_svc/destroy_group', { GroupId }) : rest('group_open_http_svc/delete_group_member', { GroupId, MemberToDel_Account: [user] }));
      await device.meanwhile(leave, 'parley.inbox.GroupNoticeKept');

      await device.incremental();
      // As on the pushed notice: the SDK drops the group from its list and clears the conversation's
      // unread count, but keeps the conversation (deleteLocalGroupAndConversation; the app may delete it).
      const localGroups = async () => ((await device.client.chat.getGroupList()).data as { groupList: { groupID: string }[] }).groupList.map((g) => g.groupID);
      await until('the SDK dropped the group', async () => !(await localGroups()).includes(GroupId), 10_000);
      await until('the SDK cleared the conversation’s unread count', async () => (await conv(device.client, `GROUP${GroupId}`))?.unreadCount === 0);
    });
  }

  it('sends a peer’s new nickname and avatar: the SDK’s conversation shows them', async () => {
    // Sent as the SDK sends (SyncOtherMachine 1): the conversation is in both users' lists, which is how a profile change finds erin.
    await rest('openim/sendmsg', { From_Account: 'tpeer3', To_Account: 'terin', MsgRandom: random++, MsgBody: text('hi'), SyncOtherMachine: 1 });
    const erin = await listedThenCutOff('terin', ['C2Ctpeer3']);

    const avatar = 'https://example.com/peer3.png';
    await erin.meanwhile(() => rest('profile/portrait_set', { From_Account: 'tpeer3', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Peer Three' }, { Tag: 'Tag_Profile_IM_Image', Value: avatar }] }), TOUCHED);

    const sent = await erin.incremental();
    const item = sent.find((i) => idOf(i) === 'C2Ctpeer3');
    expect(item?.C2cNick).to.equal('Peer Three');
    await until('the SDK shows the new nickname', async () => {
      const c = await conv(erin.client, 'C2Ctpeer3');
      return c?.userProfile?.nick === 'Peer Three' && c.userProfile.avatar === avatar;
    });
  });
});
