/**
 * Applies membership events to a group's state: joins and departures, member fields, mutes, the
 * owner, and pending applications and invitations. Split out of state.ts as topics, permission
 * groups, attributes, receipts and counters are; GROUP_CREATED and GROUP_DESTROYED, which reset
 * these maps with the rest of the group, stay there.
 */
import {
  APPLICATION_ADDED,
  APPLICATION_HANDLED,
  INVITATION_ADDED,
  INVITATION_HANDLED,
  MEMBER_CHANGED,
  MEMBERS_JOINED,
  MEMBERS_LEFT,
  MEMBERS_MUTED,
  OWNER_CHANGED,
  type GroupEvent,
  type MemberPatch,
} from './events';
import type { MsgFlag, Role } from './policy';

export interface Member {
  role: Role;
  joinTime: number;
  msgFlag: MsgFlag;
  nameCard: string;
  /** The member has read the group up to this sequence: unread = lastSeq − readSeq. */
  readSeq: number;
  /** Messages below this sequence were sent before the member joined. */
  joinSeq: number;
  lastSendTime: number;
  custom: Record<string, string>;
}

/** What of a group's state membership events change. */
export interface Memberships<P extends { owner: string; infoSeq: number }> {
  members: Map<string, Member>;
  mutes: Map<string, number>;
  pending: Map<string, { message: string; at: number }>;
  invited: Map<string, { inviter: string; at: number }>;
  profile?: P;
  lastSeq: number;
}

/** Applies `event` to `s` in place if it is a membership event; false for any other. */
export function evolveMembership<P extends { owner: string; infoSeq: number }>(s: Memberships<P>, event: GroupEvent): boolean {
  switch (event.type) {
    case MEMBERS_JOINED:
      for (const m of event.data.members) {
        const custom = JSON.parse(m.custom) as Record<string, string>;
        s.members.set(m.user, { role: m.role, joinTime: m.joinTime, msgFlag: m.msgFlag, nameCard: m.nameCard, readSeq: m.readSeq, joinSeq: s.lastSeq + 1, lastSendTime: 0, custom });
        s.pending.delete(m.user);
        s.invited.delete(m.user);
      }
      return true;
    case MEMBERS_LEFT:
      for (const u of event.data.users) s.members.delete(u);
      if (s.profile && event.data.users.includes(s.profile.owner)) s.profile = { ...s.profile, owner: '' };
      return true;
    case MEMBER_CHANGED: {
      const m = s.members.get(event.data.user);
      if (!m) return true;
      const { custom, ...plain } = JSON.parse(event.data.patch) as MemberPatch;
      const merged = { ...m.custom, ...(custom ?? {}) };
      for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
      s.members.set(event.data.user, { ...m, ...plain, custom: merged });
      return true;
    }
    case MEMBERS_MUTED:
      for (const u of event.data.users) {
        if (event.data.until === 0) s.mutes.delete(u);
        else s.mutes.set(u, event.data.until);
      }
      return true;
    case OWNER_CHANGED: {
      const { from, to } = event.data;
      const old = s.members.get(from);
      if (old) s.members.set(from, { ...old, role: 'Member' });
      const next = s.members.get(to);
      if (next) s.members.set(to, { ...next, role: 'Owner' });
      if (s.profile) s.profile = { ...s.profile, owner: to, infoSeq: s.profile.infoSeq + 1 };
      return true;
    }
    case APPLICATION_ADDED:
      s.pending.delete(event.data.applicant);
      s.pending.set(event.data.applicant, { message: event.data.message, at: event.data.at });
      return true;
    case APPLICATION_HANDLED:
      s.pending.delete(event.data.applicant);
      return true;
    case INVITATION_ADDED:
      for (const invitee of event.data.invitees) s.invited.set(invitee, { inviter: event.data.inviter, at: event.data.at });
      return true;
    case INVITATION_HANDLED:
      s.invited.delete(event.data.invitee);
      return true;
    default:
      return false;
  }
}
