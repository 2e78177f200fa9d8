/**
 * The node's cache of global mutes (openconfigsvr/setnospeaking) that send paths check: a
 * one-to-one or group send asks whether its sender is muted, and without the cache every
 * message would cost a call to the sender's user actor, usually on another node.
 *
 * Filled by every answer of a user actor that carries the mute (`get`, which the sends already
 * make for existence and sender profiles), kept current by `user.nospeaking.changed`, which the
 * accounts service broadcasts after every change: every node forgets that user. As in
 * services/friends/flag-cache.ts, an answer that was in flight while any mute changed is not
 * kept, and an entry is trusted for a minute at most in case a broadcast was lost.
 */
export interface Mutes {
  /** Unix seconds until which one-to-one (c2c) and group sends are refused; 0 = not muted. */
  c2c: number;
  group: number;
}

const TTL_MS = 60_000;
/** Accounts remembered; the whole cache is dropped when full. */
const MAX_ENTRIES = 200_000;

export class MuteCache {
  private readonly entries = new Map<string, { mutes: Mutes; at: number }>();
  /** Bumped by every forget: an answer is kept only if nothing changed while it was read. */
  changes = 0;

  get(key: string, now = Date.now()): Mutes | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at < TTL_MS ? entry.mutes : undefined;
  }

  /** Keeps an answer read since `changesBefore`, unless a mute changed meanwhile. */
  offer(key: string, mutes: Mutes, changesBefore: number, now = Date.now()): void {
    if (this.changes !== changesBefore) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { mutes, at: now });
  }

  forget(key: string): void {
    this.changes++;
    this.entries.delete(key);
  }
}

/** Whether `mutes` still hold at `now` (ms) for this kind of send. */
export const isMuted = (mutes: Mutes, kind: keyof Mutes, now = Date.now()): boolean => mutes[kind] > Math.floor(now / 1000);
