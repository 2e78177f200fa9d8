/**
 * May `from` send a one-to-one message to `to`? The app's relationship checks
 * (actors/apps/settings/relations.ts): the recipient's blocklist (20007) and, when the app asks for it,
 * friendship both ways (20009 neither has the other, 20010 the recipient lacks the sender,
 * 20011 the sender lacks the recipient). One actor call (the recipient's chain holds both
 * directions), answered from this node's cache after the first (flag-cache.ts).
 */
import type { ServiceBroker } from 'moleculer';
import { REL } from '../../actors/relations';
import { relationSettings } from '../../actors/apps/settings/app-settings';
import { appDirectory } from '../apps/registry';
import { Chain } from './client';
import { RelationFlagCache } from './flag-cache';

const caches = new WeakMap<ServiceBroker, RelationFlagCache>();

/** This node's cache of the flags one-to-one sends check (flag-cache.ts). */
export function flagCacheOf(broker: ServiceBroker): RelationFlagCache {
  let cache = caches.get(broker);
  if (!cache) caches.set(broker, (cache = new RelationFlagCache()));
  return cache;
}

export const C2C_REFUSED = { BLOCKED: 20007, NOT_FRIENDS: 20009, NOT_RECIPIENT_FRIEND: 20010, NOT_SENDER_FRIEND: 20011 } as const;

export async function canSend(broker: ServiceBroker, app: number, from: string, to: string): Promise<null | number> {
  const settings = relationSettings(appDirectory(broker).get(app)?.settings ?? {});
  if (!settings.c2cBlocklistCheck && !settings.c2cFriendsOnly) return null;
  const read = async () => (await new Chain(broker, app).view(to, [from])).flags[0];
  // Cached only where the friends service runs: its `relations.changed` handler keeps the cache current.
  const bits = broker.getLocalService('friends') ? await flagCacheOf(broker).flags(app, to, from, read) : await read();
  if (settings.c2cBlocklistCheck && bits & REL.BLOCKED) return C2C_REFUSED.BLOCKED;
  if (!settings.c2cFriendsOnly) return null;
  const recipientHasSender = (bits & REL.FRIEND) !== 0;
  const senderHasRecipient = (bits & REL.FRIEND_OF) !== 0;
  if (!recipientHasSender && !senderHasRecipient) return C2C_REFUSED.NOT_FRIENDS;
  if (!recipientHasSender) return C2C_REFUSED.NOT_RECIPIENT_FRIEND;
  if (!senderHasRecipient) return C2C_REFUSED.NOT_SENDER_FRIEND;
  return null;
}

/**
 * canSend for one sender and many recipients (a broadcast, services/messages/broadcast.ts): one
 * view of the sender's chain for all of them instead of one call to each recipient's chain. The
 * sender's chain mirrors the recipients' sides (BLOCKED_BY, FRIEND_OF), written by the step that
 * follows each block or friend change: a block made a moment before may not be seen yet.
 * Answers the refused recipients with their codes.
 */
export async function refusalsFrom(broker: ServiceBroker, app: number, from: string, peers: string[]): Promise<Map<string, number>> {
  const settings = relationSettings(appDirectory(broker).get(app)?.settings ?? {});
  const out = new Map<string, number>();
  if ((!settings.c2cBlocklistCheck && !settings.c2cFriendsOnly) || peers.length === 0) return out;
  const { flags } = await new Chain(broker, app).view(from, peers);
  peers.forEach((peer, i) => {
    const bits = flags[i];
    const senderHasRecipient = (bits & REL.FRIEND) !== 0;
    const recipientHasSender = (bits & REL.FRIEND_OF) !== 0;
    if (settings.c2cBlocklistCheck && bits & REL.BLOCKED_BY) out.set(peer, C2C_REFUSED.BLOCKED);
    else if (!settings.c2cFriendsOnly) return;
    else if (!recipientHasSender && !senderHasRecipient) out.set(peer, C2C_REFUSED.NOT_FRIENDS);
    else if (!recipientHasSender) out.set(peer, C2C_REFUSED.NOT_RECIPIENT_FRIEND);
    else if (!senderHasRecipient) out.set(peer, C2C_REFUSED.NOT_SENDER_FRIEND);
  });
  return out;
}
