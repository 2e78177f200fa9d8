/**
 * modify_group_msg and clear_group_msg seen from Tencent's real SDK: an online member's SDK
 * replaces the message and fires MESSAGE_MODIFIED from the push, a member logging in later reads
 * the new content from history, and cleared history no longer comes back to members.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage } from '../support/sdk';
import { sdkGroupFixture } from '../support/sdk-group';

interface Msg {
  ID: string;
  sequence: number;
  version?: number;
  cloudCustomData?: string;
  payload: { text?: string };
}

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('group message edits with the SDK (e2e)', function () {
  this.timeout(30_000);
  const group = sdkGroupFixture({ sdkAppId: 1400000000 + Math.floor(Math.random() * 1e8), users: ['ealice', 'ebob'], members: ['ebob'], type: 'Public', name: 'edits', login: ['ealice', 'ebob'] });
  const history = async (user: string) => {
    const c = await sdkLogin(group.parley, user, group.clients);
    const list = (await c.chat.getMessageList({ conversationID: `GROUP${group.groupID}` })) as { data: { messageList: Msg[] } };
    return list.data.messageList;
  };

  it('pushes the new content to online members, whose SDK fires MESSAGE_MODIFIED', async () => {
    const [alice, bob] = group.clients;
    const sent = await sendTextMessage<Msg>(alice, group.groupID, 'typo', 'GROUP');
    await messageReceived<Msg>(bob, sent.ID);
    const modified = bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_MODIFIED, { timeoutMs: 5000 });
    await group.parley.rest('openim/modify_group_msg', { GroupId: group.groupID, MsgSeq: sent.sequence, MsgBody: text('fixed'), CloudCustomData: 'cc' });
    const [m] = (await modified) as Msg[];
    expect(m).to.include({ ID: sent.ID, cloudCustomData: 'cc' });
    expect(m.payload.text).to.equal('fixed');
  });

  it('answers the new content in the history of a member who logs in later', async () => {
    const list = await history('ebob');
    expect(list.map((m) => m.payload.text)).to.include('fixed').and.not.include('typo');
  });

  it('leaves cleared messages out of the history members read', async () => {
    const [alice] = group.clients;
    const later = await sendTextMessage<Msg>(alice, group.groupID, 'after the clearing', 'GROUP');
    await group.parley.rest('group_open_http_svc/clear_group_msg', { GroupId: group.groupID, MsgSeq: later.sequence - 1 });
    const list = await history('ealice');
    expect(list.map((m) => m.payload.text)).to.deep.equal(['after the clearing']);
  });
});
