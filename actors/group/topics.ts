/**
 * Topics of a Community: creating, changing, destroying and viewing them. A topic lives inside
 * its community's actor (docs/groups.md says why): its rights come from the community's members
 * and permission groups, and its messages reach the community's members.
 */
import type { GroupCommand, TopicView, Who } from './commands';
import { TOPIC_CHANGED, TOPIC_CREATED, TOPIC_DESTROYED, type TopicPatch } from './events';
import { authorize, mask, type PermissionFacts } from './permissions';
import { actorOf, byteLength, existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import type { GroupState } from './state';
import { MAX_TOPICS, type Topic } from './topic-state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

const MANAGERS = ['Owner', 'Admin'] as const;
/** The seed: a whole topic id is at most 96 bytes. */
export const MAX_TOPIC_ID_BYTES = 96;
const LIMITS = { name: 30, faceUrl: 100, introduction: 240, notification: 300, customString: 3000 } as const;

/** The facts permissions.ts judges by, from a community's state. */
export function factsOf(s: GroupState): PermissionFacts {
  return {
    enabled: s.profile?.enablePermission ?? false,
    defaultPermission: s.profile?.defaultPermission ?? '0',
    groups: s.permissionGroups,
    topicDefault: (id) => s.topics.get(id)?.defaultPermission,
  };
}

/** The community, which must be a Community created with SupportTopic. */
export function community(s: GroupState) {
  const found = existing(s);
  if (found.profile.type !== 'Community') refuse(GROUP_CODES.INVALID, 'only a Community has topics');
  if (!found.profile.supportTopic) refuse(GROUP_CODES.INVALID, 'this Community was created without topics (SupportTopic)');
  return found;
}

export function topicOf(s: GroupState, topicId: string): Topic {
  const t = s.topics.get(topicId);
  if (!t) refuse(GROUP_CODES.NOT_FOUND, `topic ${topicId} does not exist`);
  return t as Topic;
}

/** The seed's rules for a topic id: `GroupId@TOPIC#_` + a printable ASCII part; `@TOPIC#_@TOPIC#` is kept for generated ids. */
export function checkTopicId(groupId: string, id: string, generated: boolean): void {
  const prefix = `${groupId}@TOPIC#_`;
  const part = id.slice(prefix.length);
  const ok = id.startsWith(prefix) && part.length > 0 && /^[\x20-\x7e]+$/.test(part) && byteLength(id) <= MAX_TOPIC_ID_BYTES && !part.includes('@TGS#_');
  const reserved = id.startsWith(`${prefix}@TOPIC#`);
  if (!ok || reserved !== generated) refuse(GROUP_CODES.BAD_ID, `invalid topic id ${JSON.stringify(id)}`);
}

function checkFields(f: Partial<Record<keyof typeof LIMITS, string>>): void {
  for (const [field, max] of Object.entries(LIMITS)) {
    const v = f[field as keyof typeof LIMITS];
    if (v !== undefined && byteLength(v) > max) refuse(GROUP_CODES.INVALID, `topic ${field} is longer than ${max} bytes`);
  }
}

export function createTopic(s: GroupState, c: Cmd<'createTopic'>): Effects {
  community(s);
  authorize(factsOf(s), c.by, actorOf(s, c.by), MANAGERS, 'ManageTopic', 'create topics');
  const t = c.topic;
  checkTopicId(s.id, t.id, c.generated);
  if (s.topics.has(t.id)) refuse(GROUP_CODES.ID_USED, `topic id ${t.id} is already used`);
  if (s.topics.size >= MAX_TOPICS) refuse(GROUP_CODES.INVALID, `a Community has at most ${MAX_TOPICS} topics`);
  if (t.name.length === 0) refuse(GROUP_CODES.INVALID, 'TopicName is required');
  checkFields(t);
  const fx = none();
  const createTime = t.createTime ?? Math.floor(c.now / 1000);
  const { defaultPermission, createTime: _created, ...profile } = t;
  fx.events.push({ type: TOPIC_CREATED, data: { ...profile, topicId: t.id, slot: s.topicSlots + 1, createTime, by: c.by.id, at: c.now } });
  if (defaultPermission !== undefined) fx.events.push({ type: TOPIC_CHANGED, data: { topicId: t.id, patch: JSON.stringify({ defaultPermission: mask(defaultPermission, 'DefaultPermission') }), by: c.by.id, at: c.now } });
  return fx;
}

/** Who may change or destroy a topic: ManageTopic in the community, or ManageTopicInfo in that topic. */
const mayManage = (s: GroupState, by: Who, topicId: string, what: string) =>
  authorize(factsOf(s), by, actorOf(s, by), MANAGERS, 'ManageTopic', what, { id: topicId, right: 'ManageTopicInfo' });

export function modifyTopic(s: GroupState, c: Cmd<'modifyTopic'>): Effects {
  community(s);
  topicOf(s, c.topicId);
  mayManage(s, c.by, c.topicId, 'change this topic');
  checkFields(c.patch);
  if (c.patch.name !== undefined && c.patch.name.length === 0) refuse(GROUP_CODES.INVALID, 'TopicName may not be empty');
  const patch: TopicPatch = Object.fromEntries(Object.entries(c.patch).filter(([, v]) => v !== undefined));
  if (patch.defaultPermission !== undefined) patch.defaultPermission = mask(patch.defaultPermission, 'DefaultPermission');
  const fx = none();
  if (Object.keys(patch).length > 0) fx.events.push({ type: TOPIC_CHANGED, data: { topicId: c.topicId, patch: JSON.stringify(patch), by: c.by.id, at: c.now } });
  return fx;
}

/** Each topic on its own: the answer lists a code per id (0 destroyed, 10010 unknown, 10007 refused). */
export function destroyTopics(s: GroupState, c: Cmd<'destroyTopics'>): { fx: Effects; results: { topicId: string; code: number }[] } {
  community(s);
  const fx = none();
  const results = [...new Set(c.topicIds)].map((topicId) => {
    if (!s.topics.has(topicId)) return { topicId, code: GROUP_CODES.NOT_FOUND };
    try {
      mayManage(s, c.by, topicId, 'destroy this topic');
    } catch (err) {
      return { topicId, code: (err as { code: number }).code };
    }
    fx.events.push({ type: TOPIC_DESTROYED, data: { topicId, by: c.by.id, at: c.now } });
    return { topicId, code: 0 };
  });
  return { fx, results };
}

/** Topics by id (all of them when none is named), in creation order, with the viewer's own position. */
export function viewTopics(s: GroupState, c: Cmd<'viewTopics'>): (TopicView | { id: string; code: number })[] {
  community(s);
  const member = c.viewer.admin ? undefined : s.members.get(c.viewer.id);
  if (!c.viewer.admin && !member) refuse(GROUP_CODES.NO_PERMISSION, `${c.viewer.id} is not a member`);
  const ids = c.topicIds.length > 0 ? c.topicIds : [...s.topics.keys()];
  return ids.map((id) => {
    const t = s.topics.get(id);
    if (!t) return { id, code: GROUP_CODES.NOT_FOUND };
    const self = member ? { readSeq: t.reads.get(c.viewer.id) ?? 0, mutedUntil: Math.max(t.mutes.get(c.viewer.id) ?? 0, s.mutes.get(c.viewer.id) ?? 0), msgFlag: member.msgFlag } : undefined;
    return {
      id, name: t.name, faceUrl: t.faceUrl, introduction: t.introduction, notification: t.notification, customString: t.customString,
      createTime: t.createTime, muteAll: t.muteAll, defaultPermission: t.defaultPermission ?? '0', lastSeq: t.lastSeq, lastMsgTime: t.lastMsgTime, self,
      ...(c.viewer.admin ? { mutes: [...t.mutes] } : {}),
    };
  });
}
