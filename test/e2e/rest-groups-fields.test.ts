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
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'm1', 'm2', 'm3'] }));
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
    expect(list[1].MsgBody[0].MsgContent).to.include({ OpType: 6 });
    expect(list[1].MsgBody[0].MsgContent.MsgGroupNewInfo).to.deep.equal({ GroupName: 'Renamed' });
  });
});
