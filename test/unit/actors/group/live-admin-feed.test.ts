/**
 * Where get_pendency finds a live room for the admins modify_admin names (they are in no member
 * list): the group writes JoinedGroup to each new admin's live-admin feed when naming them and
 * LeftGroup when taking the role back or disbanding the room, in the same append; a stored admin
 * demoted, or a name that changes nothing, writes nothing there.
 */
import { expect } from 'chai';
import { groupKind, JOINED_GROUP, LEFT_GROUP, liveAdminStream, type GroupCommand, type GroupState } from '../../../../actors/group';
import { APP, apply, member, NOW } from './support';

const APP_ID = 1400000000;
function room(): GroupState {
  const g = { type: 'AVChatRoom' as const, owner: 'o', name: 'Live', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`${APP_ID}:live`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('s', 'Admin')], imported: false, now: NOW });
}
const admins = (users: string[], add = true): GroupCommand => ({ op: 'modifyLiveAdmins', by: APP, users, add, now: NOW });

describe('group actor: live-room admins in their live-admin feed', () => {
  it('files the room in each newly named admin’s feed, and only theirs', () => {
    const s = apply(room(), admins(['a1']));
    const d = groupKind.decide(s, admins(['a1', 'a2', 's']));
    expect(d.feeds).to.deep.equal([{ stream: liveAdminStream(APP_ID, 'a2'), events: [{ type: JOINED_GROUP, data: { groupId: 'live', type: 'AVChatRoom', created: false, at: NOW } }] }]);
  });

  it('takes the room out of the feed of the live admins whose role is taken back, not of a demoted stored admin', () => {
    const s = apply(room(), admins(['a1']));
    const d = groupKind.decide(s, admins(['a1', 's', 'never'], false));
    expect(d.feeds).to.deep.equal([{ stream: liveAdminStream(APP_ID, 'a1'), events: [{ type: LEFT_GROUP, data: { groupId: 'live', at: NOW } }] }]);
  });

  it('takes the room out of every live admin’s feed when it is disbanded', () => {
    const s = apply(room(), admins(['a1', 'a2']));
    const feeds = groupKind.decide(s, { op: 'destroy', by: APP, now: NOW }).feeds ?? [];
    const left = { type: LEFT_GROUP, data: { groupId: 'live', at: NOW } };
    expect(feeds.filter((f) => f.stream.startsWith('liveadmin:'))).to.deep.equal([{ stream: liveAdminStream(APP_ID, 'a1'), events: [left] }, { stream: liveAdminStream(APP_ID, 'a2'), events: [left] }]);
  });
});
