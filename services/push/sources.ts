/**
 * Which stored messages make push jobs, and for whom: one-to-one messages for their recipient;
 * group messages for the members whose receive option lets them be notified (AcceptAndNotify,
 * or AcceptNotNotifyExceptAt when @-mentioned; never the sender, never Discard or
 * AcceptNotNotify); call invitations (calls.ts) for their invitees. Online-only messages and
 * typing indicators are never stored, so never reach here. Recipients who never registered a
 * push device get no job (registered.ts). Per-conversation do-not-disturb and quiet hours of the recipient are read at
 * delivery (targets.ts), where the recipient's own settings live.
 */
import type { ServiceBroker } from 'moleculer';
import { MESSAGE_SENT as C2C_SENT, msgKeyOf, type C2CEvent, type C2CState } from '../../actors/c2c';
import { MESSAGE_SENT as GROUP_SENT, type GroupEvent, type GroupState } from '../../actors/group';
import type { SideFeeds } from '../../runtime/host';
import { jobOf, type PushJob } from './job';
import { pushFeeds, wantsPush } from './feeds';
import { registeredOf } from './registered';

export function c2cPushFeeds(broker: ServiceBroker, state: C2CState, events: C2CEvent[]): SideFeeds | undefined {
  if (!wantsPush(broker, state.app)) return undefined;
  const registered = registeredOf(broker);
  const jobs: { job: PushJob; users: string[] }[] = [];
  for (const e of events) {
    if (e.type !== C2C_SENT) continue;
    const m = e.data;
    if (m.to === m.from || !registered.mayHave(state.app, m.to)) continue;
    const job = jobOf({ kind: 'c2c', from: m.from, fromNick: m.fromNick, conv: m.from, seq: m.seq, msgKey: msgKeyOf(m), body: m.body, offlinePush: m.offlinePush, ttlSec: m.lifeTimeSec, sentAt: m.time * 1000 });
    // An invitation rings its invitees: a one-to-one one names the recipient (or no one, as some clients send it).
    const invited = !job?.call || job.call.invitees.length === 0 || job.call.invitees.includes(m.to);
    if (job && invited) jobs.push({ job, users: [m.to] });
  }
  return jobs.length > 0 ? pushFeeds(broker, state.app, jobs) : undefined;
}

export function groupPushFeeds(broker: ServiceBroker, state: GroupState, events: GroupEvent[]): SideFeeds | undefined {
  const profile = state.profile;
  if (!profile || profile.type === 'AVChatRoom' || !wantsPush(broker, state.app)) return undefined;
  const registered = registeredOf(broker);
  const jobs: { job: PushJob; users: string[] }[] = [];
  for (const e of events) {
    if (e.type !== GROUP_SENT) continue;
    const m = e.data;
    const at: string[] | 'all' = m.atAll ? 'all' : m.atUsers;
    const job = jobOf({ kind: 'group', from: m.from, fromNick: m.nameCard || m.fromNick, conv: state.id, convName: profile.name, seq: m.seq, msgKey: `${state.id}_${m.seq}`, body: m.body, offlinePush: m.offlinePush, ttlSec: 0, sentAt: m.time * 1000, at });
    if (!job) continue;
    // A targeted message (another engineer's `to`) reaches only its audience.
    const audience = (m as { to?: string[] }).to;
    const users: string[] = [];
    // A call invitation rings its invitees only, as if each were @-mentioned.
    const consider = job.call ? job.call.invitees : audience && audience.length > 0 ? audience : state.members.keys();
    for (const user of consider) {
      const member = state.members.get(user);
      if (!member || user === m.from || !registered.mayHave(state.app, user)) continue;
      const mentioned = job.call !== undefined || at === 'all' || at.includes(user);
      if (member.msgFlag === 'AcceptAndNotify' || (member.msgFlag === 'AcceptNotNotifyExceptAt' && mentioned)) users.push(user);
    }
    if (users.length > 0) jobs.push({ job, users });
  }
  return jobs.length > 0 ? pushFeeds(broker, state.app, jobs) : undefined;
}

/** The copies of one message from `from` to many (all_member_push): what their push job needs. */
export interface BroadcastMessage {
  from: string;
  /** The copies' client seq (MsgSeq), the same in each: a conversation's own seq differs between copies. */
  clientSeq: number;
  msgKey: string;
  /** The stored MsgBody (JSON), and OfflinePushInfo (JSON or null). */
  body: string;
  offlinePush: string | null;
  ttlSec: number;
  sentAt: number;
}

/**
 * One push job for all the recipients of a broadcast batch who may have a device: one Queued
 * event per queue shard, written by the task's own append (services/pushtasks/runner.ts), where
 * a message makes one job per recipient in its conversation's transaction.
 */
export function broadcastPushFeeds(broker: ServiceBroker, app: number, m: BroadcastMessage, recipients: string[]): SideFeeds | undefined {
  if (!wantsPush(broker, app)) return undefined;
  const registered = registeredOf(broker);
  const users = recipients.filter((u) => u !== m.from && registered.mayHave(app, u));
  const job = users.length > 0 ? jobOf({ kind: 'c2c', from: m.from, fromNick: '', conv: m.from, seq: m.clientSeq, msgKey: m.msgKey, body: m.body, offlinePush: m.offlinePush, ttlSec: m.ttlSec, sentAt: m.sentAt }) : undefined;
  if (!job) return undefined;
  // A call invitation rings its invitees only, as c2cPushFeeds does.
  const invited = job.call && job.call.invitees.length > 0 ? users.filter((u) => job.call!.invitees.includes(u)) : users;
  return invited.length > 0 ? pushFeeds(broker, app, [{ job, users: invited }]) : undefined;
}
