/**
 * Bans of a live room (AVChatRoom; ban_group_member, unban_group_member, get_group_ban_member):
 * a banned user is taken out of the room at once, told so with the removal notice, and may not
 * join again, nor send, until the ban ends. Tencent's pages list live rooms only.
 *
 * Bans are kept until they end or are lifted, member or not (a viewer is never stored), like
 * mutes; an ended ban is dropped from the list when the next ban is written.
 */
import type { GroupCommand } from './commands';
import { MEMBERS_BANNED, MEMBERS_UNBANNED } from './events';
import { MUTE_FOREVER } from './profile';
import { existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import type { GroupState } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/** Users one ban_group_member or unban_group_member names at most (Tencent's page). */
export const MAX_BAN_USERS = 20;

function liveRoom(s: GroupState, c: { by: { admin: boolean } }): void {
  const { profile } = existing(s);
  if (!c.by.admin) refuse(GROUP_CODES.NO_PERMISSION, 'only the app administrator bans');
  if (profile.type !== 'AVChatRoom') refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups have no bans: live rooms (AVChatRoom) only`);
}

export function ban(s: GroupState, c: Cmd<'ban'>): Effects {
  liveRoom(s, c);
  const users = [...new Set(c.users)];
  if (users.includes(existing(s).profile.owner)) refuse(GROUP_CODES.NO_PERMISSION, 'the owner cannot be banned');
  const nowSec = Math.floor(c.now / 1000);
  const until = Math.min(MUTE_FOREVER, nowSec + c.seconds);
  const fx = none();
  fx.events.push({ type: MEMBERS_BANNED, data: { users, until, description: c.description, by: c.by.id, at: c.now } });
  // Out of the room on every gateway node before the answer; then the SDK hears it was removed (ReportType 4).
  for (const user of users) fx.out.push({ kind: 'room', op: 'leave', user, recipients: [] });
  fx.out.push({ kind: 'system', time: nowSec, by: c.by.id, content: c.description, recipients: users, opType: 4 });
  return fx;
}

export function unban(s: GroupState, c: Cmd<'unban'>): Effects {
  liveRoom(s, c);
  const nowSec = Math.floor(c.now / 1000);
  const users = [...new Set(c.users)].filter((u) => bannedUntil(s, u, nowSec) > 0);
  const fx = none();
  if (users.length > 0) fx.events.push({ type: MEMBERS_UNBANNED, data: { users, by: c.by.id, at: c.now } });
  return fx;
}

/** The bans in force, by account, paged as get_group_ban_member asks. */
export function viewBans(s: GroupState, c: Cmd<'viewBans'>): { bans: { user: string; until: number }[]; next: number } {
  liveRoom(s, c);
  const nowSec = Math.floor(c.now / 1000);
  const all = [...(s.bans ?? new Map<string, number>())].filter(([, until]) => until > nowSec).map(([user, until]) => ({ user, until }));
  const bans = all.slice(c.offset, c.offset + c.limit);
  const next = c.offset + bans.length;
  return { bans, next: next < all.length ? next : 0 };
}

/** Until when (Unix seconds) `user` is banned at `nowSec`; 0 = not banned. */
export function bannedUntil(s: GroupState, user: string, nowSec: number): number {
  const until = s.bans?.get(user) ?? 0;
  return until > nowSec ? until : 0;
}

/** Refuses a banned user: joining or sending (10007). */
export function refuseBanned(s: GroupState, user: string, now: number): void {
  if (bannedUntil(s, user, Math.floor(now / 1000)) > 0) refuse(GROUP_CODES.NO_PERMISSION, `${user} is banned from this group`);
}
