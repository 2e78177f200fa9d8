/**
 * Group.CallbackOnMemberStateChange for live rooms (AVChatRoom): a viewer whose connection
 * dropped is parked (Offline) and is back when the same device logs in again (Online). Queued
 * durably in the app's outbox, in order with the room's other group callbacks.
 */
import { splitAppKey } from '../../runtime/kind';
import type { ServiceBroker } from 'moleculer';
import { queueAfter } from '../webhooks/client';

export function reportRoomStates(broker: ServiceBroker, userId: string, rooms: string[], EventType: 'Offline' | 'Online'): void {
  for (const room of rooms) {
    const [app, GroupId] = splitAppKey(room);
    const body = { GroupId, Type: 'AVChatRoom', EventType, MemberList: [{ Member_Account: userId }] };
    void queueAfter(broker, { app, command: 'Group.CallbackOnMemberStateChange', body, orderKey: `group:${GroupId}`, platform: 'Web' });
  }
}
