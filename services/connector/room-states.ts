/**
 * Group.CallbackOnMemberStateChange for live rooms (AVChatRoom): a viewer whose connection
 * dropped is parked (Offline) and is back when the same device logs in again (Online). Queued
 * durably in the app's outbox, in order with the room's other group callbacks.
 */
import type { ServiceBroker } from 'moleculer';
import { queueAfter } from '../webhooks.service';

export function reportRoomStates(broker: ServiceBroker, userId: string, rooms: string[], EventType: 'Offline' | 'Online'): void {
  for (const room of rooms) {
    const colon = room.indexOf(':');
    const app = Number(room.slice(0, colon));
    const GroupId = room.slice(colon + 1);
    const body = { GroupId, Type: 'AVChatRoom', EventType, MemberList: [{ Member_Account: userId }] };
    void queueAfter(broker, { app, command: 'Group.CallbackOnMemberStateChange', body, orderKey: `group:${GroupId}`, platform: 'Web' });
  }
}
