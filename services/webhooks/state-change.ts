/**
 * A device's status change (presence) → State.StateChange. Presence queues it itself, before
 * it answers the login or leave that caused it, so no bus hop to another node (which could
 * die with the item, or be absent) stands between the change and the outbox. The input is
 * another context's: read defensively, and ignore what does not map.
 */
import type { ServiceBroker } from 'moleculer';
import { queueAfter } from './after';

export interface UserStatusChanged {
  app: number;
  userId: string;
  platform?: string;
  /** online / offline / disconnected, or Tencent's Login / Logout / Disconnect. */
  status: string;
  instId?: number | string;
  at?: number;
  /**
   * For a disconnect: timeout (heartbeat lost) or anything else (link closed). From presence:
   * logout, away (the link was lost: a disconnect, whether the device went Offline or PushOnline),
   * kicked, expired (a PushOnline device that was reported when its link was lost).
   */
  reason?: string;
  /** Platforms of the devices this login pushed out, if any. */
  kickedPlatforms?: string[];
}

const ACTIONS: Record<string, ['Login' | 'Logout' | 'Disconnect', string]> = {
  online: ['Login', 'Register'],
  login: ['Login', 'Register'],
  offline: ['Logout', 'Unregister'],
  logout: ['Logout', 'Unregister'],
  disconnect: ['Disconnect', 'LinkClose'],
  disconnected: ['Disconnect', 'LinkClose'],
};

export function stateChangeBody(e: UserStatusChanged): Record<string, unknown> | undefined {
  // A kicked device is reported in the KickedDevice list of the login that pushed it out; a
  // separate Logout after that Login would tell the backend the user went offline.
  if (e.reason === 'expired' || e.reason === 'kicked') return undefined;
  const mapped = ACTIONS[e.reason === 'away' ? 'disconnect' : String(e.status).toLowerCase()];
  if (!mapped) return undefined;
  const [Action, defaultReason] = mapped;
  const Reason = Action === 'Disconnect' && /time/i.test(e.reason ?? '') ? 'TimeOut' : defaultReason;
  const body: Record<string, unknown> = { EventTime: e.at ?? Date.now(), Info: { Action, To_Account: e.userId, Reason } };
  if (Action === 'Login' && e.kickedPlatforms?.length) body.KickedDevice = e.kickedPlatforms.map((Platform) => ({ Platform }));
  return body;
}

/** Queues the State.StateChange of a status change, if it maps to one; resolves once stored (or logged). */
export async function reportStateChange(broker: ServiceBroker, e: UserStatusChanged): Promise<void> {
  const body = stateChangeBody(e);
  if (body) await queueAfter(broker, { app: e.app, command: 'State.StateChange', body, orderKey: e.userId, platform: e.platform });
}
