/**
 * Permission groups of a Community (the seed's "Permission Group Information" and its two
 * permission tables). Each right is one bit of a 64-bit mask; a member holds the union of the
 * community's DefaultPermission (or, in a topic, the topic's) and the masks of every permission
 * group they belong to. The owner and the app administrator hold every right. While
 * EnablePermission is off, the role rules of policy.ts apply instead and admins keep their
 * rights; while it is on, an admin counts as an ordinary member (Tencent's documented rule),
 * and ordinary members act by their bits.
 */
import { GROUP_CODES, refuse } from './codes';
import type { Actor } from './policy';

/** Community-level rights, bit positions (the seed's first table). */
export const GROUP_BITS = {
  ManageGroupInfo: 0,
  ManageGroupMember: 1,
  ManagePermissionGroupInfo: 2,
  ManagePermissionGroupMember: 3,
  ManageTopic: 4,
  GroupMuteMember: 5,
  SendGroupMessage: 6,
  GroupAtAll: 7,
  GetGroupHistoryMessage: 8,
  RevokeOtherMemberGroupMessage: 9,
  BanMemberGroupMessage: 10,
} as const;

/** Topic-level rights, bit positions (the seed's second table). */
export const TOPIC_BITS = {
  ManageTopicInfo: 0,
  ManagePermissionTopicInfo: 1,
  TopicMuteMember: 2,
  SendTopicMessage: 3,
  GetTopicHistoryMessage: 4,
  RevokeOtherMemberTopicMessage: 5,
  TopicAtAll: 6,
} as const;

export type GroupRight = keyof typeof GROUP_BITS;
export type TopicRight = keyof typeof TOPIC_BITS;

export interface PermissionGroup {
  name: string;
  /** The community-level mask, a decimal unsigned 64-bit integer. */
  permission: string;
  customString: string;
  createTime: number;
  members: Set<string>;
  /** TopicId → the topic-level mask this group grants there. */
  topics: Map<string, string>;
}

/** What the decider needs to judge a right: the community's switch and defaults, its groups, a topic's default. */
export interface PermissionFacts {
  enabled: boolean;
  defaultPermission: string;
  groups: Map<string, PermissionGroup>;
  topicDefault?: (topicId: string) => string | undefined;
}

const MAX_MASK = (1n << 64n) - 1n;

/** A mask from the wire: a whole number in [0, 2^64); anything else is refused with 10004. */
export function mask(value: unknown, field: string): string {
  let v: bigint | undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) v = BigInt(value);
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value)) v = BigInt(value);
  if (v === undefined || v > MAX_MASK) refuse(GROUP_CODES.INVALID, `${field} must be an unsigned 64-bit integer`);
  return (v as bigint).toString();
}

const has = (m: string | undefined, bit: number): boolean => m !== undefined && ((BigInt(m) >> BigInt(bit)) & 1n) === 1n;

/** Whether `user` holds a community right, or (in `topicId`) the matching topic right, by their bits. */
export function holds(f: PermissionFacts, user: string, right: GroupRight | undefined, topic?: { id: string; right: TopicRight }): boolean {
  const masks: string[] = [f.defaultPermission];
  const topicMasks: (string | undefined)[] = topic ? [f.topicDefault?.(topic.id)] : [];
  for (const g of f.groups.values()) {
    if (!g.members.has(user)) continue;
    masks.push(g.permission);
    if (topic) topicMasks.push(g.topics.get(topic.id));
  }
  if (right !== undefined && masks.some((m) => has(m, GROUP_BITS[right]))) return true;
  return topic !== undefined && topicMasks.some((m) => has(m, TOPIC_BITS[topic.right]));
}

/**
 * Refuses (10007) unless `who` may act: the app administrator and the owner always may; with
 * permission groups on, a member by their bits; otherwise by role (`roles`).
 */
export function authorize(f: PermissionFacts, who: { id: string; admin: boolean }, actor: Actor, roles: readonly Actor[], right: GroupRight | undefined, what: string, topic?: { id: string; right: TopicRight }): void {
  if (actor === 'AppAdmin' || actor === 'Owner') return;
  if (actor === 'NotMember') refuse(GROUP_CODES.NO_PERMISSION, `${who.id} is not a member`);
  const ok = f.enabled ? holds(f, who.id, right, topic) : roles.includes(actor);
  if (!ok) refuse(GROUP_CODES.NO_PERMISSION, `${who.id} may not ${what}`);
}
