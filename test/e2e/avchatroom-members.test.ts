/**
 * Who is in a live room, asked by the app's backend (group_open_avchatroom_http_svc get_members,
 * check_members) and by a viewer through Tencent's SDK (getGroupMemberList on an AVChatRoom):
 * answered from the gateway's room index, so a viewer is listed from joining to quitting; and the
 * member marks (modify_user_info, the SDK's markGroupMemberList) that get_members filters by.
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { FrameClient, startParley, type Parley } from './ws-harness';

const AV = 'group_open_avchatroom_http_svc';
const G = 'group_open_http_svc';

interface LiveMember {
  Member_Account: string;
  JoinTime: number;
  NickName: string;
  Avatar: string;
}
type Members = { ErrorCode: number; MemberList: LiveMember[]; NextTimestamp: number };

describe('AVChatRoom online member list (e2e, SDK and REST)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  let room = '';
  let ann: SdkClient;
  let bob: SdkClient;
  const rest = <T = { ErrorCode: number }>(cmd: string, body: object) => parley.rest<T & { ErrorCode: number }>(cmd, body);
  const members = (body: object) => rest<Members>(`${AV}/get_members`, { GroupId: room, Timestamp: 0, ...body });
  const join = (c: SdkClient, groupID: string) => c.chat.joinGroup({ groupID });

  before(async () => {
    parley = await startParley({}, 1400000000 + Math.floor(Math.random() * 1e8));
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['mhost', 'mann', 'mbob', 'mcat'] });
    await rest('profile/portrait_set', { From_Account: 'mann', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' }, { Tag: 'Tag_Profile_IM_Image', Value: 'https://example.com/ann.png' }] });
    room = (await rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'mhost', Type: 'AVChatRoom', Name: 'Live' })).GroupId;
    [ann, bob] = [await sdkLogin(parley, 'mann', clients), await sdkLogin(parley, 'mbob', clients)];
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('lists the viewers in the room, newest first, with their entry time and profile', async () => {
    const start = Math.floor(Date.now() / 1000);
    await join(ann, room);
    await join(bob, room);
    const list = await members({});
    expect(list.ErrorCode).to.equal(0);
    expect(list.MemberList.map((m) => m.Member_Account)).to.deep.equal(['mbob', 'mann']);
    expect(list.NextTimestamp).to.equal(0);
    const annEntry = list.MemberList[1];
    expect(annEntry).to.include({ NickName: 'Ann', Avatar: 'https://example.com/ann.png' });
    expect(annEntry.JoinTime).to.be.within(start, Math.floor(Date.now() / 1000));
  });

  it('answers which of the named users are in the room, and forgets a viewer who quit', async () => {
    const check = await rest<{ Member_Account: string[] }>(`${AV}/check_members`, { GroupId: room, Member_Account: ['mann', 'mcat', 'mbob', 'nobody'] });
    expect(check.ErrorCode).to.equal(0);
    expect(check.Member_Account).to.deep.equal(['mann', 'mbob']);
    await bob.chat.quitGroup(room);
    expect((await members({})).MemberList.map((m) => m.Member_Account)).to.deep.equal(['mann']);
    expect((await rest<{ Member_Account: string[] }>(`${AV}/check_members`, { GroupId: room, Member_Account: ['mbob'] })).Member_Account).to.deep.equal([]);
  });

  it("gives a viewer the room's online members through the SDK's getGroupMemberList", async () => {
    const reply = await ann.chat.getGroupMemberList({ groupID: room, count: 100, offset: 0 });
    const list = (reply.data as { memberList: { userID: string; nick: string }[] }).memberList;
    expect(list.map((m) => m.userID)).to.deep.equal(['mann']);
    expect(list[0].nick).to.equal('Ann');
  });

  it("refuses the list to a user outside the room (10007), over the SDK's own command", async () => {
    const outsider = await FrameClient.open(parley);
    try {
      await outsider.login(parley, 'mcat');
      const reply = await outsider.request(`${AV}.get_members`, { GroupId: room, Timestamp: 0 });
      expect(reply.ErrorCode).to.equal(10007);
      expect(reply).to.not.have.property('MemberList');
    } finally {
      outsider.close();
    }
  });

  it('refuses other group types, unknown groups and bad input with Tencent codes', async () => {
    const work = (await rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'mhost', Type: 'Public', Name: 'p' })).GroupId;
    expect((await rest(`${AV}/get_members`, { GroupId: work, Timestamp: 0 })).ErrorCode).to.equal(10007);
    expect((await rest(`${AV}/check_members`, { GroupId: work, Member_Account: ['mann'] })).ErrorCode).to.equal(10007);
    expect((await rest(`${AV}/get_members`, { GroupId: 'missing', Timestamp: 0 })).ErrorCode).to.equal(10010);
    expect((await rest(`${AV}/get_members`, { GroupId: room })).ErrorCode).to.equal(10004);
    expect((await rest(`${AV}/get_members`, { GroupId: room, Timestamp: -1 })).ErrorCode).to.equal(10004);
    expect((await rest(`${AV}/check_members`, { GroupId: room, Member_Account: [] })).ErrorCode).to.equal(10004);
    expect((await rest(`${AV}/check_members`, { GroupId: room, Member_Account: Array.from({ length: 501 }, (_, i) => `u${i}`) })).ErrorCode).to.equal(10004);
  });

  describe('member marks (modify_user_info)', () => {
    const modify = (CommandType: number, MemberList: object[]) => rest<{ MemberList: { Member_Account: string; Marks: number[] }[] }>(`${AV}/modify_user_info`, { GroupId: room, CommandType, MemberList });
    const marked = async (Mark: number) => (await members({ Mark })).MemberList.map((m) => m.Member_Account);

    it('marks viewers in the room only, and get_members lists a mark by its filter', async () => {
      await join(bob, room);
      const set = await modify(1, [{ Member_Account: 'mann', Marks: [1000] }, { Member_Account: 'mbob', Marks: [1001] }, { Member_Account: 'mcat', Marks: [1000] }]);
      expect(set.ErrorCode).to.equal(0);
      expect(set.MemberList.map((m) => m.Member_Account)).to.deep.equal(['mann', 'mbob']);
      expect(await marked(1000)).to.deep.equal(['mann']);
      expect(await marked(1001)).to.deep.equal(['mbob']);
      expect((await modify(2, [{ Member_Account: 'mann', Marks: [1000] }])).ErrorCode).to.equal(0);
      expect(await marked(1000)).to.deep.equal([]);
    });

    it("drops a viewer's marks when they leave the room", async () => {
      await bob.chat.quitGroup(room);
      await join(bob, room);
      expect(await marked(1001)).to.deep.equal([]);
    });

    it('refuses marks past the limits and bad input with Tencent codes, changing no mark', async () => {
      const ten = Array.from({ length: 10 }, (_, i) => 2000 + i);
      expect((await modify(1, [{ Member_Account: 'mann', Marks: ten }])).ErrorCode).to.equal(0);
      expect((await modify(1, [{ Member_Account: 'mbob', Marks: [1000] }, { Member_Account: 'mann', Marks: [2010] }])).ErrorCode).to.equal(10004);
      expect(await marked(1000)).to.deep.equal([]);
      expect(await marked(2009)).to.deep.equal(['mann']);
      for (const Marks of [[500], [999], []]) expect((await modify(1, [{ Member_Account: 'mbob', Marks }])).ErrorCode).to.equal(10004);
      expect((await modify(3, [{ Member_Account: 'mbob', Marks: [1000] }])).ErrorCode).to.equal(10004);
      expect((await modify(1, Array.from({ length: 501 }, (_, i) => ({ Member_Account: `u${i}`, Marks: [1000] })))).ErrorCode).to.equal(10004);
      expect((await modify(2, [{ Member_Account: 'mann', Marks: ten }])).ErrorCode).to.equal(0);
      const work = (await rest<{ GroupId: string }>(`${G}/create_group`, { Owner_Account: 'mhost', Type: 'Public', Name: 'q' })).GroupId;
      expect((await rest(`${AV}/modify_user_info`, { GroupId: work, CommandType: 1, MemberList: [{ Member_Account: 'mann', Marks: [1000] }] })).ErrorCode).to.equal(10007);
    });

    it("lets the owner mark viewers through the SDK's markGroupMemberList, and refuses a viewer (10007)", async () => {
      const host = await sdkLogin(parley, 'mhost', clients);
      const reply = await host.chat.markGroupMemberList({ groupID: room, userIDList: ['mann', 'mcat'], markType: 1005, enableMark: true });
      expect((reply.data as { successUserIDList: string[]; failureUserIDList: string[] })).to.deep.equal({ successUserIDList: ['mann'], failureUserIDList: ['mcat'] });
      expect(await marked(1005)).to.deep.equal(['mann']);
      const err = await ann.chat.markGroupMemberList({ groupID: room, userIDList: ['mbob'], markType: 1006, enableMark: true }).then(
        () => ({ code: 0 }),
        (e: { code: number }) => e,
      );
      expect(err.code).to.equal(10007);
      expect(await marked(1006)).to.deep.equal([]);
    });
  });
});
