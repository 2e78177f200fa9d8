/**
 * Group after-callbacks reach the app backend, in order per group, with Tencent's bodies.
 */
import { expect } from 'chai';
import { OK, TestBackend } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('REST groups with after-callbacks (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  const call = (command: string, body: object) => rest.call(`group_open_http_svc/${command}`, body);
  const commands = (groupId: string) =>
    backend.received.filter((r) => r.body.GroupId === groupId).map((r) => r.query.CallbackCommand).filter((c) => c.startsWith('Group.CallbackAfter'));

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups', 'webhooks'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['own', 'mem1', 'mem2'] });
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { groupFields: [{ key: 'Level', read: 'Anyone', write: 'AppAdmin' }] } } });
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
  });

  it('lets the backend refuse a group creation with its own code', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === 'Group.CallbackBeforeCreateGroup' ? { ...OK, ErrorCode: 10_150, ErrorInfo: 'no more groups' } : OK });
    try {
      const answer = await call('create_group', { Owner_Account: 'own', Type: 'Public', Name: 'refused' });
      expect(answer).to.include({ ErrorCode: 10_150 });
      const [asked] = backend.of('Group.CallbackBeforeCreateGroup');
      expect(asked.body).to.include({ Owner_Account: 'own', Type: 'Public', Name: 'refused' });
      expect(asked.query).to.include({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    } finally {
      backend.respond = () => ({ body: OK });
    }
  });

  it('tells the backend how many groups of that type the owner created and still has', async () => {
    await rest.call('im_open_login_svc/account_import', { UserID: 'maker' });
    const asked = () => backend.of('Group.CallbackBeforeCreateGroup').filter((r) => r.body.Owner_Account === 'maker').map((r) => [r.body.Type, r.body.CreateGroupNum]);
    const create = async (Type: string) => (await call('create_group', { Owner_Account: 'maker', Type, Name: 'made' })).GroupId as string;
    const first = await create('Public');
    await create('Public');
    await create('Work');
    // Joining another's group as a member is not creating one.
    await call('add_group_member', { GroupId: (await call('create_group', { Owner_Account: 'own', Type: 'Public', Name: 'theirs' })).GroupId, MemberList: [{ Member_Account: 'maker' }] });
    await create('Public');
    expect((await call('destroy_group', { GroupId: first })).ErrorCode).to.equal(0);
    await create('Public');
    expect(asked()).to.deep.equal([['Public', 0], ['Public', 1], ['Work', 0], ['Public', 2], ['Public', 2]]);
  });

  it('keeps out the invitees the backend refuses, and lets the backend refuse an application', async () => {
    const GroupId = (await call('create_group', { Owner_Account: 'own', Type: 'Public', Name: 'gated' })).GroupId as string;
    backend.respond = (r) => ({
      body:
        r.query.CallbackCommand === 'Group.CallbackBeforeInviteJoinGroup'
          ? { ...OK, RefusedMembers_Account: ['mem2'] }
          : r.query.CallbackCommand === 'Group.CallbackBeforeApplyJoinGroup'
            ? { ...OK, ErrorCode: 1 }
            : OK,
    });
    try {
      await call('add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem1' }, { Member_Account: 'mem2' }] });
      const info = await call('get_group_member_info', { GroupId });
      const members = (info.MemberList as { Member_Account: string }[]).map((m) => m.Member_Account);
      expect(members).to.include('mem1').and.not.include('mem2');
      expect((await call('apply_join_group', { GroupId, From_Account: 'mem2', ApplyMsg: 'let me in' })).ErrorCode).to.equal(10016);
      expect(backend.of('Group.CallbackBeforeApplyJoinGroup')[0].body).to.include({ GroupId, Type: 'Public', Requestor_Account: 'mem2' });
      expect(backend.of('Group.CallbackBeforeInviteJoinGroup')[0].query).to.include({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    } finally {
      backend.respond = () => ({ body: OK });
    }
  });

  it('reports a group’s life: created, joined, info changed, message sent, member left, destroyed', async () => {
    const created = await call('create_group', { Owner_Account: 'own', Type: 'Public', Name: 'cb group', MemberList: [{ Member_Account: 'mem1' }], AppDefinedData: [{ Key: 'Level', Value: 'gold' }] });
    expect(created.ErrorCode).to.equal(0);
    const GroupId = created.GroupId as string;
    expect((await call('add_group_member', { GroupId, MemberList: [{ Member_Account: 'mem2' }] })).ErrorCode).to.equal(0);
    expect((await call('modify_group_base_info', { GroupId, Name: 'renamed' })).ErrorCode).to.equal(0);
    const sent = await call('send_group_msg', { GroupId, From_Account: 'mem1', Random: 7, MsgBody: text('hi') });
    expect(sent.ErrorCode).to.equal(0);
    expect((await call('delete_group_member', { GroupId, MemberToDel_Account: ['mem2'] })).ErrorCode).to.equal(0);
    expect((await call('destroy_group', { GroupId })).ErrorCode).to.equal(0);
    const expected = [
      'Group.CallbackAfterCreateGroup',
      'Group.CallbackAfterNewMemberJoin',
      'Group.CallbackAfterGroupInfoChanged',
      'Group.CallbackAfterSendMsg',
      'Group.CallbackAfterMemberExit',
      'Group.CallbackAfterGroupDestroyed',
    ];
    await backend.waitFor(() => expected.every((c) => commands(GroupId).includes(c)), 'every group after-callback');
    expect(commands(GroupId).filter((c) => expected.includes(c))).to.deep.equal(expected);
    const body = (c: string) => backend.of(c).filter((r) => r.body.GroupId === GroupId)[0].body;
    expect(body('Group.CallbackAfterCreateGroup')).to.include({ GroupId, Type: 'Public', Owner_Account: 'own', Name: 'cb group' });
    expect(body('Group.CallbackAfterCreateGroup').MemberList).to.deep.include({ Member_Account: 'mem1' });
    expect(body('Group.CallbackAfterCreateGroup').UserDefinedDataList).to.deep.equal([{ Key: 'Level', Value: 'gold' }]);
    expect(body('Group.CallbackAfterNewMemberJoin')).to.include({ GroupId, JoinType: 'Invited' });
    expect(body('Group.CallbackAfterNewMemberJoin').NewMemberList).to.deep.equal([{ Member_Account: 'mem2' }]);
    expect(body('Group.CallbackAfterGroupInfoChanged')).to.include({ GroupId, Name: 'renamed' });
    expect(body('Group.CallbackAfterSendMsg')).to.include({ GroupId, From_Account: 'mem1', Random: 7, MsgSeq: sent.MsgSeq });
    expect(body('Group.CallbackAfterMemberExit')).to.include({ GroupId, ExitType: 'Kicked' });
    expect(body('Group.CallbackAfterGroupDestroyed')).to.include({ GroupId, Type: 'Public', Name: 'renamed', Owner_Account: 'own' });
    expect(body('Group.CallbackAfterGroupDestroyed').MemberList).to.have.deep.members([{ Member_Account: 'own' }, { Member_Account: 'mem1' }]);
  });
});
