/**
 * Admins of a live room (AVChatRoom), as the app's backend names them
 * (group_open_avchatroom_http_svc modify_admin, get_admin_list). A live room stores no plain
 * members, so its admins are kept apart from them (`liveAdmins`, user → since when): an admin
 * need not be in the room when named, and stays admin through leaving and entering again, until
 * the backend takes the role back (Tencent's page). Stored members with the Admin role (named at
 * create_group, or set by modify_group_member_info) count as admins too, and lose it the same way.
 *
 * What an admin may do in a live room is the type's policy for 'Admin' (policy.ts): mute viewers
 * who are not admins or the owner, and speak while the whole room is muted.
 */
import type { GroupCommand } from './commands';
import { JOINED_GROUP, LEFT_GROUP, LIVE_ADMINS_CHANGED, MEMBER_CHANGED, liveAdminStream } from './events';
import { existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import type { GroupState } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/** Admins a live room holds at most, and so the accounts one modify_admin names at most (Tencent's page). */
export const MAX_LIVE_ADMINS = 5;

function liveRoom(s: GroupState, by: { admin: boolean }): void {
  const { profile } = existing(s);
  if (!by.admin) refuse(GROUP_CODES.NO_PERMISSION, 'only the app administrator names live-room admins');
  if (profile.type !== 'AVChatRoom') refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups set admins with modify_group_member_info: modify_admin is for live rooms (AVChatRoom)`);
}

/** Every admin of the room: stored members with the Admin role, then the live admins, in the order they were named. */
export function liveRoomAdmins(s: GroupState): string[] {
  const stored = [...s.members].filter(([, m]) => m.role === 'Admin').map(([u]) => u);
  return [...new Set([...stored, ...(s.liveAdmins?.keys() ?? [])])].filter((u) => s.members.get(u)?.role !== 'Owner');
}

export function modifyLiveAdmins(s: GroupState, c: Cmd<'modifyLiveAdmins'>): Effects {
  liveRoom(s, c.by);
  const users = [...new Set(c.users)];
  if (users.length === 0) refuse(GROUP_CODES.INVALID, 'name at least one account');
  const current = liveRoomAdmins(s);
  const fx = none();
  if (c.add) {
    if (users.includes(existing(s).profile.owner)) refuse(GROUP_CODES.INVALID, 'the owner cannot be made an admin');
    const added = users.filter((u) => !current.includes(u));
    if (current.length + added.length > MAX_LIVE_ADMINS) refuse(GROUP_CODES.INVALID, `a live room has at most ${MAX_LIVE_ADMINS} admins`);
    if (added.length > 0) fx.events.push({ type: LIVE_ADMINS_CHANGED, data: { users: added, added: true, by: c.by.id, at: c.now } });
    // Where get_pendency finds the room for them (events.ts, liveAdminStream), in the same transaction.
    for (const u of added) fx.feeds.push({ stream: liveAdminStream(s.app, u), events: [{ type: JOINED_GROUP, data: { groupId: s.id, type: 'AVChatRoom', created: false, at: c.now } }] });
    return fx;
  }
  const live = users.filter((u) => s.liveAdmins?.has(u));
  if (live.length > 0) fx.events.push({ type: LIVE_ADMINS_CHANGED, data: { users: live, added: false, by: c.by.id, at: c.now } });
  for (const u of live) fx.feeds.push({ stream: liveAdminStream(s.app, u), events: [{ type: LEFT_GROUP, data: { groupId: s.id, at: c.now } }] });
  // A stored admin becomes an ordinary stored member, as modify_group_member_info would make them.
  for (const u of users) {
    if (s.members.get(u)?.role === 'Admin') fx.events.push({ type: MEMBER_CHANGED, data: { user: u, patch: JSON.stringify({ role: 'Member' }), by: c.by.id, at: c.now } });
  }
  return fx;
}

export function viewLiveAdmins(s: GroupState, c: Cmd<'viewLiveAdmins'>): string[] {
  liveRoom(s, c.by);
  return liveRoomAdmins(s);
}
