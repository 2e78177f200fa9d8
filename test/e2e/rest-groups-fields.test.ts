/**
 * Groups through the REST API, second part: stored tips in group_msg_get_simple, the app's
 * custom group and member fields with their permissions, public profiles and deleting all of a
 * sender's messages.
 */
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const G = 'group_open_http_svc';

describe('REST groups: tips in history, custom fields, deletion by sender (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  let random = 1;
  const call = (cmd: string, body: object) => rest.call(`${G}/${cmd}`, body);
  const send = (GroupId: string, From_Account: string, Text = `from ${From_Account}`) => call('send_group_msg', { GroupId, From_Account, Random: random++, MsgBody: text(Text) });

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups'] });
    rest = adminRest(server);
    // The 10,000-message import below calls one command faster than the default 200/s.
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { rateLimits: { default: 100_000 } } });
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'm1', 'm2', 'm3'] }));
    ok(await rest.call('im_open_login_svc/account_import', { UserID: 'm1', Nick: 'Emm One' }));
  });
  after(() => server?.stop());

  it('answers stored tips in group_msg_get_simple as TIMGroupTipElem with Tencent’s tip fields', async () => {
    ok(await call('create_group', { Owner_Account: 'owner', Type: 'Public', Name: 'Tips', GroupId: 'rest-tips' }));
    ok(await call('add_group_member', { GroupId: 'rest-tips', MemberList: [{ Member_Account: 'm1' }] }));
    ok(await call('modify_group_base_info', { GroupId: 'rest-tips', Name: 'Renamed' }));
    ok(await send('rest-tips', 'm1'));
    const page = await call('group_msg_get_simple', { GroupId: 'rest-tips', ReqMsgNumber: 10 });
    ok(page);
    const list = page.RspMsgList as { MsgSeq: number; IsSystemMsg: number; MsgBody: { MsgType: string; MsgContent: Record<string, unknown> }[] }[];
    expect(list.map((m) => [m.MsgSeq, m.IsSystemMsg, m.MsgBody[0].MsgType])).to.deep.equal([
      [3, 0, 'TIMTextElem'],
      [2, 1, 'TIMGroupTipElem'],
      [1, 1, 'TIMGroupTipElem'],
    ]);
    expect(list[2].MsgBody[0].MsgContent).to.include({ OpType: 1, Operator_Account: 'administrator', MemberNum: 2 });
    expect(list[2].MsgBody[0].MsgContent.List_Account).to.deep.equal(['m1']);
    expect(list[2].MsgBody[0].MsgContent.MsgMemberExtraInfo).to.deep.equal([{ User_Account: 'm1', ShutupTime: 0, NickName: 'Emm One', ImageUrl: '' }]);
    expect(list[1].MsgBody[0].MsgContent).to.include({ OpType: 6 });
    expect(list[1].MsgBody[0].MsgContent.MsgGroupNewInfo).to.deep.equal({ GroupName: 'Renamed' });
  });

  it('deletes every message of a sender, also those older than the 10,000 the group actor remembers', async function () {
    this.timeout(120_000);
    const start = Math.floor(Date.now() / 1000) - 86_400;
    ok(await call('import_group', { Owner_Account: 'owner', Type: 'Public', Name: 'Big', GroupId: 'big-history', CreateTime: start, MemberList: [{ Member_Account: 'm2' }, { Member_Account: 'm3' }] }));
    // 10,020 imported messages; m3 wrote the first three and every 2,000th.
    const total = 10_020;
    for (let first = 0; first < total; first += 20) {
      const MsgList = Array.from({ length: 20 }, (_, k) => {
        const i = first + k;
        return { From_Account: i < 3 || i % 2000 === 0 ? 'm3' : 'm2', SendTime: start + 1 + Math.floor(i / 20), Random: i + 1, MsgBody: text(`#${i + 1}`) };
      });
      const imported = await call('import_group_msg', { GroupId: 'big-history', MsgList });
      ok(imported);
    }
    ok(await call('delete_group_msg_by_sender', { GroupId: 'big-history', Sender_Account: 'm3' }));

    const placeholders = async (ReqMsgSeq: number) => {
      const page = await call('group_msg_get_simple', { GroupId: 'big-history', ReqMsgSeq, ReqMsgNumber: 20 });
      ok(page);
      return (page.RspMsgList as { MsgSeq: number; IsPlaceMsg: number }[]).filter((m) => m.IsPlaceMsg === 1).map((m) => m.MsgSeq).sort((a, b) => a - b);
    };
    expect(await placeholders(20)).to.deep.equal([1, 2, 3]);
    expect(await placeholders(4010)).to.deep.equal([4001]);
    expect(await placeholders(10_010)).to.deep.equal([10_001]);
    const newest = await call('group_msg_get_simple', { GroupId: 'big-history', ReqMsgNumber: 20 });
    expect((newest.RspMsgList as { MsgSeq: number; IsPlaceMsg: number }[]).filter((m) => m.IsPlaceMsg !== 0).map((m) => m.MsgSeq)).to.deep.equal([10_001]);
  });

  it('lists a manager’s pending join requests for the administrator naming Handle_Account, and answers public profiles', async () => {
    ok(await call('create_group', { Owner_Account: 'owner', Type: 'Public', Name: 'Queue', GroupId: 'queue', MemberList: [{ Member_Account: 'm1' }] }));
    ok(await call('apply_join_group', { GroupId: 'queue', From_Account: 'm2', ApplyMsg: 'hi' }));
    const forOwner = await call('get_pendency', { Handle_Account: 'owner' });
    ok(forOwner);
    const items = forOwner.PendencyList as Record<string, unknown>[];
    expect(items.filter((p) => p.GroupId === 'queue').map((p) => [p.From_Account, p.ApplyInviteMsg, p.PendencyType, p.Handled])).to.deep.equal([['m2', 'hi', 0, 0]]);
    expect(forOwner.NextStartTime).to.equal(0);
    const forMember = await call('get_pendency', { Handle_Account: 'm1' });
    expect((forMember.PendencyList as unknown[]).length).to.equal(0);
    expect((await call('get_pendency', {})).ErrorCode).to.equal(10004);

    const info = await call('get_group_public_info', { GroupIdList: ['queue', 'nowhere'] });
    ok(info);
    const [queue, nowhere] = info.GroupInfo as Record<string, unknown>[];
    expect(queue).to.include({ GroupId: 'queue', ErrorCode: 0, Type: 'Public', Name: 'Queue', Owner_Account: 'owner', MemberNum: 2, ApplyJoinOption: 'NeedPermission' });
    expect(queue).to.not.have.property('MemberList');
    expect(nowhere.ErrorCode).to.equal(10010);
  });

  it('shows a manager at most the 50 newest join requests over all their groups', async () => {
    const applicants = Array.from({ length: 52 }, (_, i) => `ap${i}`);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: applicants }));
    for (const GroupId of ['queue-a', 'queue-b']) ok(await call('create_group', { Owner_Account: 'm3', Type: 'Public', Name: GroupId, GroupId }));
    for (const [i, user] of applicants.entries()) ok(await call('apply_join_group', { GroupId: i < 26 ? 'queue-a' : 'queue-b', From_Account: user }));
    const list = (await call('get_pendency', { Handle_Account: 'm3' })).PendencyList as { From_Account: string }[];
    expect(list).to.have.length(50);
    expect(list.map((p) => p.From_Account)).to.not.include.members(['ap0', 'ap1']);
  });

  describe('custom fields', () => {
    before(async () => {
      await server.broker.call('apps.update', {
        sdkAppId: server.app.sdkAppId,
        settings: {
          groups: {
            groupFields: [
              { key: 'Level', read: 'Anyone', write: 'AppAdmin' },
              { key: 'Topic', read: 'Member', write: 'Member' },
              { key: 'Audit', read: 'AppAdmin', write: 'AppAdmin' },
            ],
            memberFields: [{ key: 'Rank', read: 'Member', write: 'Admin', selfWrite: false }],
          },
        },
      });
    });

    it('refuses settings with a malformed key or level', async () => {
      const bad = server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { groupFields: [{ key: 'Has space', read: 'Anyone', write: 'Owner' }] } } });
      await bad.then(
        () => expect.fail('accepted'),
        (err: Error) => expect(err.message).to.match(/invalid settings/),
      );
      const worse = server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { memberFields: [{ key: 'X', read: 'Everyone', write: 'Owner' }] } } });
      await worse.then(
        () => expect.fail('accepted'),
        (err: Error) => expect(err.message).to.match(/invalid settings/),
      );
    });

    it('creates a group with configured group and member fields and answers them', async () => {
      ok(await call('create_group', { Owner_Account: 'owner', Type: 'Public', Name: 'F', GroupId: 'fields-1', AppDefinedData: [{ Key: 'Level', Value: '3' }, { Key: 'Audit', Value: 'ok' }], MemberList: [{ Member_Account: 'm1', AppMemberDefinedData: [{ Key: 'Rank', Value: 'gold' }] }] }));
      const [g] = (await call('get_group_info', { GroupIdList: ['fields-1'] })).GroupInfo as { AppDefinedData: unknown; MemberList: { Member_Account: string; AppMemberDefinedData: unknown }[] }[];
      expect(g.AppDefinedData).to.deep.equal([{ Key: 'Level', Value: '3' }, { Key: 'Audit', Value: 'ok' }]);
      const joined = await call('get_joined_group_list', { Member_Account: 'm1' });
      const item = (joined.GroupIdList as { GroupId: string; AppDefinedData: unknown }[]).find((x) => x.GroupId === 'fields-1');
      expect(item?.AppDefinedData, 'the administrator reads every field').to.deep.equal([{ Key: 'Level', Value: '3' }, { Key: 'Audit', Value: 'ok' }]);
      const narrowed = await call('get_group_info', { GroupIdList: ['fields-1'], ResponseFilter: { AppDefinedDataFilter_Group: ['Audit'] } });
      expect((narrowed.GroupInfo as { AppDefinedData: unknown }[])[0].AppDefinedData).to.deep.equal([{ Key: 'Audit', Value: 'ok' }]);
      expect(g.MemberList.find((m) => m.Member_Account === 'm1')?.AppMemberDefinedData).to.deep.equal([{ Key: 'Rank', Value: 'gold' }]);
      const members = await call('get_group_member_info', { GroupId: 'fields-1', AppDefinedDataFilter_GroupMember: ['Rank'] });
      expect((members.MemberList as { Member_Account: string; AppMemberDefinedData: unknown }[]).find((m) => m.Member_Account === 'm1')?.AppMemberDefinedData).to.deep.equal([{ Key: 'Rank', Value: 'gold' }]);
    });

    it('refuses unconfigured keys with 10004 on create, modify and member changes, changing nothing', async () => {
      const created = await call('create_group', { Owner_Account: 'owner', Type: 'Public', Name: 'F', GroupId: 'fields-2', AppDefinedData: [{ Key: 'Nope', Value: '1' }] });
      expect(created.ErrorCode).to.equal(10004);
      expect(((await call('get_group_info', { GroupIdList: ['fields-2'] })).GroupInfo as { ErrorCode: number }[])[0].ErrorCode).to.equal(10010);

      ok(await call('create_group', { Owner_Account: 'owner', Type: 'Public', Name: 'F', GroupId: 'fields-3', MemberList: [{ Member_Account: 'm1' }] }));
      expect((await call('modify_group_base_info', { GroupId: 'fields-3', AppDefinedData: [{ Key: 'Level', Value: '1' }, { Key: 'Nope', Value: '1' }] })).ErrorCode).to.equal(10004);
      expect((await call('modify_group_base_info', { GroupId: 'fields-3', AppDefinedData: [{ Key: 'Level', Value: 'x'.repeat(513) }] })).ErrorCode).to.equal(10004);
      expect((await call('modify_group_member_info', { GroupId: 'fields-3', Member_Account: 'm1', AppMemberDefinedData: [{ Key: 'Nope', Value: '1' }] })).ErrorCode).to.equal(10004);
      expect((await call('modify_group_member_info', { GroupId: 'fields-3', Member_Account: 'm1', AppMemberDefinedData: [{ Key: 'Rank', Value: 'x'.repeat(65) }] })).ErrorCode).to.equal(10004);
      const [g] = (await call('get_group_info', { GroupIdList: ['fields-3'] })).GroupInfo as { AppDefinedData: unknown; InfoSeq: number; MemberList: { AppMemberDefinedData: unknown }[] }[];
      expect(g.AppDefinedData).to.deep.equal([]);
      expect(g.InfoSeq).to.equal(1);
      expect(g.MemberList.every((m) => (m.AppMemberDefinedData as unknown[]).length === 0)).to.equal(true);

      ok(await call('modify_group_base_info', { GroupId: 'fields-3', AppDefinedData: [{ Key: 'Level', Value: 'x'.repeat(512) }] }));
      ok(await call('modify_group_member_info', { GroupId: 'fields-3', Member_Account: 'm1', AppMemberDefinedData: [{ Key: 'Rank', Value: 'x'.repeat(64) }] }));
    });
  });
});
