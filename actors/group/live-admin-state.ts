/** Applies live-room admin events (live-admins.ts) to a group's state. */
import { GROUP_CREATED, LIVE_ADMINS_CHANGED, type GroupEvent } from './events';

/** Applies the events of live-admins.ts; false for any other event (a new group starts without live admins). */
export function evolveLiveAdmins(s: { liveAdmins?: Map<string, number> }, e: GroupEvent): boolean {
  if (e.type === LIVE_ADMINS_CHANGED) {
    const admins = new Map(s.liveAdmins ?? []);
    for (const u of e.data.users) {
      if (e.data.added) admins.set(u, Math.floor(e.data.at / 1000));
      else admins.delete(u);
    }
    s.liveAdmins = admins.size > 0 ? admins : undefined;
    return true;
  }
  if (e.type === GROUP_CREATED) s.liveAdmins = undefined;
  return false;
}
