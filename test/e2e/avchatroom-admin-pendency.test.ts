/**
 * Requests to join a live room (AVChatRoom) that asks for approval reach the admins the app's
 * backend named with modify_admin, who are not members of the room: get_pendency over REST and
 * the SDK's getGroupApplicationList list them, an admin approves one with the SDK, and once the
 * role is taken back the room's requests are no longer theirs.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Pendency = { ErrorCode: number; PendencyList: { GroupId: string; From_Account: string; To_Account: string; ApplyInviteMsg: string }[] };
type Application = { applicant: string; groupID: string; note: string };

describe('AVChatRoom join requests for named admins (e2e, REST and SDK)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const rest = <T = { ErrorCode: number }>(cmd: string, body: object) => parley.rest<T & { ErrorCode: number }>(cmd, body);
  const pendencyOf = async (user: string) => {
    const answer = await rest<Pendency>('group_open_http_svc/get_pendency', { Handle_Account: user, StartTime: 0, Limit: 10 });
    expect(answer.ErrorCode).to.equal(0);
    return answer.PendencyList.map((p) => `${p.GroupId}:${p.From_Account}:${p.ApplyInviteMsg}`);
  };

  before(async () => {
    parley = await startParley({}, 1400000196);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['phost', 'padm', 'pfan1', 'pfan2'] });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it("lists a live room's requests for the admin named by modify_admin until the role is taken back", async () => {
    const room = (await rest<{ GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'phost', Type: 'AVChatRoom', Name: 'Stage', ApplyJoinOption: 'NeedPermission' })).GroupId;
    expect((await rest('group_open_avchatroom_http_svc/modify_admin', { GroupId: room, CommandType: 1, Admin_Account: ['padm'] })).ErrorCode).to.equal(0);
    const [fan1, fan2] = [await sdkLogin(parley, 'pfan1', clients), await sdkLogin(parley, 'pfan2', clients)];
    const joined = (await fan1.chat.joinGroup({ groupID: room, applyMessage: 'let me in' })) as { data: { status: string } };
    expect(joined.data.status).to.equal(fan1.TencentCloudChat.TYPES.JOIN_STATUS_WAIT_APPROVAL);
    await fan2.chat.joinGroup({ groupID: room, applyMessage: 'me too' });

    expect(await pendencyOf('padm')).to.deep.equal([`${room}:pfan1:let me in`, `${room}:pfan2:me too`]);
    const adm = await sdkLogin(parley, 'padm', clients);
    const listed = ((await adm.chat.getGroupApplicationList()) as { data: { applicationList: Application[] } }).data.applicationList;
    expect(listed.map((a) => `${a.groupID}:${a.applicant}:${a.note}`)).to.deep.equal([`${room}:pfan1:let me in`, `${room}:pfan2:me too`]);
    await adm.chat.handleGroupApplication({ handleAction: 'Agree', application: listed[0] } as never);
    expect(await pendencyOf('padm')).to.deep.equal([`${room}:pfan2:me too`]);

    expect((await rest('group_open_avchatroom_http_svc/modify_admin', { GroupId: room, CommandType: 2, Admin_Account: ['padm'] })).ErrorCode).to.equal(0);
    expect(await pendencyOf('padm')).to.deep.equal([]);
    // The Community twin is not asked about live rooms.
    const community = await rest<Pendency>('million_group_open_http_svc/get_pendency', { Handle_Account: 'phost', StartTime: 0, Limit: 10 });
    expect(community.PendencyList).to.deep.equal([]);
  });
});
