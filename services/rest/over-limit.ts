/**
 * Alert.RequestOverLimit: the app backend hears when its REST calls to one command go over the
 * app's per-second limit (refused with 60007). At most one alarm per app and command
 * a minute on each node, so a backend already overloading Parley is not flooded with alarms
 * as well. Body: ServiceName and Command (the two halves of the REST path), Request (calls in
 * the second that went over: at least Limit + 1; the limiter only says "over"), Limit.
 */
import type { ServiceBroker } from 'moleculer';
import { queueAfter } from '../webhooks/client';

const QUIET_MS = 60_000;
const lastAlarm = new WeakMap<ServiceBroker, Map<string, number>>();

export function reportOverLimit(broker: ServiceBroker, app: number, command: string, limit: number, now = Date.now()): void {
  let last = lastAlarm.get(broker);
  if (!last) lastAlarm.set(broker, (last = new Map()));
  const key = `${app}:${command}`;
  if (now - (last.get(key) ?? -Infinity) < QUIET_MS) return;
  last.set(key, now);
  const slash = command.indexOf('/');
  const body = { ServiceName: command.slice(0, slash), Command: command.slice(slash + 1), Request: limit + 1, Limit: limit };
  void queueAfter(broker, { app, command: 'Alert.RequestOverLimit', body, orderKey: `alert:${app}` });
}
