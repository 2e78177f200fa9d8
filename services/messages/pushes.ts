/**
 * Pushes of one-to-one events to devices, sent by the action after the conversation's durable
 * append answered — so an acknowledged message was stored before anyone saw it, and the
 * device that acted (the caller's `instId`) is left out: it already knows. Push is an
 * optimisation: a device that misses one catches up through getmsg or history.
 */
import type { ServiceBroker } from 'moleculer';
import type { MessageSentData } from '../../actors/c2c';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { c2cPush, modifyPush, readNoticePush, readReceiptPush, recallPush, wireMessage, type MessageIdentity, type ModifiedContent } from './wire';

function deliver(broker: ServiceBroker, app: number, user: string, body: object, exceptInstId?: string): void {
  deliverToUser(broker, app, user, PUSH_SERVCMD, body, { exceptInstId }).catch((err: Error) => broker.logger.warn(`push to ${user} failed: ${err.message}`));
}

/** A new message: to the receiver's devices, and the sender's other devices unless SyncOtherMachine 2. */
export function pushSent(broker: ServiceBroker, app: number, m: MessageSentData, exceptInstId?: string): void {
  const push = c2cPush([wireMessage(app, m)]);
  deliver(broker, app, m.to, push, m.to === m.from ? exceptInstId : undefined);
  if (m.syncToSender && m.from !== m.to) deliver(broker, app, m.from, push, exceptInstId);
}

/** A recall: every device of both users but the one that recalled. */
export function pushRecall(broker: ServiceBroker, app: number, m: MessageIdentity, revoker: string, exceptInstId?: string): void {
  const push = recallPush(app, m, revoker);
  deliver(broker, app, m.from, push, m.from === revoker ? exceptInstId : undefined);
  if (m.to !== m.from) deliver(broker, app, m.to, push, m.to === revoker ? exceptInstId : undefined);
}

/** A conversation read: a receipt to the peer, a notice to the reader's other devices. */
export function pushRead(broker: ServiceBroker, app: number, reader: string, peer: string, readTime: number, exceptInstId?: string): void {
  if (peer !== reader) deliver(broker, app, peer, readReceiptPush(reader, peer, readTime));
  deliver(broker, app, reader, readNoticePush(peer, readTime), exceptInstId);
}

/** A modification: every device of both users but the one that modified. */
export function pushModified(broker: ServiceBroker, app: number, m: MessageIdentity, content: ModifiedContent, by: string, exceptInstId?: string): void {
  const push = modifyPush(m, content);
  deliver(broker, app, m.from, push, m.from === by ? exceptInstId : undefined);
  if (m.to !== m.from) deliver(broker, app, m.to, push, m.to === by ? exceptInstId : undefined);
}
