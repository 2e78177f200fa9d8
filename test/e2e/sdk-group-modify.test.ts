/**
 * Editing group messages from Tencent's real web SDK (modifyMessage on a group message,
 * openim.modify_group_msg): the sender edits, every member's device gets MESSAGE_MODIFIED and
 * history shows the new text; others may not; an edit made from a stale copy (its MsgVersion
 * behind the stored one) is refused with 20027 and answered with the current content, which the
 * SDK hands back as MSG_MODIFY_CONFLICT (2480) with the message as it now is.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Msg = { ID: string; sequence: number; version: number; isModified: boolean; payload: { text: string } };
const textOf = (m: Msg) => m.payload.text;

describe('SDK group message editing (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  let alice: SdkClient, bob: SdkClient, groupId: string;

  before(async () => {
    parley = await startParley({}, 1400000098);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['gmalice', 'gmbob'] });
    [alice, bob] = [await login('gmalice'), await login('gmbob')];
    groupId = (await rest('group_open_http_svc/create_group', { Owner_Account: 'gmalice', Type: 'Public', Name: 'edits', MemberList: [{ Member_Account: 'gmbob' }] })).GroupId as string;
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('lets the sender edit a group message: members see it, history keeps it, others may not edit', async () => {
    const sent = await sendTextMessage<Msg>(alice, groupId, 'typo', 'GROUP');
    const got = await messageReceived<Msg>(bob, sent.ID);
    const mine = alice.chat.findMessage(sent.ID) as unknown as Msg;
    mine.payload.text = 'fixed';
    const res = (await alice.chat.modifyMessage(mine as never)) as { data: { message: Msg } };
    expect(textOf(res.data.message)).to.equal('fixed');
    const modified = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_MODIFIED, { where: (d) => (d as Msg[]).some((m) => m.ID === sent.ID) })) as Msg[];
    expect(modified[0]).to.include({ ID: sent.ID, isModified: true });
    expect(textOf(modified[0])).to.equal('fixed');

    got.payload.text = 'hijack';
    const refused = await bob.chat.modifyMessage(got as never).catch((e: { code: number }) => e);
    expect((refused as { code: number }).code).to.equal(10007);
    const fresh = await login('gmbob');
    const list = ((await fresh.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: Msg[] }).messageList;
    expect(list.filter((m) => m.ID === sent.ID).map(textOf)).to.deep.equal(['fixed']);
  });

  it('refuses an edit from a stale copy with the current content, and stores nothing of it', async () => {
    const sent = await sendTextMessage<Msg>(alice, groupId, 'v0', 'GROUP');
    const byAdmin = await rest('openim/modify_group_msg', { GroupId: groupId, MsgSeq: sent.sequence, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'v1' } }] });
    expect(byAdmin.ErrorCode).to.equal(0);
    // A copy made before the administrator's edit: MsgVersion 0 where the server holds 1.
    const stale = await rest('openim/modify_group_msg', { GroupId: groupId, MsgSeq: sent.sequence, MsgVersion: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'stale' } }] });
    expect(stale.ErrorCode).to.equal(20027);
    expect(stale.MsgVersion).to.equal(1);
    expect(stale.MsgBody).to.deep.equal([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'v1' } }]);

    const copy = Object.assign(Object.create(Object.getPrototypeOf(alice.chat.findMessage(sent.ID))), alice.chat.findMessage(sent.ID), { version: 0 }) as Msg;
    copy.payload = { text: 'stale too' };
    const conflict = await alice.chat.modifyMessage(copy as never).catch((e: { code: number; data: { message: Msg } }) => e);
    expect((conflict as { code: number }).code).to.equal(2480);
    expect(textOf((conflict as { data: { message: Msg } }).data.message)).to.equal('v1');
    const history = await rest('group_open_http_svc/group_msg_get_simple', { GroupId: groupId, ReqMsgNumber: 1 });
    const [latest] = history.RspMsgList as { MsgBody: { MsgContent: { Text: string } }[] }[];
    expect(latest.MsgBody[0].MsgContent.Text).to.equal('v1');
  });
});
