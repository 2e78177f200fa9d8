/**
 * Flood control per connection, beyond the cap on requests in flight: a token bucket of frames
 * per second. Tencent puts no limit on what a client may send (one-to-one sends from the SDK are
 * unlimited; group sends are limited per group, by the group actor), so the rate here is far
 * above anything the SDK does — its start-up burst is about a dozen requests, its steady state a
 * heartbeat every 10 s — and only a runaway or hostile client meets it. A frame over the rate is
 * answered with 60007 (too frequent), the code of the in-flight cap, and costs no more than that.
 * 1,000 a second leaves room for a bot sending hundreds of messages a second over one socket
 * (200 capped the project's own load bench at half the bare router's rate).
 */
import type { Session } from './session';

/** Sustained frames per second one connection may send. */
export const FRAMES_PER_SEC = 1000;
/** Frames one connection may send at once after a quiet spell. */
export const FRAME_BURST = 2000;

interface Bucket {
  tokens: number;
  at: number;
}

const buckets = new WeakMap<Session, Bucket>();

/** Takes a token for one frame; false when the connection is over its rate. */
export function admitFrame(s: Session, now = Date.now()): boolean {
  let b = buckets.get(s);
  if (!b) buckets.set(s, (b = { tokens: FRAME_BURST, at: now }));
  b.tokens = Math.min(FRAME_BURST, b.tokens + ((now - b.at) * FRAMES_PER_SEC) / 1000);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}
