/**
 * Per-message read receipts of a one-to-one conversation (openim.c2c_msg_read_receipt): the
 * recipient of messages sent with a receipt request tells their sender it read them. Kept apart
 * from the conversation's read mark (`read`), which covers everything up to a sequence and moves
 * the unread count; a receipt moves no count, only the sender's "read" flag of those messages.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { MESSAGES_RECEIPTED, type C2CEvent } from './events';
import type { C2CState, MessageMeta } from './state';

/** A message named by MsgKey, as the service read it from the log when memory no longer holds it. */
export type ReceiptStored = MessageMeta & { msgKey: string };

export interface ReceiptCommand {
  op: 'receipt';
  reader: string;
  msgKeys: string[];
  now: number;
  stored?: ReceiptStored[];
}

/** The messages this receipt newly marked read, with what their sender's push needs. */
export interface ReceiptReply {
  receipted: { msgKey: string; seq: number; from: string; clientTime: number }[];
}

/** NOT_FOUND: not a message of this conversation, or not one the reader received (its own). */
const NOT_FOUND = 20022;

export function receipt(state: C2CState, c: ReceiptCommand): Decision<C2CEvent, ReceiptReply> {
  if (!state.users.includes(c.reader)) throw new DomainError(NOT_FOUND, `${c.reader} is not in this conversation`);
  const fresh: ReceiptReply['receipted'] = [];
  // Every key is checked before anything is stored: one bad key refuses the whole receipt.
  for (const msgKey of new Set(c.msgKeys)) {
    const meta = state.messages.get(msgKey) ?? c.stored?.find((m) => m.msgKey === msgKey && m.seq <= state.lastSeq);
    if (!meta) throw new DomainError(NOT_FOUND, `no message ${msgKey} in this conversation`);
    // A one-to-one conversation with oneself has no peer to tell.
    if (meta.from === c.reader) throw new DomainError(NOT_FOUND, `message ${msgKey} was sent by ${c.reader}, not received`);
    // A recalled message has nothing left to read; a repeated receipt changes nothing.
    if (meta.recalled || meta.receipted) continue;
    fresh.push({ msgKey, seq: meta.seq, from: meta.from, clientTime: meta.clientTime ?? meta.time });
  }
  if (fresh.length === 0) return { events: [], reply: { receipted: [] } };
  const data = { reader: c.reader, msgKeys: fresh.map((m) => m.msgKey), seqs: fresh.map((m) => m.seq), at: c.now };
  return { events: [{ type: MESSAGES_RECEIPTED, data }], reply: { receipted: fresh } };
}
