import { jsonSnapshot, splitAppKey, type ActorKind } from '../../runtime/kind';
import { decide, type PushqCommand, type PushqReply } from './decide';
import type { PushqEvent } from './events';
import { evolve, initialState, type PushqState } from './state';

export * from './decide';
export * from './events';
export type { PendingPush, PushqState } from './state';

/**
 * The durable queue of offline pushes of one app: key `<sdkAppId>:<shard>`, shard = hash of
 * the recipient. Messages write their push jobs here in their own transaction (id 0, numbered
 * on evolve), so a crash can never keep a message and lose its push. Never change PUSH_SHARDS
 * on a live installation.
 */
export const PUSH_SHARDS = 32;

export const pushqKind: ActorKind<PushqState, PushqCommand, PushqEvent, PushqReply> = {
  name: 'pushq',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<PushqState>('pushq.v1'),
  snapshotWeight: (state) => state.pending.size,
  sharedStream: true,
};

/** FNV-1a 32 with murmur3's finaliser: stable across processes and versions. */
export function pushShardOf(user: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < user.length; i++) h = Math.imul(h ^ user.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % PUSH_SHARDS;
}

export const pushqKey = (sdkAppId: number, shard: number) => `${sdkAppId}:${shard}`;
export const appOfPushqKey = (key: string) => splitAppKey(key)[0];
