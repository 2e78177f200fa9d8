/**
 * Which devices of a job's recipients get the push, asked at delivery time so that what
 * changed since the message (a read, a login, a new token, a do-not-disturb) counts:
 * - devices with a push token (pushreg) that are not Online in the presence directory
 *   (PushOnline or offline), whose provider the app configured;
 * - not when the recipient muted the conversation (MsgRecvOption / Mute_Notifications 1–3) or
 *   is inside their quiet hours (do-not-disturb level 1 or 2), both kept in the recipient's
 *   inbox by the conversations context; an inbox that does not know these commands yet counts
 *   as no setting;
 * - one-to-one: not when the recipient has read the message already (no unread from the sender).
 * The badge is the recipient's total unread: one-to-one from their inbox, groups from the groups
 * context in batches (badge.ts).
 */
import type { ServiceBroker } from 'moleculer';
import { userKey } from '../../actors/user';
import type { PushView, QuietHours } from '../../actors/inbox';
import { pushregKey, type PushDevice, type PushregState } from '../../actors/pushreg';
import { routerOf } from '../../runtime/moleculer/router';
import { presenceDirectoryOf } from '../presence/client';
import type { DeviceRecord } from '../presence/directory';
import type { PushJob } from './job';
import { DEVICES_SERVICE } from '../pushdevices/client';
import { groupBadgeOf } from './badge';

const INBOXES_SERVICE = 'inboxes';

export interface Target {
  user: string;
  device: PushDevice;
  badge?: number;
}

/** Whether `nowSec` falls in the user's do-not-disturb window (level 1 or 2 silences pushes). */
export function inQuietHours(q: QuietHours | undefined, nowSec: number): boolean {
  if (!q || q.level === 0) return false;
  if (q.startTime === 0 && q.endTime === 0) return true;
  if (!q.repeated) return q.startTime <= nowSec && nowSec < q.endTime;
  const day = 86_400;
  const [s, e, t] = [q.startTime % day, q.endTime % day, nowSec % day];
  return s <= e ? s <= t && t < e : t >= s || t < e;
}

export async function registrationsOf(broker: ServiceBroker, app: number, users: string[]): Promise<Map<string, PushDevice[]>> {
  const router = routerOf(broker);
  const out = new Map<string, PushDevice[]>();
  await Promise.all(
    users.map(async (user) => {
      const state = await router.call<PushregState>(DEVICES_SERVICE, pushregKey(app, user), { op: 'get' });
      const devices = Object.values(state.devices);
      if (devices.length > 0) out.set(user, devices);
    }),
  );
  return out;
}

async function devicesOnline(broker: ServiceBroker, app: number, users: string[]): Promise<Map<string, DeviceRecord[]>> {
  const directory = presenceDirectoryOf(broker);
  if (directory) return directory.devicesOfMany(app, users);
  const found = await broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users });
  return new Map(Object.entries(found));
}

/** An inbox command, or undefined when the inbox does not serve it (older nodes, commands still to come). */
async function inbox<R>(broker: ServiceBroker, app: number, user: string, command: object): Promise<R | undefined> {
  try {
    return await routerOf(broker).call<R>(INBOXES_SERVICE, userKey(app, user), command);
  } catch (err) {
    const e = err as { code?: unknown; data?: { code?: number } };
    if (e.data?.code === 50002 || e.code === 50002) return undefined;
    throw err;
  }
}

/**
 * What one recipient's own settings say: skip, or push with this badge. Their inbox answers in
 * one command (`pushView`): three commands cost three mailbox turns and, since the inbox's
 * stream takes feeds from every message, three catch-up reads of it (bench/push.ts profile).
 */
async function recipientView(broker: ServiceBroker, app: number, user: string, job: PushJob, nowSec: number): Promise<{ skip: boolean; badge?: number }> {
  const [view, groups] = await Promise.all([
    inbox<PushView>(broker, app, user, { op: 'pushView', ...(job.kind === 'c2c' ? { peer: job.from } : {}) }),
    job.noBadge ? Promise.resolve(0) : groupBadgeOf(broker, app, user),
  ]);
  if (inQuietHours(view?.quiet, nowSec)) return { skip: true };
  if (job.kind === 'c2c' && (view?.peerMute ?? 0) !== 0) return { skip: true };
  // A call rings whatever was read: the invitation's own expiry (its timeout) bounds it instead.
  if (job.kind === 'c2c' && !job.call && view && view.peerUnread === 0) return { skip: true };
  if (job.noBadge || (view === undefined && groups === 0)) return { skip: false };
  return { skip: false, badge: (view?.total ?? 0) + groups };
}

/** The devices to push to now; `done` are devices ("user/instId") already pushed. */
export async function targetsOf(broker: ServiceBroker, app: number, users: string[], job: PushJob, done: Set<string>, usable: (d: PushDevice) => boolean): Promise<Target[]> {
  const registered = await registrationsOf(broker, app, users);
  if (registered.size === 0) return [];
  const online = await devicesOnline(broker, app, [...registered.keys()]);
  const nowSec = Math.floor(Date.now() / 1000);
  const out: Target[] = [];
  await Promise.all(
    [...registered].map(async ([user, devices]) => {
      const live = new Set((online.get(user) ?? []).filter((d) => d.status === 'Online').map((d) => d.instId));
      const due = devices.filter((d) => !live.has(d.instId) && !done.has(`${user}/${d.instId}`) && usable(d));
      if (due.length === 0) return;
      const view = await recipientView(broker, app, user, job, nowSec);
      if (!view.skip) for (const device of due) out.push({ user, device, badge: view.badge });
    }),
  );
  return out;
}
