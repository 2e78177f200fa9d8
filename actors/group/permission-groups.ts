/**
 * Permission groups of a Community: create, change, destroy, view; their members; their
 * permissions per topic. Managing the groups takes ManagePermissionGroupInfo (per topic also
 * ManagePermissionTopicInfo), their members ManagePermissionGroupMember; while the community's
 * permission groups are off, only the owner and the app administrator manage them.
 */
import type { GroupCommand } from './commands';
import {
  PERMISSION_GROUP_CHANGED,
  PERMISSION_GROUP_CREATED,
  PERMISSION_GROUP_DESTROYED,
  PERMISSION_GROUP_MEMBERS_ADDED,
  PERMISSION_GROUP_MEMBERS_REMOVED,
  TOPIC_PERMISSIONS_SET,
} from './events';
import { authorize, mask, type PermissionGroup } from './permissions';
import { actorOf, byteLength, existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import type { GroupState } from './state';
import { factsOf } from './topics';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/** Our own bound (the seed names none): permission groups per community. */
export const MAX_PERMISSION_GROUPS = 100;
const MAX_ID_BYTES = 96;
const LIMITS = { name: 150, customString: 3000 } as const;

function communityOf(s: GroupState) {
  const found = existing(s);
  if (found.profile.type !== 'Community') refuse(GROUP_CODES.INVALID, 'only a Community has permission groups');
  return found;
}

const manage = (s: GroupState, c: { by: Cmd<'createPermissionGroup'>['by'] }, what: string, topicId?: string) =>
  authorize(factsOf(s), c.by, actorOf(s, c.by), [], 'ManagePermissionGroupInfo', what, topicId ? { id: topicId, right: 'ManagePermissionTopicInfo' } : undefined);

function groupOf(s: GroupState, id: string): PermissionGroup {
  const g = s.permissionGroups.get(id);
  if (!g) refuse(GROUP_CODES.NOT_FOUND, `permission group ${id} does not exist`);
  return g as PermissionGroup;
}

/** The seed: generated ids start `@PMG#_@PMG#`; custom ones `@PMG#_` and then anything but `@PMG#`, printable ASCII. */
export function checkPermissionGroupId(id: string, generated: boolean): void {
  const printable = /^[\x20-\x7e]+$/.test(id) && byteLength(id) <= MAX_ID_BYTES && id.length > '@PMG#_'.length;
  const reserved = id.startsWith('@PMG#_@PMG#');
  if (!printable || !id.startsWith('@PMG#_') || reserved !== generated) refuse(GROUP_CODES.BAD_ID, `invalid permission group id ${JSON.stringify(id)}`);
}

function checkFields(f: { name?: string; customString?: string }): void {
  if (f.name !== undefined && (f.name.length === 0 || byteLength(f.name) > LIMITS.name)) refuse(GROUP_CODES.INVALID, `PermissionGroupName must be 1 to ${LIMITS.name} bytes`);
  if (f.customString !== undefined && byteLength(f.customString) > LIMITS.customString) refuse(GROUP_CODES.INVALID, `CustomString is longer than ${LIMITS.customString} bytes`);
}

export function create(s: GroupState, c: Cmd<'createPermissionGroup'>): Effects {
  communityOf(s);
  manage(s, c, 'create permission groups');
  const g = c.group;
  checkPermissionGroupId(g.id, c.generated);
  if (s.permissionGroups.has(g.id)) refuse(GROUP_CODES.ID_USED, `permission group id ${g.id} is already used`);
  if (s.permissionGroups.size >= MAX_PERMISSION_GROUPS) refuse(GROUP_CODES.INVALID, `a Community has at most ${MAX_PERMISSION_GROUPS} permission groups`);
  checkFields(g);
  const fx = none();
  fx.events.push({ type: PERMISSION_GROUP_CREATED, data: { ...g, permission: mask(g.permission, 'Permission'), createTime: Math.floor(c.now / 1000), by: c.by.id, at: c.now } });
  return fx;
}

export function modify(s: GroupState, c: Cmd<'modifyPermissionGroup'>): Effects {
  communityOf(s);
  groupOf(s, c.id);
  manage(s, c, 'change permission groups');
  checkFields(c.patch);
  const patch = Object.fromEntries(Object.entries(c.patch).filter(([, v]) => v !== undefined)) as typeof c.patch;
  if (patch.permission !== undefined) patch.permission = mask(patch.permission, 'Permission');
  const fx = none();
  if (Object.keys(patch).length > 0) fx.events.push({ type: PERMISSION_GROUP_CHANGED, data: { id: c.id, patch: JSON.stringify(patch), by: c.by.id, at: c.now } });
  return fx;
}

export function destroy(s: GroupState, c: Cmd<'destroyPermissionGroups'>): { fx: Effects; results: { id: string; code: number }[] } {
  communityOf(s);
  manage(s, c, 'destroy permission groups');
  const fx = none();
  const results = [...new Set(c.ids)].map((id) => {
    if (!s.permissionGroups.has(id)) return { id, code: GROUP_CODES.NOT_FOUND };
    fx.events.push({ type: PERMISSION_GROUP_DESTROYED, data: { id, by: c.by.id, at: c.now } });
    return { id, code: 0 };
  });
  return { fx, results };
}

export interface PermissionGroupView {
  id: string;
  name: string;
  permission: string;
  customString: string;
  createTime: number;
  members: string[];
  topics: [string, string][];
}

export function view(s: GroupState, c: Cmd<'viewPermissionGroups'>): (PermissionGroupView | { id: string; code: number })[] {
  communityOf(s);
  if (!c.viewer.admin && !s.members.has(c.viewer.id)) refuse(GROUP_CODES.NO_PERMISSION, `${c.viewer.id} is not a member`);
  const ids = c.ids.length > 0 ? c.ids : [...s.permissionGroups.keys()];
  return ids.map((id) => {
    const g = s.permissionGroups.get(id);
    if (!g) return { id, code: GROUP_CODES.NOT_FOUND };
    return { id, name: g.name, permission: g.permission, customString: g.customString, createTime: g.createTime, members: [...g.members], topics: [...g.topics] };
  });
}

/** Adds or removes members of a permission group; each account answers 0 (done) or its code (10007: not in the community). */
export function members(s: GroupState, c: Cmd<'permissionGroupMembers'>): { fx: Effects; results: Record<string, number> } {
  communityOf(s);
  const g = groupOf(s, c.id);
  authorize(factsOf(s), c.by, actorOf(s, c.by), [], 'ManagePermissionGroupMember', 'manage permission group members');
  const results: Record<string, number> = {};
  const users: string[] = [];
  for (const u of new Set(c.users)) {
    if (c.add && !s.members.has(u)) results[u] = GROUP_CODES.NO_PERMISSION;
    else {
      results[u] = 0;
      if (c.add !== g.members.has(u)) users.push(u);
    }
  }
  const fx = none();
  if (users.length > 0) fx.events.push({ type: c.add ? PERMISSION_GROUP_MEMBERS_ADDED : PERMISSION_GROUP_MEMBERS_REMOVED, data: { id: c.id, users, by: c.by.id, at: c.now } });
  return { fx, results };
}

/**
 * A permission group's masks in topics: add (a topic not yet set), modify (one set), delete.
 * Each topic answers 0 or its code: 10010 unknown topic, 10004 already set or not set, 10007 refused.
 */
export function topicPermissions(s: GroupState, c: Cmd<'topicPermissions'>): { fx: Effects; results: Record<string, number> } {
  communityOf(s);
  const g = groupOf(s, c.id);
  const results: Record<string, number> = {};
  const set: Record<string, string> = {};
  for (const [topicId, value] of Object.entries(c.topics)) {
    const code = topicCode(s, c, g, topicId);
    results[topicId] = code;
    if (code === 0) set[topicId] = c.mode === 'delete' ? '' : mask(value, 'Permission');
  }
  const fx = none();
  if (Object.keys(set).length > 0) fx.events.push({ type: TOPIC_PERMISSIONS_SET, data: { id: c.id, topics: JSON.stringify(set), by: c.by.id, at: c.now } });
  return { fx, results };
}

function topicCode(s: GroupState, c: Cmd<'topicPermissions'>, g: PermissionGroup, topicId: string): number {
  if (!s.topics.has(topicId)) return GROUP_CODES.NOT_FOUND;
  if ((c.mode === 'add') === g.topics.has(topicId)) return GROUP_CODES.INVALID;
  try {
    manage(s, c, 'set topic permissions', topicId);
    return 0;
  } catch (err) {
    return (err as { code: number }).code;
  }
}
