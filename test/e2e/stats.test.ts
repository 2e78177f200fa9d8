/**
 * Statistics from outside: real traffic through REST and the SDK WebSocket, then
 * openconfigsvr/getappinfo in Tencent's format; the same figures rebuilt by replaying the log
 * from its start; ConfigSvc/GetIPList.
 */
import { expect } from 'chai';
import { FrameClient, startParley, type Parley } from './ws-harness';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { StatsFold } from '../../services/stats/fold';
import { appInfo } from '../../services/stats/report';
import { dayOf } from '../../services/stats/figures';
import { fromSnapshot, toSnapshot } from '../../services/stats/snapshot';

type Answer = { ActionStatus: string; ErrorCode: number; ErrorInfo: string; Result?: Record<string, string>[]; IPList?: string[]; GroupId?: string };
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('statistics: getappinfo and GetIPList (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let client: FrameClient | undefined;
  const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });

  before(async () => {
    parley = await startParley({ PARLEY_STATS_SAMPLE_SEC: '3600' }, 1400000077);
    ok(await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] }));
    // A re-import that changes the nick is no new registration; a deletion lowers the total.
    ok(await parley.rest('im_open_login_svc/account_import', { UserID: 'alice', Nick: 'Alice' }));
    ok(await parley.rest('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'carol' }] }));
    for (const r of [1, 2]) ok(await parley.rest('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: r, MsgBody: text(`hi ${r}`) }));
    const group = await parley.rest<Answer>('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'G', MemberList: [{ Member_Account: 'bob' }] });
    ok(group);
    ok(await parley.rest('group_open_http_svc/send_group_msg', { GroupId: group.GroupId, From_Account: 'bob', Random: 9, MsgBody: text('to all') }));
    client = await FrameClient.open(parley);
    await client.login(parley, 'alice');
  });
  after(async () => {
    client?.close();
    await parley?.stop();
  });

  const today = async (body: object = {}) => {
    const a = await parley.rest<Answer>('openconfigsvr/getappinfo', body);
    ok(a);
    return a.Result!;
  };

  it('answers 30 days, today first, every figure a decimal string', async () => {
    const result = await today();
    expect(result).to.have.length(30);
    expect(result[0].Date).to.equal(dayOf(Date.now(), 0));
    expect(result[0].AppId).to.equal('1400000077');
    for (const value of Object.values(result[0])) expect(value).to.be.a('string');
  });

  it('counts registrations, messages up and down, senders, groups and logins of the day', async () => {
    const day = (await today())[0];
    expect(day).to.include({ RegistUserNumOneDay: '3', RegistUserNumTotal: '2', C2CUpMsgNum: '2', C2CDownMsgNum: '2', C2CSendMsgUserNum: '1' });
    expect(day).to.include({ GroupNewGroupNum: '1', GroupAllGroupNum: '1', GroupUpMsgNum: '1', GroupDownMsgNum: '1', GroupSendMsgUserNum: '1', GroupSendMsgGroupNum: '1' });
    expect(day).to.include({ UpMsgNum: '3', DownMsgNum: '3', SendMsgUserNum: '2', LoginTimes: '1', LoginUserNum: '1', ActiveUserNum: '2' });
  });

  it('answers only the fields asked for (and the date), and refuses an unknown field with 1002', async () => {
    const [day] = await today({ RequestField: ['LoginTimes', 'C2CUpMsgNum'] });
    expect(Object.keys(day).sort()).to.deep.equal(['C2CUpMsgNum', 'Date', 'LoginTimes']);
    const bad = await parley.rest<Answer>('openconfigsvr/getappinfo', { RequestField: ['LoginTimes', 'NoSuchField'] });
    expect(bad).to.include({ ActionStatus: 'FAIL', ErrorCode: 1002 });
  });

  it('finds the same figures when the projection is rebuilt from the start of the log, and from its snapshot', async () => {
    const served = await today();
    const store = runtimeOf(parley.broker).store;
    const rebuilt = new StatsFold(0);
    for (let page = await store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER }); page.length > 0; page = await store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, afterPosition: rebuilt.position })) {
      for (const e of page) rebuilt.apply(e);
    }
    const app = { sdkAppId: 1400000077, name: '' };
    expect(appInfo(rebuilt, app, Date.now())).to.deep.equal(served);
    expect(appInfo(fromSnapshot(toSnapshot(rebuilt), 0)!, app, Date.now())).to.deep.equal(served);
  });

  it('answers GetIPList with the addresses of the nodes', async () => {
    const a = await parley.rest<Answer>('ConfigSvc/GetIPList', {});
    ok(a);
    expect(a.IPList).to.be.an('array');
    for (const ip of a.IPList!) expect(ip).to.match(/^[0-9a-f.:]+$/i);
  });
});
