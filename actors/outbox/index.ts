import { jsonSnapshot, splitAppKey, type ActorKind } from '../../runtime/kind';
import { decide, type OutboxCommand, type OutboxReply } from './decide';
import type { OutboxEvent } from './events';
import { evolve, initialState, type OutboxState } from './state';

export * from './decide';
export * from './events';
export type { OutboxState } from './state';

/**
 * The durable queue of after-callbacks of one app: key `<sdkAppId>:<shard>`. An orderKey
 * always hashes to the same shard, so items of one conversation share one stream and keep
 * their order. Never change OUTBOX_SHARDS on a live installation: pending items of a key
 * would split across two shards and could overtake each other.
 */
export const OUTBOX_SHARDS = 32;

export const outboxKind: ActorKind<OutboxState, OutboxCommand, OutboxEvent, OutboxReply> = {
  name: 'outbox',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<OutboxState>('outbox.v1'),
  snapshotWeight: (state) => state.pending.size,
  // Other actors write Enqueued items here in their own transactions (id 0: numbered on evolve).
  sharedStream: true,
};

/** FNV-1a 32 with murmur3's finaliser (FNV's low bits mix poorly): stable across processes and versions. */
export function shardOf(orderKey: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < orderKey.length; i++) h = Math.imul(h ^ orderKey.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % OUTBOX_SHARDS;
}

export const outboxKey = (sdkAppId: number, shard: number) => `${sdkAppId}:${shard}`;
export const outboxKeyOf = (sdkAppId: number, orderKey: string) => outboxKey(sdkAppId, shardOf(orderKey));
export const appOfOutboxKey = (key: string) => splitAppKey(key)[0];
