/** Turns what a group command asks to deliver into pushes, one fan-out each. */
import type { ServiceBroker } from 'moleculer';
import type { GroupType, Outgoing } from '../../actors/group';
import { PUSH_SERVCMD } from '../connector/replies';
import { deliverToMembers, type FanOutResult } from './delivery';
import { groupMessageItem, groupMessagePush, recallPush, systemNoticePush, tipItem, tipPush } from './wire';

export function pushOf(app: number, groupId: string, type: GroupType, o: Outgoing): object {
  switch (o.kind) {
    case 'message':
      return groupMessagePush([groupMessageItem(app, groupId, type, o.message, 0, o.onlineOnly)]);
    case 'tip':
      return tipPush(o.stored, [tipItem(groupId, type, o.seq, o.time, o.tip)]);
    case 'system':
      return systemNoticePush(groupId, type, o.time, o.by, o.opType, o.content);
    case 'recall':
      return recallPush(app, groupId, type, o.time, o.by, o.items);
  }
}

export function deliverAll(broker: ServiceBroker, app: number, groupId: string, type: GroupType, out: Outgoing[]): Promise<FanOutResult[]> {
  return Promise.all(out.map((o) => deliverToMembers(broker, app, o.recipients, PUSH_SERVCMD, pushOf(app, groupId, type, o))));
}
