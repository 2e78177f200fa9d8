/**
 * Changes to a user's conversations that happen in other streams and that the SDK's incremental
 * list must still send again: a group read on another device (the read sequence lives in the
 * group actor), a recall or edit of a one-to-one conversation's last message (the conversation's
 * stream), a peer's new nickname or avatar (the peer's profile). Their contexts publish them after
 * their commit; the conversations context turns them into this command (services/conversations/
 * list-touches.ts), which records only that the conversation changed (changes.ts).
 */
import type { Decision } from '../../runtime/kind';
import { INBOX_CONVS_TOUCHED, type ConvId, type InboxEvent } from './events';
import type { Contact } from './state';

export interface TouchCommand {
  op: 'touch';
  convs: ConvId[];
  /** One-to-one conversations are touched only while their last message is this one (a recall, an edit). */
  lastMsgKey?: string;
  now: number;
}

/** One-to-one conversations not in the list (deleted, never had a message) are left alone: they would not be sent anyway. */
export function decideTouch(contacts: Map<string, Contact>, c: TouchCommand): Decision<InboxEvent, { changed: boolean }> {
  const convs = c.convs.filter((conv) => {
    if (!conv.startsWith('C2C')) return conv.startsWith('GROUP');
    const contact = contacts.get(conv.slice(3));
    return contact !== undefined && (c.lastMsgKey === undefined || contact.lastMsgKey === c.lastMsgKey);
  });
  if (convs.length === 0) return { events: [], reply: { changed: false } };
  return { events: [{ type: INBOX_CONVS_TOUCHED, data: { convs, at: c.now } }], reply: { changed: true } };
}
