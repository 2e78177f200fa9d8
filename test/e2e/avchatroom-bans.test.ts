/**
 * Live-room administration with Tencent's real SDK and REST: ban_group_member takes a viewer
 * out of the room and keeps them out until unban_group_member, get_group_ban_member lists the
 * bans, and send_broadcast_msg reaches every live room of the app.
 */
import { expect } from 'chai';
import { receivedTexts, sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, until, type Parley } from './ws-harness';

const G = 'group_open_http_svc';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);

describe('AVChatRoom bans and broadcasts (e2e, SDK and REST)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let room = '';
  let other = '';
  let viewer: SdkClient;
  let watcher: SdkClient;
  const rest = <T = { ErrorCode: number }>(cmd: string, body: object) => parley.rest<T & { ErrorCode: number }>(`${G}/${cmd}`, body);
  const createRoom = async () => (await rest<{ GroupId: string }>('create_group', { Owner_Account: 'host', Type: 'AVChatRoom', Name: 'Live' })).GroupId;
  const online = async (GroupId: string) => (await rest<{ OnlineMemberNum: number }>('get_online_member_num', { GroupId })).OnlineMemberNum;
  const join = async (c: SdkClient, groupID: string) => ((await c.chat.joinGroup({ groupID }).catch((err: { code: number }) => ({ code: err.code }))) as { code?: number; data?: { status: string } });

  before(async () => {
    parley = await startParley({}, 1400000000 + Math.floor(Math.random() * 1e8));
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['host', 'bviewer', 'bwatcher'] });
    [room, other] = [await createRoom(), await createRoom()];
    viewer = await sdkLogin(parley, 'bviewer', clients);
    watcher = await sdkLogin(parley, 'bwatcher', clients);
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('takes a banned viewer out of the room and refuses their joining until the ban is lifted', async () => {
    expect((await join(viewer, room)).data?.status).to.equal(viewer.TencentCloudChat.TYPES.JOIN_STATUS_SUCCESS);
    expect(await online(room)).to.equal(1);
    expect((await rest('ban_group_member', { GroupId: room, Members_Account: ['bviewer'], Duration: 3600, Description: 'spam' })).ErrorCode).to.equal(0);
    expect(await online(room)).to.equal(0);
    expect((await join(viewer, room)).code).to.equal(10007);
    const list = await rest<{ BannedAccountList: { Member_Account: string; BannedUntil: number }[]; NextOffset: number }>('get_group_ban_member', { GroupId: room, Offset: 0, Limit: 10 });
    expect(list.BannedAccountList.map((b) => b.Member_Account)).to.deep.equal(['bviewer']);
    expect(list.BannedAccountList[0].BannedUntil).to.be.within(Math.floor(Date.now() / 1000) + 3590, Math.floor(Date.now() / 1000) + 3600);
    expect(list.NextOffset).to.equal(0);
    expect((await rest('unban_group_member', { GroupId: room, Members_Account: ['bviewer'] })).ErrorCode).to.equal(0);
    expect((await rest<{ BannedAccountList: unknown[] }>('get_group_ban_member', { GroupId: room })).BannedAccountList).to.deep.equal([]);
    expect((await join(viewer, room)).data?.status).to.equal(viewer.TencentCloudChat.TYPES.JOIN_STATUS_SUCCESS);
  });

  it('refuses bans outside live rooms and bad input with Tencent codes, banning nobody', async () => {
    const work = (await rest<{ GroupId: string }>('create_group', { Owner_Account: 'host', Type: 'Public', Name: 'p' })).GroupId;
    expect((await rest('ban_group_member', { GroupId: work, Members_Account: ['bviewer'], Duration: 60 })).ErrorCode).to.equal(10007);
    expect((await rest('ban_group_member', { GroupId: room, Members_Account: ['host'], Duration: 60 })).ErrorCode).to.equal(10007);
    expect((await rest('ban_group_member', { GroupId: room, Members_Account: ['bviewer'], Duration: 0 })).ErrorCode).to.equal(10004);
    expect((await rest('ban_group_member', { GroupId: room, Members_Account: Array.from({ length: 21 }, (_, i) => `u${i}`), Duration: 60 })).ErrorCode).to.equal(10004);
    expect((await rest('ban_group_member', { GroupId: room, Members_Account: ['bviewer'], Duration: 60, Description: '字'.repeat(334) })).ErrorCode).to.equal(10004);
    expect((await rest('ban_group_member', { GroupId: 'missing', Members_Account: ['bviewer'], Duration: 60 })).ErrorCode).to.equal(10010);
    expect((await rest('get_group_ban_member', { GroupId: room, Limit: 101 })).ErrorCode).to.equal(10004);
    expect((await rest<{ BannedAccountList: unknown[] }>('get_group_ban_member', { GroupId: room })).BannedAccountList).to.deep.equal([]);
  });

  it('sends a broadcast to every live room of the app', async () => {
    expect((await join(watcher, other)).data?.status).to.equal(watcher.TencentCloudChat.TYPES.JOIN_STATUS_SUCCESS);
    expect((await rest('send_broadcast_msg', { Random: random(), MsgBody: text('to all rooms') })).ErrorCode).to.equal(0);
    await until('the broadcast in both rooms', () => receivedTexts(viewer, room).includes('to all rooms') && receivedTexts(watcher, other).includes('to all rooms'));
    expect((await rest('send_broadcast_msg', { Random: random(), MsgBody: 'not a list' })).ErrorCode).to.equal(90007);
    expect((await rest('send_broadcast_msg', { From_Account: 'nobody', Random: random(), MsgBody: text('x') })).ErrorCode).to.equal(10004);
  });
});
