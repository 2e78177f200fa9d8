/**
 * Pushes of one-to-one events to devices, sent by the action after the conversation's durable
 * append answered — so an acknowledged message was stored before anyone saw it, and the
 * device that acted (the caller's `instId`) is left out: it already knows. Push is an
 * optimisation: a device that misses one catches up through getmsg or history, so they go one
 * way (sendToUsers: an event to each other node holding a device, no answer awaited).
 */
import type { ServiceBroker } from 'moleculer';
import type { MessageSentData } from '../../actors/c2c';
import { sendToUsers, type Recipient } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { c2cPush, modifyPush, readNoticePush, readReceiptPush, recallPush, wireMessage, type MessageIdentity, type ModifiedContent } from './wire';

function deliver(broker: ServiceBroker, app: number, user: string, body: object, exceptInstId?: string): void {
  sendToUsers(broker, app, [{ userId: user, exceptInstId }], PUSH_SERVCMD, body).catch((err: Error) => broker.logger.warn(`push to ${user} failed: ${err.message}`));
}

/**
 * A new message: to the receiver's devices, and the sender's other devices unless
 * SyncOtherMachine 2 — one presence lookup and one push per node for both, one encoding.
 */
export function pushSent(broker: ServiceBroker, app: number, m: MessageSentData, exceptInstId?: string): void {
  const push = c2cPush([wireMessage(app, m)]);
  const recipients: Recipient[] = [{ userId: m.to, exceptInstId: m.to === m.from ? exceptInstId : undefined }];
  if (m.syncToSender && m.from !== m.to) recipients.push({ userId: m.from, exceptInstId });
  sendToUsers(broker, app, recipients, PUSH_SERVCMD, push).catch((err: Error) => broker.logger.warn(`push of a message to ${m.to} failed: ${err.message}`));
}

/** A recall: every device of both users but the one that recalled. */
export function pushRecall(broker: ServiceBroker, app: number, m: MessageIdentity, revoker: string, exceptInstId?: string): void {
  bothSides(broker, app, m, recallPush(app, m, revoker), revoker, exceptInstId);
}

/** A conversation read: a receipt to the peer, a notice to the reader's other devices. */
export function pushRead(broker: ServiceBroker, app: number, reader: string, peer: string, readTime: number, exceptInstId?: string): void {
  if (peer !== reader) deliver(broker, app, peer, readReceiptPush(reader, peer, readTime));
  deliver(broker, app, reader, readNoticePush(peer, readTime), exceptInstId);
}

/** A modification: every device of both users but the one that modified. */
export function pushModified(broker: ServiceBroker, app: number, m: MessageIdentity, content: ModifiedContent, by: string, exceptInstId?: string): void {
  bothSides(broker, app, m, modifyPush(m, content), by, exceptInstId);
}

/** One push to every device of both users of a message but the one of `actor` that acted. */
function bothSides(broker: ServiceBroker, app: number, m: MessageIdentity, push: object, actor: string, exceptInstId?: string): void {
  const recipients: Recipient[] = [{ userId: m.from, exceptInstId: m.from === actor ? exceptInstId : undefined }];
  if (m.to !== m.from) recipients.push({ userId: m.to, exceptInstId: m.to === actor ? exceptInstId : undefined });
  sendToUsers(broker, app, recipients, PUSH_SERVCMD, push).catch((err: Error) => broker.logger.warn(`push to ${m.from} and ${m.to} failed: ${err.message}`));
}
