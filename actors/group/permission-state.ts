/** Applies the permission-group events of a Community to its map of groups (permissions.ts). */
import {
  PERMISSION_GROUP_CHANGED,
  PERMISSION_GROUP_CREATED,
  PERMISSION_GROUP_DESTROYED,
  PERMISSION_GROUP_MEMBERS_ADDED,
  PERMISSION_GROUP_MEMBERS_REMOVED,
  TOPIC_PERMISSIONS_SET,
  type GroupEvent,
} from './events';
import type { PermissionGroup } from './permissions';

/** Updates `groups` in place; false when the event is not about permission groups. */
export function evolvePermissionGroups(groups: Map<string, PermissionGroup>, event: GroupEvent): boolean {
  switch (event.type) {
    case PERMISSION_GROUP_CREATED: {
      const d = event.data;
      groups.set(d.id, { name: d.name, permission: d.permission, customString: d.customString, createTime: d.createTime, members: new Set(), topics: new Map() });
      return true;
    }
    case PERMISSION_GROUP_CHANGED: {
      const g = groups.get(event.data.id);
      if (g) Object.assign(g, JSON.parse(event.data.patch) as Partial<Pick<PermissionGroup, 'name' | 'permission' | 'customString'>>);
      return true;
    }
    case PERMISSION_GROUP_DESTROYED:
      groups.delete(event.data.id);
      return true;
    case PERMISSION_GROUP_MEMBERS_ADDED:
      for (const u of event.data.users) groups.get(event.data.id)?.members.add(u);
      return true;
    case PERMISSION_GROUP_MEMBERS_REMOVED:
      for (const u of event.data.users) groups.get(event.data.id)?.members.delete(u);
      return true;
    case TOPIC_PERMISSIONS_SET: {
      const g = groups.get(event.data.id);
      for (const [topicId, m] of Object.entries(JSON.parse(event.data.topics) as Record<string, string>)) {
        if (m === '') g?.topics.delete(topicId);
        else g?.topics.set(topicId, m);
      }
      return true;
    }
    default:
      return false;
  }
}
