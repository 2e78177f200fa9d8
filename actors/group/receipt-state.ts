/** Applies read-receipt events (receipts.ts) to a group's state: who has read each message that asked for receipts. */
import { GROUP_CREATED, GROUP_DESTROYED, MESSAGE_SENT, MESSAGES_RECEIPTED, type GroupEvent } from './events';

/** Messages whose readers a group keeps, the newest; older ones answer as unknown (10004). */
export const RECEIPTED_MESSAGES = 10_000;

/** Sequence → members who sent a receipt for it. */
export type Receipts = Map<number, Set<string>>;

/** Updates `s.receipts` in place; true when the event is only about receipts. */
export function evolveReceipts(s: { receipts?: Receipts }, event: GroupEvent): boolean {
  switch (event.type) {
    case GROUP_CREATED:
    case GROUP_DESTROYED:
      s.receipts = undefined;
      return false;
    case MESSAGE_SENT: {
      if (event.data.needReadReceipt !== true) return false;
      const receipts = (s.receipts ??= new Map());
      receipts.set(event.data.seq, new Set());
      if (receipts.size > RECEIPTED_MESSAGES) receipts.delete(receipts.keys().next().value as number);
      return false;
    }
    case MESSAGES_RECEIPTED:
      for (const seq of event.data.seqs) s.receipts?.get(seq)?.add(event.data.user);
      return true;
    default:
      return false;
  }
}
