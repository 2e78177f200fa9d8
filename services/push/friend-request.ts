/**
 * Friend requests as pushes: when a request reaches its recipient's relationship chain (the
 * recipient's half, RequestAdded with direction `in`, written by the friends saga), the push job
 * goes into that same append, so a crash keeps both or neither, as for messages. The title is
 * the requester's nick, looked up at delivery (titleOf); the body is the request's AddWording,
 * else a fixed text. The job's collapse id is the pair and the request's time, so a request
 * sent again later is a new notification and a retried one is not.
 */
import type { ServiceBroker } from 'moleculer';
import { REQUEST_ADDED, type RelationsEvent } from '../../actors/relations';
import type { SideFeeds } from '../../runtime/host';
import { accountsOf } from '../accounts/client';
import { pushFeeds, wantsPush } from './feeds';
import type { PushJob } from './job';
import { registeredOf } from './registered';

export const FRIEND_REQUEST_TEXT = 'sent you a friend request';

/** Jobs for the requests `owner` received in these events (their half of the saga). */
export function friendRequestPushFeeds(broker: ServiceBroker, app: number, owner: string, events: RelationsEvent[]): SideFeeds | undefined {
  const jobs: { job: PushJob; users: string[] }[] = [];
  for (const e of events) {
    if (e.type !== REQUEST_ADDED || e.data.direction !== 'in' || e.data.peer === owner) continue;
    if (jobs.length === 0 && (!wantsPush(broker, app) || !registeredOf(broker).mayHave(app, owner))) return undefined;
    const { peer, wording, at } = e.data;
    const job: PushJob = {
      kind: 'friend',
      from: peer,
      conv: peer,
      seq: 0,
      msgKey: `friend_${peer}_${owner}_${at}`,
      title: peer,
      desc: wording || FRIEND_REQUEST_TEXT,
      ext: '',
      noBadge: true,
      ttlSec: 0,
      sentAt: at * 1000,
    };
    jobs.push({ job, users: [owner] });
  }
  return jobs.length > 0 ? pushFeeds(broker, app, jobs) : undefined;
}

/** The title a job shows: a friend request's requester by nick (when they have one), else as written. */
export async function titleOf(broker: ServiceBroker, app: number, job: PushJob): Promise<string> {
  if (job.kind !== 'friend') return job.title;
  const nick = (await accountsOf(broker).get(app, job.from).catch(() => undefined))?.nick;
  return nick || job.title;
}
