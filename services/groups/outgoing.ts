/**
 * Turns what a group command asks to deliver into pushes: fanned out to the recipients in order
 * per group (delivery.ts), or, in a live room (AVChatRoom), published once per gateway node to
 * whoever is in the room (live.ts).
 */
import type { ServiceBroker } from 'moleculer';
import type { GroupType, Outgoing } from '../../actors/group';
import { PUSH_SERVCMD } from '../connector/replies';
import { deliverInOrder, type FanOutResult } from './delivery';
import { deliverLive, type Push } from './live';
import { liveOf } from './rooms';
import { modifyPush } from './edit-wire';
import { groupMessageItem, groupMessagePush, recallPush, receiptPush, systemNoticePush, tipItem, tipPush } from './wire';

export function pushOf(app: number, groupId: string, type: GroupType, o: Push): object {
  switch (o.kind) {
    case 'message':
      return groupMessagePush([groupMessageItem(app, groupId, type, o.message, 0, o.onlineOnly, o.topicId)]);
    case 'tip':
      return tipPush(o.stored, [tipItem(groupId, type, o.seq, o.time, o.tip)]);
    case 'system':
      return systemNoticePush(groupId, type, o.time, o.by, o.opType, o.content);
    case 'recall':
      return recallPush(app, groupId, type, o.time, o.by, o.items, o.topicId);
    case 'receipt':
      return receiptPush(app, groupId, type, o.time, o.by, o.items);
    case 'modify':
      return modifyPush(groupId, o);
  }
}

const isPush = (o: Outgoing): o is Push => o.kind !== 'room';

export function deliverAll(broker: ServiceBroker, app: number, groupId: string, type: GroupType, out: Outgoing[]): Promise<FanOutResult[]> {
  const pushes = out.filter(isPush);
  // A disbanded id may be created again with another type: forget the type rooms.ts remembered.
  if (pushes.some((o) => o.kind === 'system' && o.opType === 5)) liveOf(broker).types.delete(`${app}:${groupId}`);
  if (type === 'AVChatRoom') return deliverLive(broker, app, groupId, pushes, (o) => pushOf(app, groupId, type, o));
  return deliverInOrder(broker, app, groupId, pushes.map((o) => ({ users: o.recipients, servcmd: PUSH_SERVCMD, body: pushOf(app, groupId, type, o) })));
}
