/**
 * Turns what a group command asks to deliver into pushes: fanned out to the recipients in order
 * per group (delivery.ts), or, in a live room (AVChatRoom), published once per gateway node to
 * whoever is in the room (rooms.ts).
 */
import type { ServiceBroker } from 'moleculer';
import type { GroupType, Outgoing } from '../../actors/group';
import { PUSH_SERVCMD } from '../connector/replies';
import { deliverToMembers, type FanOutResult } from './delivery';
import { closeRoom, gatewayNodes, inOrder, liveOf, pushToRoom } from './rooms';
import { groupMessageItem, groupMessagePush, recallPush, systemNoticePush, tipItem, tipPush } from './wire';

type Push = Exclude<Outgoing, { kind: 'room' }>;

export function pushOf(app: number, groupId: string, type: GroupType, o: Push): object {
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

const isPush = (o: Outgoing): o is Push => o.kind !== 'room';

export function deliverAll(broker: ServiceBroker, app: number, groupId: string, type: GroupType, out: Outgoing[]): Promise<FanOutResult[]> {
  const pushes = out.filter(isPush);
  if (type === 'AVChatRoom') return inOrder(broker, `${app}:${groupId}`, () => deliverLive(broker, app, groupId, pushes));
  return Promise.all(pushes.map((o) => deliverToMembers(broker, app, o.recipients, PUSH_SERVCMD, pushOf(app, groupId, type, o))));
}

/**
 * A live room's pushes: messages, tips and the disbanding notice go to everyone in the room,
 * tips with a live sequence of their own (rooms.ts: the SDK drops repeated sequences); notices
 * meant for named users (applications, removals) go to them as in any group.
 */
async function deliverLive(broker: ServiceBroker, app: number, groupId: string, pushes: Push[]): Promise<FanOutResult[]> {
  const key = `${app}:${groupId}`;
  const results: FanOutResult[] = [];
  for (const o of pushes) {
    const disbanded = o.kind === 'system' && o.opType === 5;
    if (o.kind !== 'message' && o.kind !== 'tip' && !disbanded) {
      results.push(await deliverToMembers(broker, app, o.recipients, PUSH_SERVCMD, pushOf(app, groupId, 'AVChatRoom', o)));
      continue;
    }
    const push = o.kind === 'tip' ? { ...o, seq: liveOf(broker).seqs.next(key, o.time * 1000) } : o;
    const devices = await pushToRoom(broker, app, groupId, PUSH_SERVCMD, pushOf(app, groupId, 'AVChatRoom', push));
    results.push({ nodes: gatewayNodes(broker).length, devices });
    if (disbanded) {
      liveOf(broker).types.delete(key);
      await closeRoom(broker, app, groupId);
    }
  }
  return results;
}
