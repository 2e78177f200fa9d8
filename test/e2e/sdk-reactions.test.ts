/**
 * Message reactions, read side, with Tencent's real web SDK: getMessageReactions on one-to-one
 * and group messages (what Tencent's UIKit asks when a conversation opens) answers one empty
 * summary per message, and getAllUserListOfMessageReaction an empty, complete list.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Summary = { resultList: { messageID: string; reactionList: unknown[] }[] };

describe('SDK message reactions, read side (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);

  before(async () => {
    parley = await startParley({}, 1400000095);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['mralice', 'mrbob'] });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('answers no reactions for one-to-one and group messages, and refuses a malformed query', async () => {
    const [alice, bob] = [await login('mralice'), await login('mrbob')];
    const direct = await sendTextMessage<{ ID: string }>(alice, 'mrbob', 'hi', 'C2C');
    const got = await messageReceived<{ ID: string }>(bob, direct.ID);
    const c2c = (await bob.chat.getMessageReactions({ messageList: [got as never], maxUserCountPerReaction: 10 })).data as Summary;
    expect(c2c.resultList).to.deep.equal([{ messageID: direct.ID, reactionList: [] }]);

    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'mralice', Type: 'Public', Name: 'react', MemberList: [{ Member_Account: 'mrbob' }] });
    const inGroup = await sendTextMessage<{ ID: string }>(alice, created.GroupId as string, 'all', 'GROUP');
    const group = (await alice.chat.getMessageReactions({ messageList: [inGroup as never], maxUserCountPerReaction: 10 })).data as Summary;
    expect(group.resultList).to.deep.equal([{ messageID: inGroup.ID, reactionList: [] }]);

    const users = (await alice.chat.getAllUserListOfMessageReaction({ message: inGroup as never, reactionID: 'like', nextSeq: 0, count: 10 })).data as { userList: unknown[]; isCompleted: boolean };
    expect(users).to.deep.include({ userList: [], isCompleted: true });
    // Over REST the same command checks its body like any other.
    expect((await rest('openim_msg_ext_http_svc/reaction_multi_stat', { From_Account: 'mralice', To_Account: 'mrbob', MsgKeyList: [] })).ErrorCode).to.equal(90001);
  });
});
