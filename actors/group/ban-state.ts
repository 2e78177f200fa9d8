/** Applies live-room ban events (bans.ts) to a group's state. */
import { GROUP_CREATED, MEMBERS_BANNED, MEMBERS_UNBANNED, type GroupEvent } from './events';

/** Applies the events of bans.ts; false for any other event (a new group starts without bans). */
export function evolveBans(s: { bans?: Map<string, number> }, e: GroupEvent): boolean {
  if (e.type === MEMBERS_BANNED) {
    // Ended bans are dropped here, so the map holds only what may still be in force.
    const bans = new Map([...(s.bans ?? [])].filter(([, until]) => until > Math.floor(e.data.at / 1000)));
    for (const u of e.data.users) bans.set(u, e.data.until);
    s.bans = bans;
    return true;
  }
  if (e.type === MEMBERS_UNBANNED) {
    for (const u of e.data.users) s.bans?.delete(u);
    return true;
  }
  if (e.type === GROUP_CREATED) s.bans = undefined;
  return false;
}
