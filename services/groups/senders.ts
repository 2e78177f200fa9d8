/**
 * Sender profiles for group messages: the nick and face URL a message carries in its pushes and
 * history (GroupInfo.From_AccountNick / From_AccountHeadurl) are captured at send time into the
 * MessageSent event, so neither fan-out nor history reads a profile.
 *
 * Profiles live in the user actor (hosted by accounts), usually on another node. A node keeps
 * what it read for SENDER_TTL_MS: a sender costs one lookup per node per minute, not one per
 * message. A renamed user's next messages carry the new nick within that minute; messages keep
 * the nick they were sent with, as Tencent's do.
 */
import type { Context } from 'moleculer';
import type { GroupsService } from './types';
import { accountsOf } from '../accounts/client';

export interface SenderProfile {
  nick: string;
  faceUrl: string;
}

export const SENDER_TTL_MS = 60_000;
const MAX_CACHED = 100_000;
type Cache = Map<string, { profile: SenderProfile; at: number }>;
/** One cache per broker: tests run several nodes, even several apps with the same id, in one process. */
const caches = new WeakMap<object, Cache>();

function cacheOf(broker: object): Cache {
  let cache = caches.get(broker);
  if (!cache) caches.set(broker, (cache = new Map()));
  return cache;
}

export async function senderProfile(svc: GroupsService, app: number, user: string, ctx: Context, now = Date.now()): Promise<SenderProfile> {
  const cache = cacheOf(svc.broker);
  const key = `${app}:${user}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < SENDER_TTL_MS) return hit.profile;
  try {
    const reply = await accountsOf(svc.broker).get(app, user, ctx);
    const profile = { nick: reply.nick ?? '', faceUrl: reply.faceUrl ?? '' };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, { profile, at: now });
    return profile;
  } catch (err) {
    // A message is not refused for want of a nick: it goes out without one, as before.
    svc.logger.warn(`profile of ${user} not read for a group message: ${(err as Error).message}`);
    return hit?.profile ?? { nick: '', faceUrl: '' };
  }
}
