/**
 * How other contexts use offline push: write push jobs with a message's own append
 * (c2cPushFeeds, groupPushFeeds) or a friend request's (friendRequestPushFeeds), joined to
 * their other side feeds with joinFeeds; and, from the pushdevices context, markRegistered.
 */
import type { ServiceBroker } from 'moleculer';
import { registeredOf } from './registered';

export { c2cPushFeeds, groupPushFeeds } from './sources';
export { friendRequestPushFeeds } from './friend-request';
export { joinFeeds } from './feeds';

/** Tells this process at once that `user` registered a push device (registered.ts). */
export function markRegistered(broker: ServiceBroker, app: number, user: string): void {
  registeredOf(broker).add(app, user);
}
