/**
 * Message reactions with Tencent's real web SDK: addMessageReaction / removeMessageReaction on
 * one-to-one and group messages reach every device of the conversation as
 * MESSAGE_REACTIONS_UPDATED; getMessageReactions and getAllUserListOfMessageReaction read them
 * back; Tencent's codes refuse a second reaction, a non-member and a missing message.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Reaction = { reactionID: string; totalUserCount: number; partialUserList: { userID: string }[]; reactedByMyself: boolean };
type Updated = { messageID: string; reactionList: Reaction[] };
type Summary = { resultList: { messageID: string; reactionList: Reaction[] }[] };
type Msg = { ID: string };
/** Not in the bundle's typings (index.d.ts), though the SDK fires it: TencentCloudChat.EVENT.MESSAGE_REACTIONS_UPDATED. */
const REACTIONS_UPDATED = 'onMessageReactionsUpdated';

describe('SDK message reactions (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const codeOf = async (p: Promise<unknown>) => p.then(() => 0, (err: { code: number }) => err.code);
  const updated = (c: SdkClient, id: string, where: (r: Reaction[]) => boolean) =>
    c.events.waitFor(REACTIONS_UPDATED, { where: (d) => (d as Updated).messageID === id && where((d as Updated).reactionList) }) as Promise<Updated>;
  const brief = (r: Reaction) => ({ id: r.reactionID, total: r.totalUserCount, users: r.partialUserList.map((u) => u.userID) });
  let alice: SdkClient, bob: SdkClient, carol: SdkClient;

  before(async () => {
    parley = await startParley({}, 1400000095);
    // Several devices per user, for the second-device test.
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['mralice', 'mrbob', 'mrcarol', 'mrdan'] });
    [alice, bob, carol] = [await login('mralice'), await login('mrbob'), await login('mrcarol')];
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('adds and removes a reaction on a one-to-one message, and both users see each change', async () => {
    const sent = await sendTextMessage<Msg>(alice, 'mrbob', 'hi', 'C2C');
    const got = await messageReceived<Msg>(bob, sent.ID);
    await bob.chat.addMessageReaction(got as never, 'smile');
    const seen = await updated(alice, sent.ID, (r) => r.length === 1);
    expect(seen.reactionList.map(brief)).to.deep.equal([{ id: 'smile', total: 1, users: ['mrbob'] }]);
    await updated(bob, sent.ID, (r) => r.length === 1);

    const mine = ((await bob.chat.getMessageReactions({ messageList: [got as never], maxUserCountPerReaction: 10 })).data as Summary).resultList[0];
    expect(mine.reactionList.map((r) => ({ ...brief(r), me: r.reactedByMyself }))).to.deep.equal([{ id: 'smile', total: 1, users: ['mrbob'], me: true }]);
    const theirs = ((await alice.chat.getMessageReactions({ messageList: [sent as never], maxUserCountPerReaction: 10 })).data as Summary).resultList[0];
    expect(theirs.reactionList.map((r) => r.reactedByMyself)).to.deep.equal([false]);
    const list = (await alice.chat.getAllUserListOfMessageReaction({ message: sent as never, reactionID: 'smile', nextSeq: 0, count: 10 })).data as { userList: { userID: string }[]; isCompleted: boolean };
    expect(list.userList.map((u) => u.userID)).to.deep.equal(['mrbob']);
    expect(list.isCompleted).to.equal(true);

    expect(await codeOf(bob.chat.addMessageReaction(got as never, 'smile'))).to.equal(23007);
    await bob.chat.removeMessageReaction(got as never, 'smile');
    const gone = await updated(alice, sent.ID, (r) => r.length === 1 && r[0].totalUserCount === 0);
    expect(gone.reactionList.map(brief)).to.deep.equal([{ id: 'smile', total: 0, users: [] }]);
    expect(await codeOf(bob.chat.removeMessageReaction(got as never, 'smile'))).to.equal(23008);
  });

  it("marks the reaction as the user's own on their other device", async () => {
    const bobElsewhere = await login('mrbob');
    const sent = await sendTextMessage<Msg>(alice, 'mrbob', 'two devices', 'C2C');
    const got = await messageReceived<Msg>(bob, sent.ID);
    await bob.chat.addMessageReaction(got as never, 'heart');
    const there = await updated(bobElsewhere, sent.ID, (r) => r.length === 1);
    expect(there.reactionList.map((r) => ({ ...brief(r), me: r.reactedByMyself }))).to.deep.equal([{ id: 'heart', total: 1, users: ['mrbob'], me: true }]);
    const atAlice = await updated(alice, sent.ID, (r) => r.length === 1);
    expect(atAlice.reactionList[0].reactedByMyself).to.equal(false);
  });

  it('lets group members react, tells the other members, and refuses outsiders and missing messages', async () => {
    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'mralice', Type: 'Public', Name: 'react', MemberList: [{ Member_Account: 'mrbob' }, { Member_Account: 'mrcarol' }] });
    const groupId = created.GroupId as string;
    const sent = await sendTextMessage<Msg & { sequence: number }>(alice, groupId, 'all', 'GROUP');
    const got = await messageReceived<Msg>(bob, sent.ID);
    await bob.chat.addMessageReaction(got as never, 'like');
    const seen = await updated(carol, sent.ID, (r) => r.length === 1);
    expect(seen.reactionList.map(brief)).to.deep.equal([{ id: 'like', total: 1, users: ['mrbob'] }]);
    await updated(alice, sent.ID, (r) => r.length === 1);

    // An administrator reacts for a member over REST; the SDK reads both.
    const byAdmin = await rest('openim_msg_ext_http_svc/group_reaction_add', { GroupId: groupId, MsgSeq: sent.sequence, Reaction: 'like', Add_Account: ['mrcarol'] });
    expect(byAdmin.ErrorCode).to.equal(0);
    const summary = ((await alice.chat.getMessageReactions({ messageList: [sent as never], maxUserCountPerReaction: 10 })).data as Summary).resultList[0];
    expect(summary.reactionList.map(brief)).to.deep.equal([{ id: 'like', total: 2, users: ['mrbob', 'mrcarol'] }]);

    const outsider = await rest('openim_msg_ext_http_svc/group_reaction_add', { GroupId: groupId, MsgSeq: sent.sequence, Reaction: 'like', Add_Account: ['mrdan'] });
    expect(outsider.ErrorCode).to.equal(10007);
    const missing = await rest('openim_msg_ext_http_svc/group_reaction_add', { GroupId: groupId, MsgSeq: sent.sequence + 50, Reaction: 'like', Add_Account: ['mrbob'] });
    expect(missing.ErrorCode).to.equal(10030);
    const c2cMissing = await rest('openim_msg_ext_http_svc/reaction_add', { From_Account: 'mralice', To_Account: 'mrbob', MsgKey: '1_2_3', Reaction: 'x', Add_Account: ['mrbob'] });
    expect(c2cMissing.ErrorCode).to.equal(20022);
    // Nothing partial: the refused reactions are nowhere.
    const after = ((await carol.chat.getMessageReactions({ messageList: [sent as never], maxUserCountPerReaction: 10 })).data as Summary).resultList[0];
    expect(after.reactionList.map(brief)).to.deep.equal([{ id: 'like', total: 2, users: ['mrbob', 'mrcarol'] }]);
  });

  it('answers no reactions for a message nobody reacted to, and refuses a malformed query', async () => {
    const direct = await sendTextMessage<Msg>(alice, 'mrbob', 'quiet', 'C2C');
    const got = await messageReceived<Msg>(bob, direct.ID);
    const c2c = (await bob.chat.getMessageReactions({ messageList: [got as never], maxUserCountPerReaction: 10 })).data as Summary;
    expect(c2c.resultList).to.deep.equal([{ messageID: direct.ID, reactionList: [] }]);
    expect((await rest('openim_msg_ext_http_svc/reaction_multi_stat', { From_Account: 'mralice', To_Account: 'mrbob', MsgKeyList: [] })).ErrorCode).to.equal(90001);
  });

  it("answers no reactions for message keys named like an object's own members (found by npm run fuzz)", async () => {
    const MsgKeyList = ['constructor', 'toString', '__proto__'];
    const admin = await rest('openim_msg_ext_http_svc/reaction_multi_stat', { From_Account: 'mralice', To_Account: 'mrbob', MsgKeyList });
    expect(admin.ErrorCode, JSON.stringify(admin)).to.equal(0);
    expect((admin.Results as { MsgReactionSummary: unknown[] }[]).map((r) => r.MsgReactionSummary)).to.deep.equal([[], [], []]);
    // A user asking about a conversation that is not theirs is answered nothing, not an error.
    const body = { From_Account: 'mralice', To_Account: 'mrbob', MsgKeyList };
    const outsider = await parley.broker.call<{ Results: { MsgReactionSummary: unknown[] }[] }, object>('reactions.c2cStat', { app: parley.sdkAppId, caller: { kind: 'user', id: 'mrdan' }, body });
    expect(outsider.Results.map((r) => r.MsgReactionSummary)).to.deep.equal([[], [], []]);
  });
});
