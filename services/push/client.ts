/**
 * How other contexts use offline push: write push jobs with a message's own append
 * (c2cPushFeeds, groupPushFeeds) or a friend request's (friendRequestPushFeeds), joined to
 * their other side feeds with joinFeeds; and, from the pushdevices context, markRegistered.
 */
import type { ServiceBroker } from 'moleculer';
import { registeredOf } from './registered';

export { broadcastPushFeeds, c2cPushFeeds, groupPushFeeds, type BroadcastMessage } from './sources';
export { friendRequestPushFeeds } from './friend-request';
export { joinFeeds } from './feeds';

/** Tells this process at once whether `user` has a push device left, after a registration or a removal (registered.ts). */
export function markRegistered(broker: ServiceBroker, app: number, user: string, has = true): void {
  registeredOf(broker).set(app, user, has);
}

/** The users among `users` who may have a push device (registered.ts): exact when embedded, and in a cluster with Redis. */
export function registeredAmong(broker: ServiceBroker, app: number, users: string[]): Promise<Set<string>> {
  return registeredOf(broker).among(app, users);
}

/** Resolves once this process knows who registered a device (registered.ts): a task waits for it rather than writing a job for everyone. */
export function registrationsLoaded(broker: ServiceBroker): Promise<void> {
  return registeredOf(broker).loaded();
}
