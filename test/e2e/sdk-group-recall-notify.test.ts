/**
 * Group recalls a device missed while it was away, with Tencent's real web SDK: after a reconnect
 * the SDK asks group_open_http_svc.batch_get_group_notify for each group conversation with no new
 * message, and marks the messages it holds recalled (MESSAGE_REVOKED); a new login gets them from
 * history (IsPlaceMsg 2). Then the command's reply over SDK frames and REST, its pages, and its
 * refusals. services/groups/recall-notices.ts; docs/groups.md, "Recalls missed offline".
 */
import { expect } from 'chai';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, until, type Parley } from './ws-harness';
import { failNetwork, LoginHold } from '../support/login-hold';

type Answer = { ErrorCode: number } & Record<string, unknown>;
interface NotifyItem {
  MsgSeq: number;
  MsgRandom: number;
  MsgClientTime: number;
  TinyId: string;
  RevokerInfo: { Revoker: string };
}
interface NotifyRsp {
  GroupId: string;
  ErrorCode: number;
  NextMsgTime: number;
  NotifyMsgList: NotifyItem[];
}
interface Msg {
  ID: string;
  sequence: number;
  isRevoked: boolean;
  revoker?: string;
  payload?: { text?: string };
}
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const NOTIFY = 'group_open_http_svc.batch_get_group_notify';

function parseFrame(raw: string): { head: { servcmd?: string; seq?: number }; body: Record<string, unknown> } | undefined {
  try {
    return JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1)) as never;
  } catch {
    return undefined;
  }
}

describe('SDK group recalls missed offline: batch_get_group_notify (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let random = 500;
  /** Held shut while the recall is made, so bob's re-login waits for it (as in sdk-incremental-touches). */
  let logins: LoginHold;
  const clients: SdkClient[] = [];
  const frames: FrameClient[] = [];
  const rest = async <T extends object = object>(command: string, body: object) => {
    const answer = await parley.rest<Answer & T>(command, body);
    expect(answer.ErrorCode, `${command} ${JSON.stringify(answer)}`).to.equal(0);
    return answer;
  };
  const say = async (groupId: string, from: string, t: string) => {
    const r = random++;
    const { MsgSeq } = await rest<{ MsgSeq: number }>('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: from, Random: r, MsgBody: text(t) });
    return { seq: MsgSeq, random: r };
  };
  const group = async (...members: string[]) =>
    (await rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'nowner', Type: 'Public', Name: 'recalls', MemberList: members.map((m) => ({ Member_Account: m })) })).GroupId;
  const frameLogin = async (userId: string) => {
    const f = await FrameClient.open(parley);
    frames.push(f);
    expect((await f.login(parley, userId)).ErrorCode ?? 0).to.equal(0);
    return f;
  };
  const nowMicros = () => Date.now() * 1000;

  before(async () => {
    parley = await startParley({}, 1400000197);
    // Only bob's logins wait: the owner recalls over SDK frames meanwhile.
    logins = new LoginHold(parley.broker, (userId) => userId === 'nbob');
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['nowner', 'nbob', 'ncarol', 'nstranger'] });
  });
  afterEach(async () => {
    logins.release();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    for (const f of frames.splice(0)) f.close();
  });
  after(async () => {
    await parley?.stop();
  });

  it('marks a message recalled while the device was away once it reconnects (MESSAGE_REVOKED)', async () => {
    const groupId = await group('nbob', 'ncarol');
    const regret = await say(groupId, 'ncarol', 'regret');
    await say(groupId, 'ncarol', 'later');

    const notifies: { out: Record<string, unknown>[]; in: Record<string, unknown>[] } = { out: [], in: [] };
    let withdrawPushes = 0;
    const bob = await createSdkClient({
      sdkAppId: parley.sdkAppId,
      userId: 'nbob',
      userSig: parley.sig('nbob'),
      proxyServer: parley.proxyServer,
      onFrame(direction, raw) {
        const frame = parseFrame(raw);
        if (frame?.head.servcmd === NOTIFY) notifies[direction].push(frame.body);
        else if (direction === 'in' && raw.includes('GroupWithdrawInfoArray')) withdrawPushes++;
      },
    });
    clients.push(bob);
    await bob.login();
    // The SDK drops a conversation's messages from memory when its group first enters its group
    // list (updateGroupMap), and on every getMessageList without a cursor: fetch once, after that.
    await until('bob’s SDK lists the group', async () => ((await bob.chat.getGroupList()).data as { groupList: { groupID: string }[] }).groupList.some((g) => g.groupID === groupId));
    const held = ((await bob.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: Msg[] }).messageList;
    expect(held.map((m) => m.payload?.text)).to.deep.equal(['regret', 'later']);
    const local = (m: Msg) => bob.chat.findMessage(m.ID) as Msg | null;

    // Bob's network fails (his socket errors, docs/sdk-protocol.md §13); the owner recalls meanwhile.
    const open = logins.hold();
    try {
      await failNetwork(parley.broker, parley.sdkAppId, 'nbob');
      const owner = await frameLogin('nowner');
      const recalled = await owner.request('group_open_http_svc.group_msg_recall', { GroupId: groupId, MsgSeqList: [{ MsgSeq: regret.seq }], TopicId: '' });
      expect(recalled.RecallRetList).to.deep.equal([{ MsgSeq: regret.seq, RetCode: 0 }]);
    } finally {
      open();
    }

    const revoked = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_REVOKED, { timeoutMs: 15_000 })) as Msg[];
    expect(revoked.map((m) => [m.ID, m.sequence, m.isRevoked, m.revoker])).to.deep.equal([[held[0].ID, regret.seq, true, 'nowner']]);
    expect([local(held[0])?.isRevoked, local(held[1])?.isRevoked]).to.deep.equal([true, false]);
    // It came by batch_get_group_notify, asked from 0 (the first since login) to now, in microseconds.
    expect(withdrawPushes, 'no recall push reached bob').to.equal(0);
    const asked = (notifies.out[0].NotifyReqList as Record<string, unknown>[]).find((r) => r.GroupId === groupId);
    expect(asked).to.deep.include({ NotifyType: 1, Limit: 20, BeginTime: 0 });
    expect(asked?.EndTime).to.be.within(nowMicros() - 30_000_000, nowMicros());
    const answered = (notifies.in[0].NotifyRspList as NotifyRsp[]).find((r) => r.GroupId === groupId);
    expect(answered?.NotifyMsgList.map((i) => i.MsgSeq)).to.deep.equal([regret.seq]);
    expect(answered?.NextMsgTime).to.equal(0);
  });

  it('shows a message recalled while the device was logged out as recalled in the history of its next login', async () => {
    const groupId = await group('nbob', 'ncarol');
    const regret = await say(groupId, 'ncarol', 'regret');
    await say(groupId, 'ncarol', 'later');
    const login = async () => {
      const c = await createSdkClient({ sdkAppId: parley.sdkAppId, userId: 'nbob', userSig: parley.sig('nbob'), proxyServer: parley.proxyServer });
      clients.push(c);
      await c.login();
      await until('bob’s SDK lists the group', async () => ((await c.chat.getGroupList()).data as { groupList: { groupID: string }[] }).groupList.some((g) => g.groupID === groupId));
      return { c, messages: ((await c.chat.getMessageList({ conversationID: `GROUP${groupId}` })).data as { messageList: Msg[] }).messageList };
    };
    const first = await login();
    expect(first.messages.map((m) => [m.payload?.text, m.isRevoked])).to.deep.equal([
      ['regret', false],
      ['later', false],
    ]);
    await first.c.chat.logout();
    await first.c.destroy();

    await rest('group_open_http_svc/group_msg_recall', { GroupId: groupId, MsgSeqList: [{ MsgSeq: regret.seq }] });

    // The SDK of the next login gets it by group_msg_get (IsPlaceMsg 2), not by batch_get_group_notify.
    const next = await login();
    expect(next.messages.map((m) => [m.ID, m.isRevoked])).to.deep.equal([
      [first.messages[0].ID, true],
      [first.messages[1].ID, false],
    ]);
    expect(next.messages[0].payload?.text, 'the recalled text is not sent again').to.equal('');
  });

  it('answers the recalls of each group by time, in pages, over SDK frames and REST', async () => {
    const groupId = await group('nbob', 'ncarol');
    const [one, , three] = [await say(groupId, 'ncarol', 'one'), await say(groupId, 'ncarol', 'two'), await say(groupId, 'ncarol', 'three')];
    const before = nowMicros();
    await rest('group_open_http_svc/group_msg_recall', { GroupId: groupId, MsgSeqList: [{ MsgSeq: one.seq }, { MsgSeq: three.seq }] });
    const bob = await frameLogin('nbob');
    const ask = async (req: object) => ((await bob.request(NOTIFY, { NotifyReqList: [{ NotifyType: 1, GroupId: groupId, ...req }] })) as { NotifyRspList: NotifyRsp[] }).NotifyRspList[0];

    const first = await ask({ Limit: 1, BeginTime: 0, EndTime: nowMicros() });
    expect(first).to.deep.include({ GroupId: groupId, ErrorCode: 0 });
    expect(first.NotifyMsgList).to.have.length(1);
    expect(first.NotifyMsgList[0]).to.deep.include({ MsgSeq: one.seq, MsgRandom: one.random, RevokerInfo: { Revoker: 'administrator' } });
    expect(first.NotifyMsgList[0].TinyId).to.match(/^\d+$/);
    expect(first.NotifyMsgList[0].MsgClientTime).to.be.a('number');
    expect(first.NextMsgTime).to.be.greaterThan(before);

    const second = await ask({ Limit: 1, BeginTime: first.NextMsgTime, EndTime: nowMicros() });
    expect(second.NotifyMsgList.map((i) => i.MsgSeq)).to.deep.equal([three.seq]);
    expect(second.NextMsgTime).to.equal(0);
    expect((await ask({ BeginTime: 0, EndTime: before - 10_000_000 })).NotifyMsgList).to.deep.equal([]);
    expect((await ask({ BeginTime: nowMicros(), EndTime: nowMicros() })).NotifyMsgList).to.deep.equal([]);

    const viaRest = await rest<{ NotifyRspList: NotifyRsp[] }>('group_open_http_svc/batch_get_group_notify', { NotifyReqList: [{ NotifyType: 1, GroupId: groupId, BeginTime: 0, EndTime: nowMicros() }] });
    expect(viaRest.NotifyRspList[0].NotifyMsgList.map((i) => i.MsgSeq)).to.deep.equal([one.seq, three.seq]);
  });

  it('answers an unknown group 10010 and a non-member 10007 in their items, and a request without groups 10004', async () => {
    const groupId = await group('nbob');
    const recalled = await say(groupId, 'nbob', 'oops');
    await rest('group_open_http_svc/group_msg_recall', { GroupId: groupId, MsgSeqList: [{ MsgSeq: recalled.seq }] });
    const req = (id: string) => ({ NotifyType: 1, Limit: 20, GroupId: id, BeginTime: 0, EndTime: nowMicros() });

    const bob = await frameLogin('nbob');
    const mixed = (await bob.request(NOTIFY, { NotifyReqList: [req(groupId), req('@TGS#nosuchgroup')] })) as Answer & { NotifyRspList: NotifyRsp[] };
    expect(mixed.ErrorCode).to.equal(0);
    expect(mixed.NotifyRspList.map((r) => [r.GroupId, r.ErrorCode, r.NotifyMsgList.length, r.NextMsgTime])).to.deep.equal([
      [groupId, 0, 1, 0],
      ['@TGS#nosuchgroup', 10010, 0, 0],
    ]);

    const stranger = await frameLogin('nstranger');
    const refused = (await stranger.request(NOTIFY, { NotifyReqList: [req(groupId)] })) as { NotifyRspList: NotifyRsp[] };
    expect(refused.NotifyRspList[0]).to.deep.include({ GroupId: groupId, ErrorCode: 10007, NotifyMsgList: [], NextMsgTime: 0 });

    expect((await bob.request(NOTIFY, {})).ErrorCode).to.equal(10004);
    expect((await bob.request(NOTIFY, { NotifyReqList: [] })).ErrorCode).to.equal(10004);
    expect((await bob.request(NOTIFY, { NotifyReqList: [{ GroupId: groupId, Limit: 0 }] })).ErrorCode).to.equal(10004);
  });
});
