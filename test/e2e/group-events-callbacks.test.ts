/**
 * The group after-callbacks rest-groups-callbacks.test.ts leaves out, against a live backend:
 * a group filling up, a recall, a new owner, a member's role or name card changing and a
 * message the group did not send, each with the body Tencent documents and in the order of the
 * operations; and the before-send callback's verdicts on a send over REST.
 */
import { expect } from 'chai';
import { OK, TestBackend, callbackFields as fields } from '../support/backend';
import { captureLogs } from '../support/logs';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';
import { FrameClient, type Parley } from './ws-harness';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];


describe('group events with after-callbacks (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  let admin: string;
  const call = async (command: string, body: object) => {
    const answer = await rest.call(`group_open_http_svc/${command}`, body);
    expect(answer.ErrorCode, `${command}: ${answer.ErrorInfo}`).to.equal(0);
    return answer;
  };
  const group = async (extra: object = {}) =>
    (await call('create_group', { Owner_Account: 'own', Type: 'Public', Name: 'events', MemberList: [{ Member_Account: 'mem1' }], ...extra })).GroupId as string;
  /** The after-callbacks of one group, in arrival order. */
  const of = (groupId: string) => backend.received.filter((r) => r.body.GroupId === groupId && r.query.CallbackCommand.startsWith('Group.CallbackAfter'));
  const commands = (groupId: string) => of(groupId).map((r) => r.query.CallbackCommand);
  const waitFor = (groupId: string, command: string, count = 1) => backend.waitFor(() => commands(groupId).filter((c) => c === command).length >= count, `${count} × ${command}`);

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups', 'webhooks', 'connector'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
    admin = server.app.admin;
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['own', 'mem1', 'mem2', 'mem3'] });
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
  });

  it('reports a group that a join filled up, once, after the join', async () => {
    const GroupId = await group({ MaxMemberCount: 3 });
    await call('add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem2' }] });
    const refused = await rest.call('group_open_http_svc/add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem3' }] });
    expect(refused.ErrorCode).to.not.equal(0);
    await call('modify_group_base_info', { GroupId, Name: 'still full' });
    await waitFor(GroupId, 'Group.CallbackAfterGroupInfoChanged');
    expect(commands(GroupId)).to.deep.equal(['Group.CallbackAfterCreateGroup', 'Group.CallbackAfterNewMemberJoin', 'Group.CallbackAfterGroupFull', 'Group.CallbackAfterGroupInfoChanged']);
    expect(fields(of(GroupId)[2])).to.deep.equal({ GroupId, Type: 'Public' });
  });

  it('reports a viewer entering and leaving a live room (AVChatRoom), which stores no member', async () => {
    const GroupId = (await call('create_group', { Owner_Account: 'own', Type: 'AVChatRoom', Name: 'live' })).GroupId as string;
    const { sdkAppId, secret } = server.app;
    const node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
    const device = await FrameClient.open(node);
    try {
      expect((await device.login(node, 'mem2')).ErrorCode).to.equal(0);
      expect((await device.request('group_open_http_svc.apply_join_group', { GroupId })).ErrorCode).to.equal(0);
      expect((await device.request('group_open_http_svc.quit_group', { GroupId })).ErrorCode).to.equal(0);
    } finally {
      device.close();
    }
    await waitFor(GroupId, 'Group.CallbackAfterMemberExit');
    expect(commands(GroupId)).to.deep.equal(['Group.CallbackAfterCreateGroup', 'Group.CallbackAfterNewMemberJoin', 'Group.CallbackAfterMemberExit']);
    expect(fields(of(GroupId)[1])).to.deep.equal({ GroupId, Type: 'AVChatRoom', JoinType: 'Apply', Operator_Account: 'mem2', NewMemberList: [{ Member_Account: 'mem2' }] });
    expect(fields(of(GroupId)[2])).to.deep.equal({ GroupId, Type: 'AVChatRoom', ExitType: 'Quit', Operator_Account: 'mem2', ExitMemberList: [{ Member_Account: 'mem2' }] });
    // The viewer's own device, not the REST call that made the room.
    expect(of(GroupId).map((r) => [r.query.OptPlatform, r.query.ClientIP])).to.deep.equal([['RESTAPI', '127.0.0.1'], ['Web', '127.0.0.1'], ['Web', '127.0.0.1']]);
  });

  it('names the platform and address of whoever caused a stored group change: an SDK user’s message and quit, an administrator’s invitation', async () => {
    const GroupId = await group();
    await call('add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem2' }] });
    const { sdkAppId, secret } = server.app;
    const node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
    const device = await FrameClient.open(node);
    try {
      expect((await device.login(node, 'mem2')).ErrorCode).to.equal(0);
      expect((await device.request('group_open_http_svc.send_group_msg', { GroupId, Random: 21, MsgBody: text('from the SDK') })).ErrorCode).to.equal(0);
      expect((await device.request('group_open_http_svc.quit_group', { GroupId })).ErrorCode).to.equal(0);
    } finally {
      device.close();
    }
    await waitFor(GroupId, 'Group.CallbackAfterMemberExit');
    expect(of(GroupId).map((r) => [r.query.CallbackCommand, r.query.OptPlatform, r.query.ClientIP])).to.deep.equal([
      ['Group.CallbackAfterCreateGroup', 'RESTAPI', '127.0.0.1'],
      ['Group.CallbackAfterNewMemberJoin', 'RESTAPI', '127.0.0.1'],
      ['Group.CallbackAfterSendMsg', 'Web', '127.0.0.1'],
      ['Group.CallbackAfterMemberExit', 'Web', '127.0.0.1'],
    ]);
  });

  it('reports a live-room viewer whose connection dropped as Offline, and Online when the device is back', async () => {
    const GroupId = (await call('create_group', { Owner_Account: 'own', Type: 'AVChatRoom', Name: 'live states' })).GroupId as string;
    const { sdkAppId, secret } = server.app;
    const node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
    const instanceid = `states${Date.now()}`;
    const states = () => backend.received.filter((r) => r.body.GroupId === GroupId && r.query.CallbackCommand === 'Group.CallbackOnMemberStateChange');
    const first = await FrameClient.open(node, { instanceid });
    expect((await first.login(node, 'mem3')).ErrorCode).to.equal(0);
    expect((await first.request('group_open_http_svc.apply_join_group', { GroupId })).ErrorCode).to.equal(0);
    first.close(); // no logout: the link is lost
    await backend.waitFor(() => states().length === 1, 'the Offline report');
    const again = await FrameClient.open(node, { instanceid });
    try {
      expect((await again.login(node, 'mem3')).ErrorCode).to.equal(0);
      await backend.waitFor(() => states().length === 2, 'the Online report');
    } finally {
      again.close();
    }
    expect(states().slice(0, 2).map(fields)).to.deep.equal(['Offline', 'Online'].map((EventType) => ({ GroupId, Type: 'AVChatRoom', EventType, MemberList: [{ Member_Account: 'mem3' }] })));
  });

  it('does not report a group as full while it has room', async () => {
    const GroupId = await group({ MaxMemberCount: 4 });
    await call('add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem2' }] });
    await call('modify_group_base_info', { GroupId, Name: 'room left' });
    await waitFor(GroupId, 'Group.CallbackAfterGroupInfoChanged');
    expect(commands(GroupId)).to.not.include('Group.CallbackAfterGroupFull');
  });

  it('reports a recall with the recalled sequences, after the sends', async () => {
    const GroupId = await group();
    const one = (await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 1, MsgBody: text('one') })).MsgSeq as number;
    const two = (await call('send_group_msg', { GroupId, From_Account: 'own', Random: 2, MsgBody: text('two') })).MsgSeq as number;
    await call('group_msg_recall', { GroupId, MsgSeqList: [{ MsgSeq: one }, { MsgSeq: two }] });
    await waitFor(GroupId, 'Group.CallbackAfterRecallMsg');
    expect(commands(GroupId).slice(1)).to.deep.equal(['Group.CallbackAfterSendMsg', 'Group.CallbackAfterSendMsg', 'Group.CallbackAfterRecallMsg']);
    const recall = of(GroupId).find((r) => r.query.CallbackCommand === 'Group.CallbackAfterRecallMsg')!;
    expect(fields(recall)).to.deep.equal({ GroupId, Type: 'Public', Operator_Account: admin, MsgSeqList: [{ MsgSeq: one }, { MsgSeq: two }], TopicId: '' });
  });

  it('reports each change of the group’s attributes with its option type and the attributes it named', async () => {
    const GroupId = await group();
    await call('set_group_attr', { GroupId, GroupAttr: [{ key: 'mode', value: 'quiet' }, { key: 'topic', value: 'none' }] });
    await call('modify_group_attr', { GroupId, GroupAttr: [{ key: 'topic', value: 'news' }] });
    await call('delete_group_attr', { GroupId, GroupAttr: [{ key: 'mode' }] });
    await call('clear_group_attr', { GroupId });
    await waitFor(GroupId, 'Group.CallbackAfterGroupAttrChanged', 4);
    expect(of(GroupId).filter((r) => r.query.CallbackCommand === 'Group.CallbackAfterGroupAttrChanged').map(fields)).to.deep.equal([
      { GroupId, Type: 'Public', Operator_Account: admin, OptionType: 'set', GroupAttr: [{ key: 'mode', value: 'quiet' }, { key: 'topic', value: 'none' }] },
      { GroupId, Type: 'Public', Operator_Account: admin, OptionType: 'modify', GroupAttr: [{ key: 'topic', value: 'news' }] },
      { GroupId, Type: 'Public', Operator_Account: admin, OptionType: 'delete', GroupAttr: [{ key: 'mode', value: '' }] },
      { GroupId, Type: 'Public', Operator_Account: admin, OptionType: 'clear', GroupAttr: [] },
    ]);
  });

  it('reports a new owner with the old and the new one', async () => {
    const GroupId = await group();
    await call('change_group_owner', { GroupId, NewOwner_Account: 'mem1' });
    await waitFor(GroupId, 'Group.CallbackAfterChangeGroupOwner');
    const changed = of(GroupId).find((r) => r.query.CallbackCommand === 'Group.CallbackAfterChangeGroupOwner')!;
    expect(fields(changed)).to.deep.equal({ GroupId, Type: 'Public', Operator_Account: admin, OldOwner_Account: 'own', NewOwner_Account: 'mem1' });
  });

  it('reports a member’s new name card and role, and not a change of message option', async () => {
    const GroupId = await group();
    await call('modify_group_member_info', { GroupId, Member_Account: 'mem1', MsgFlag: 'Discard' });
    await call('modify_group_member_info', { GroupId, Member_Account: 'mem1', NameCard: 'First Mate' });
    await call('modify_group_member_info', { GroupId, Member_Account: 'mem1', Role: 'Admin' });
    await waitFor(GroupId, 'Group.CallbackAfterMemberFieldChanged', 2);
    // One order per group: a report of the message option would have come before these two.
    const reports = of(GroupId).filter((r) => r.query.CallbackCommand === 'Group.CallbackAfterMemberFieldChanged');
    expect(reports.map(fields)).to.deep.equal([
      { GroupId, Type: 'Public', Operator_Account: admin, Modified_Account: 'mem1', NameCard: 'First Mate' },
      { GroupId, Type: 'Public', Operator_Account: admin, Modified_Account: 'mem1', Role: 'Admin' },
    ]);
  });

  describe('a message the group did not send', () => {
    const EXCEPTION = 'Group.CallbackSendMsgException';
    const exceptions = (groupId: string) => backend.of(EXCEPTION).filter((r) => r.body.GroupId === groupId);

    it('is reported with the send and the code its sender got when a muted member speaks', async () => {
      const GroupId = await group();
      let muted: Record<string, unknown> = {};
      await call('forbid_send_msg', { GroupId, Members_Account: ['mem1'], MuteTime: 600 });
      // An administrator's REST send ignores the mute; the member's own device does not.
      const { sdkAppId, secret } = server.app;
      const node = { sdkAppId, proxyServer: `ws://127.0.0.1:${server.port}`, sig: (userId: string) => tencentUserSig({ sdkAppId, key: secret, userId }) } as Parley;
      const device = await FrameClient.open(node);
      try {
        expect((await device.login(node, 'mem1')).ErrorCode).to.equal(0);
        muted = await device.request('group_open_http_svc.send_group_msg', { GroupId, Random: 11, MsgBody: text('let me speak'), CloudCustomData: 'cc' });
      } finally {
        device.close();
      }
      expect(muted.ErrorCode).to.be.a('number').and.not.equal(0);
      await backend.waitFor(() => exceptions(GroupId).length === 1, 'the exception report');
      const report = fields(exceptions(GroupId)[0]);
      expect(report).to.deep.include({ GroupId, Type: 'Public', From_Account: 'mem1', Operator_Account: 'mem1', Random: 11, OnlineOnlyFlag: 0, MsgBody: text('let me speak'), CloudCustomData: 'cc', ErrorCode: muted.ErrorCode });
      expect(Object.keys(report).sort()).to.deep.equal(['CloudCustomData', 'ErrorCode', 'ErrorInfo', 'From_Account', 'GroupId', 'MsgBody', 'OnlineOnlyFlag', 'Operator_Account', 'Random', 'Type']);
      expect(report.ErrorInfo).to.be.a('string').and.not.equal('');
      expect(exceptions(GroupId)[0].query).to.include({ OptPlatform: 'Web', ClientIP: '127.0.0.1' });
      expect(commands(GroupId)).to.not.include('Group.CallbackAfterSendMsg');
    });

    it('is reported with 10023 for each message frequency control dropped', async () => {
      const app = await server.broker.call<{ settings: { groups: object } }, object>('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { messagesPerSecond: 1 } } });
      try {
        const GroupId = await group();
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 100 + i, MsgBody: text(`burst ${i}`) }));
        const dropped = answers.filter((a) => a.MsgDropReason === 'MsgFreqCtrl');
        expect(dropped.length, JSON.stringify(app.settings)).to.be.at.least(1);
        await backend.waitFor(() => exceptions(GroupId).length === dropped.length, 'one report per dropped message');
        expect(exceptions(GroupId).map((r) => r.body.ErrorCode)).to.deep.equal(dropped.map(() => 10023));
      } finally {
        await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { messagesPerSecond: 40 } } });
      }
    });

    it('is not reported for a message that was sent', async () => {
      const GroupId = await group();
      await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 5, MsgBody: text('fine') });
      await call('modify_group_base_info', { GroupId, Name: 'after the send' });
      await waitFor(GroupId, 'Group.CallbackAfterGroupInfoChanged');
      expect(exceptions(GroupId)).to.have.length(0);
    });
  });

  describe('before-send', () => {
    const BEFORE = 'Group.CallbackBeforeSendMsg';
    const newest = async (GroupId: string) =>
      ((await call('group_msg_get_simple', { GroupId, ReqMsgNumber: 1 })).RspMsgList as { MsgSeq: number; MsgBody: unknown }[] | undefined)?.[0];
    const answering = (reply: object) => {
      backend.respond = (r) => ({ body: r.query.CallbackCommand === BEFORE ? reply : OK });
    };
    afterEach(() => {
      backend.respond = () => ({ body: OK });
    });

    it('asks the backend with the message as Tencent words it', async () => {
      const GroupId = await group();
      await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 77, MsgBody: text('asked'), CloudCustomData: 'cd' });
      const asked = backend.of(BEFORE).filter((r) => r.body.GroupId === GroupId);
      expect(asked).to.have.length(1);
      expect(fields(asked[0])).to.deep.equal({ GroupId, Type: 'Public', From_Account: 'mem1', Operator_Account: admin, Random: 77, OnlineOnlyFlag: 0, MsgBody: text('asked'), CloudCustomData: 'cd', TopicId: '' });
    });

    const refusals: [string, object, number][] = [
      ['ErrorCode 1 with 10016', { ...OK, ErrorCode: 1 }, 10016],
      ['a code in [10100, 10200] with that code', { ...OK, ErrorCode: 10_150, ErrorInfo: 'not here' }, 10_150],
      ['an out-of-range code with 10016', { ...OK, ErrorCode: 120_001 }, 10016],
    ];
    for (const [what, reply, code] of refusals) {
      it(`refuses on ${what}, storing and reporting nothing`, async () => {
        const GroupId = await group();
        answering(reply);
        expect((await rest.call('group_open_http_svc/send_group_msg', { GroupId, From_Account: 'mem1', Random: 1, MsgBody: text('no') })).ErrorCode).to.equal(code);
        expect(await newest(GroupId)).to.equal(undefined);
        await call('modify_group_base_info', { GroupId, Name: 'after the refusal' });
        await waitFor(GroupId, 'Group.CallbackAfterGroupInfoChanged');
        expect(commands(GroupId)).to.not.include('Group.CallbackAfterSendMsg');
      });
    }

    it('tells the sender it was sent but stores nothing when the backend drops it', async () => {
      const GroupId = await group();
      answering({ ...OK, ErrorCode: 2 });
      expect((await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 2, MsgBody: text('dropped') })).ErrorCode).to.equal(0);
      expect(await newest(GroupId)).to.equal(undefined);
    });

    it('stores and reports the body the backend put in its answer', async () => {
      const GroupId = await group();
      answering({ ...OK, MsgBody: text('***') });
      const sent = await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 3, MsgBody: text('rude words') });
      expect(await newest(GroupId)).to.deep.include({ MsgSeq: sent.MsgSeq, MsgBody: text('***') });
      await waitFor(GroupId, 'Group.CallbackAfterSendMsg');
      expect(of(GroupId).find((r) => r.query.CallbackCommand === 'Group.CallbackAfterSendMsg')!.body.MsgBody).to.deep.equal(text('***'));
    });

    it('sends when the answer is not JSON, and logs it with the request id', async () => {
      const GroupId = await group();
      backend.respond = (r) => (r.query.CallbackCommand === BEFORE ? { body: '<html>oops</html>' } : { body: OK });
      const logs = captureLogs();
      let sent;
      try {
        sent = await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 4, MsgBody: text('through') });
      } finally {
        logs.restore();
      }
      expect(await newest(GroupId)).to.deep.include({ MsgSeq: sent.MsgSeq, MsgBody: text('through') });
      expect(logs.matching(/Group\.CallbackBeforeSendMsg/, new RegExp(String(sent.RequestId)), /not JSON/), logs.lines.join('\n')).to.have.length(1);
    });
  });
});
