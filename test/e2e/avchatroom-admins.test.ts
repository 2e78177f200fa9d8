/**
 * Admins of a live room named by the app's backend (group_open_avchatroom_http_svc modify_admin,
 * get_admin_list), driven over REST and seen through Tencent's SDK: an admin need not be in the
 * room, keeps the role through leaving and entering again and across a restart (the role is an
 * event of the group), shows as Admin in the SDK, and may mute viewers; bad calls answer Tencent's
 * codes and change nothing.
 */
import { expect } from 'chai';
import { tempDir } from '../support/stores';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, type Parley } from './ws-harness';

const AV = 'group_open_avchatroom_http_svc';
const G = 'group_open_http_svc';

type AdminList = { ErrorCode: number; Admin_List: { Admin_Account: string; NickName: string; Avatar: string }[] };

describe('AVChatRoom admins (e2e, REST and SDK)', function () {
  this.timeout(30_000);
  const dataDir = tempDir('parley-live-admins-');
  const appId = 1400000000 + Math.floor(Math.random() * 1e8);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let room = '';
  const rest = <T = { ErrorCode: number }>(cmd: string, body: object) => parley.rest<T & { ErrorCode: number }>(cmd, body);
  const modify = (CommandType: number, Admin_Account: string[], GroupId = room) => rest(`${AV}/modify_admin`, { GroupId, CommandType, Admin_Account });
  const admins = async () => (await rest<AdminList>(`${AV}/get_admin_list`, { GroupId: room })).Admin_List.map((a) => a.Admin_Account);

  before(async () => {
    parley = await startParley({ PARLEY_DATA: dataDir }, appId);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['lhost', 'ladm', 'ladm2', 'lview', 'lview2', 'l3', 'l4', 'l5', 'l6'] });
    await rest('profile/portrait_set', { From_Account: 'ladm', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Adm' }, { Tag: 'Tag_Profile_IM_Image', Value: 'https://example.com/adm.png' }] });
    room = (await rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'lhost', Type: 'AVChatRoom', Name: 'Live' })).GroupId;
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('names admins who are not in the room and lists them with their profiles', async () => {
    expect((await modify(1, ['ladm', 'ladm2'])).ErrorCode).to.equal(0);
    const list = await rest<AdminList>(`${AV}/get_admin_list`, { GroupId: room });
    expect(list.ErrorCode).to.equal(0);
    expect(list.Admin_List).to.deep.equal([
      { Admin_Account: 'ladm', NickName: 'Adm', Avatar: 'https://example.com/adm.png' },
      { Admin_Account: 'ladm2', NickName: '', Avatar: '' },
    ]);
    const roles = await rest<{ UserIdList: { Member_Account: string; Role: string }[] }>(`${G}/get_role_in_group`, { GroupId: room, User_Account: ['ladm', 'lview'] });
    expect(roles.UserIdList.map((r) => r.Role)).to.deep.equal(['Admin', 'NotMember']);
  });

  it('shows the admin as Admin in the SDK, and lets them mute a viewer, who can then not send', async () => {
    const adm = await sdkLogin(parley, 'ladm', clients);
    const viewer = await sdkLogin(parley, 'lview', clients);
    await adm.chat.joinGroup({ groupID: room });
    await viewer.chat.joinGroup({ groupID: room });
    const list = (await viewer.chat.getGroupMemberList({ groupID: room, count: 100, offset: 0 })) as { data: { memberList: { userID: string; role: string }[] } };
    expect(list.data.memberList.map((m) => `${m.userID}:${m.role}`).sort()).to.deep.equal(['ladm:Admin', 'lview:Member']);
    const profile = (await adm.chat.getGroupProfile({ groupID: room })) as { data: { group: { selfInfo: { role: string } } } };
    expect(profile.data.group.selfInfo.role).to.equal('Admin');

    await adm.chat.setGroupMemberMuteTime({ groupID: room, userID: 'lview', muteTime: 600 });
    const muted = await rest<{ MutedAccountList: { Member_Account: string }[] }>(`${G}/get_group_muted_account`, { GroupId: room });
    expect(muted.MutedAccountList.map((m) => m.Member_Account)).to.deep.equal(['lview']);
    const refused = await viewer.chat
      .sendMessage(viewer.chat.createTextMessage({ to: room, conversationType: viewer.TencentCloudChat.TYPES.CONV_GROUP, payload: { text: 'hi' } }))
      .then(() => 0, (e: { code: number }) => e.code);
    expect(refused).to.equal(10017);
  });

  it('keeps the admin through leaving and entering the room again', async () => {
    const adm = clients[0];
    await adm.chat.quitGroup(room);
    expect(await admins()).to.deep.equal(['ladm', 'ladm2']);
    await adm.chat.joinGroup({ groupID: room });
    expect(await admins()).to.deep.equal(['ladm', 'ladm2']);
  });

  it('refuses bad calls with Tencent codes and stores nothing of them', async () => {
    const work = (await rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'lhost', Type: 'Public', Name: 'p' })).GroupId;
    expect((await modify(1, ['l3'], work)).ErrorCode).to.equal(10007);
    expect((await rest(`${AV}/get_admin_list`, { GroupId: work })).ErrorCode).to.equal(10007);
    expect((await modify(1, ['l3'], 'missing-room')).ErrorCode).to.equal(10010);
    expect((await rest(`${AV}/get_admin_list`, { GroupId: 'missing-room' })).ErrorCode).to.equal(10010);
    expect((await modify(1, ['l3', 'l4', 'l5', 'l6', 'lview2', 'lview'])).ErrorCode, 'six accounts in one call').to.equal(10004);
    expect((await modify(1, ['l3', 'l4', 'l5', 'l6'])).ErrorCode, 'a sixth admin').to.equal(10004);
    expect((await modify(1, ['l3', 'nobody-here'])).ErrorCode, 'an unknown account').to.equal(10004);
    expect((await modify(1, [''])).ErrorCode).to.equal(10004);
    expect((await modify(1, [])).ErrorCode).to.equal(10004);
    expect((await modify(3, ['l3'])).ErrorCode).to.equal(10004);
    expect((await modify(1, ['lhost'])).ErrorCode, 'the owner').to.equal(10004);
    expect((await rest(`${AV}/modify_admin`, { GroupId: room, Admin_Account: ['l3'] })).ErrorCode).to.equal(10004);

    const asUser = `http://127.0.0.1:${parley.port}/v4/${AV}/modify_admin?sdkappid=${appId}&identifier=lview&usersig=${encodeURIComponent(parley.sig('lview'))}&random=1&contenttype=json`;
    const res = (await (await fetch(asUser, { method: 'POST', body: JSON.stringify({ GroupId: room, CommandType: 1, Admin_Account: ['l3'] }) })).json()) as { ErrorCode: number };
    expect(res.ErrorCode, 'a REST caller who is no app administrator').to.equal(60010);
    const frames = await FrameClient.open(parley);
    try {
      await frames.login(parley, 'lhost');
      const reply = await frames.request(`${AV}.modify_admin`, { GroupId: room, CommandType: 1, Admin_Account: ['l3'] });
      expect(reply.ErrorCode, 'an SDK user, the owner included').to.not.equal(0);
    } finally {
      frames.close();
    }
    expect(await admins()).to.deep.equal(['ladm', 'ladm2']);
  });

  it('takes the role back, and keeps the admins over a restart: they are events of the group', async () => {
    expect((await modify(2, ['ladm2', 'lview'])).ErrorCode).to.equal(0);
    expect((await modify(1, ['l3'])).ErrorCode).to.equal(0);
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley.stop();
    parley = await startParley({ PARLEY_DATA: dataDir }, appId);
    expect(await admins()).to.deep.equal(['ladm', 'l3']);
  });
});
