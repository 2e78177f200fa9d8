/**
 * How many bytes one reply or push may carry. Pages of messages are bounded in bytes as well as
 * in items: a page ends early when its next message would overflow the budget, and says so with
 * the continuation the SDK already follows (the getmsg cookie, getroammsg's Complete and MsgKey,
 * group_msg_get's NextReqMsgSeq and IsFinished; docs/sdk-protocol.md §12).
 *
 * Why 256 KiB of message JSON: a full page of Tencent's largest messages (100 × 12 KB) is about
 * 1.2 MB, more than a socket may have queued before the gateway takes its client for one that
 * does not read (512 KiB, services/connector/session.ts); half of that leaves room for the other
 * replies of the SDK's start-up burst. It is also above what the SDK's own fixed-size pulls can
 * reach with 12 KB messages — 16 one-to-one or 15 group messages after a reconnect, about 200 KiB
 * — so those pages are never cut: the SDK's group gap recovery continues from the newest message
 * it got and would not ask again for an older part left out.
 */

export const REPLY_BUDGET_BYTES = 256 * 1024;

/** Bytes of `value` as JSON, as it goes out in a frame or an HTTP body. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/**
 * The longest prefix of `items` whose JSON fits in `budget` bytes, and never fewer than one item,
 * so that a page always moves on (one message is at most 12 KB).
 */
export function fitting<T>(items: readonly T[], budget = REPLY_BUDGET_BYTES): T[] {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += jsonBytes(items[i]) + 1; // and the comma
    if (bytes > budget && i > 0) return items.slice(0, i);
  }
  return [...items];
}
