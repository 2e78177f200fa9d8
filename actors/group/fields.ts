/**
 * The app's custom group and member fields (the seed's "Custom Fields"): which keys exist, and
 * for each the least role that may read it and the least role that may write it, from the app
 * administrator down to anyone (non-members included). Member fields also say whether members
 * may read and write their own value, and for which group types they exist (never AVChatRoom,
 * whose members are not stored).
 *
 * The rules travel inside the commands that need them (they are the app's settings, and the
 * decider reads no settings of its own); the services filter what they answer with the same
 * functions.
 */
import { byteLength, GROUP_CODES, refuse } from './codes';
import { RANK, type Actor, type GroupType } from './policy';

export type FieldLevel = 'Anyone' | 'Member' | 'Admin' | 'Owner' | 'AppAdmin';
export const FIELD_LEVELS: readonly FieldLevel[] = ['Anyone', 'Member', 'Admin', 'Owner', 'AppAdmin'];

export interface FieldRule {
  /** 1-15 letters, digits or _ (the seed: under 16 bytes). */
  key: string;
  read: FieldLevel;
  write: FieldLevel;
  /** Member fields: a member may read their own value whatever `read` says. Default true. */
  selfRead?: boolean;
  /** Member fields: a member may write their own value whatever `write` says. Default true. */
  selfWrite?: boolean;
  /** Member fields: the group types that have it; default every type that stores members. */
  types?: GroupType[];
}

export interface FieldRules {
  group: FieldRule[];
  member: FieldRule[];
}

/** The seed's limits: 10 group fields of 512 bytes, 5 member fields of 64 bytes. */
export const CUSTOM_LIMITS = { groupKeys: 10, groupValueBytes: 512, memberKeys: 5, memberValueBytes: 64 } as const;
export const FIELD_KEY = /^[A-Za-z0-9_]{1,15}$/;

export const NO_FIELDS: FieldRules = { group: [], member: [] };

const LEVEL_RANK: Record<FieldLevel, number> = { Anyone: RANK.NotMember, Member: RANK.Member, Admin: RANK.Admin, Owner: RANK.Owner, AppAdmin: RANK.AppAdmin };
const reaches = (actor: Actor, level: FieldLevel) => RANK[actor] >= LEVEL_RANK[level];

const memberRulesOf = (rules: FieldRules, type: GroupType) => rules.member.filter((r) => (r.types ? r.types.includes(type) : type !== 'AVChatRoom'));

function check(ruleOf: Map<string, FieldRule>, current: Record<string, string>, patch: Record<string, string>, limits: { keys: number; bytes: number }, may: (r: FieldRule) => boolean, what: string): void {
  for (const [k, v] of Object.entries(patch)) {
    const rule = ruleOf.get(k);
    // Tencent answers 10004 for keys the app has not configured ("all defined key is invalid").
    if (!rule) refuse(GROUP_CODES.INVALID, `${what} field ${JSON.stringify(k)} is not configured for this app`);
    if (byteLength(v) > limits.bytes) refuse(GROUP_CODES.INVALID, `${what} field ${k} is longer than ${limits.bytes} bytes`);
    if (!may(rule as FieldRule)) refuse(GROUP_CODES.NO_PERMISSION, `no permission to write the ${what} field ${k}`);
  }
  const merged = { ...current, ...patch };
  if (Object.values(merged).filter((v) => v !== '').length > limits.keys) refuse(GROUP_CODES.INVALID, `at most ${limits.keys} ${what} fields`);
}

/** A change of group fields by `actor`: configured keys, value sizes, write levels (10004, 10007). */
export function checkGroupWrite(rules: FieldRules, actor: Actor, current: Record<string, string>, patch: Record<string, string>): void {
  const ruleOf = new Map(rules.group.map((r) => [r.key, r]));
  check(ruleOf, current, patch, { keys: CUSTOM_LIMITS.groupKeys, bytes: CUSTOM_LIMITS.groupValueBytes }, (r) => reaches(actor, r.write), 'group');
}

/** A change of a member's fields by `actor` (`self` when it is their own). */
export function checkMemberWrite(rules: FieldRules, type: GroupType, actor: Actor, self: boolean, current: Record<string, string>, patch: Record<string, string>): void {
  const ruleOf = new Map(memberRulesOf(rules, type).map((r) => [r.key, r]));
  check(ruleOf, current, patch, { keys: CUSTOM_LIMITS.memberKeys, bytes: CUSTOM_LIMITS.memberValueBytes }, (r) => reaches(actor, r.write) || (self && r.selfWrite !== false), 'member');
}

/** The group fields `actor` may read; `only` narrows to the keys asked for (AppDefinedDataFilter_Group). */
export function readableGroupFields(rules: FieldRules, actor: Actor, custom: Record<string, string>, only?: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rules.group) {
    if (custom[r.key] === undefined || (only && !only.includes(r.key))) continue;
    if (reaches(actor, r.read)) out[r.key] = custom[r.key];
  }
  return out;
}

/** The fields of one member that `actor` may read (`self` when they are the member's own). */
export function readableMemberFields(rules: FieldRules, type: GroupType, actor: Actor, self: boolean, custom: Record<string, string>, only?: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of memberRulesOf(rules, type)) {
    if (custom[r.key] === undefined || (only && !only.includes(r.key))) continue;
    if (reaches(actor, r.read) || (self && r.selfRead !== false)) out[r.key] = custom[r.key];
  }
  return out;
}

/**
 * create_group, import_group and import_group_member: the creator writes the new group's fields
 * and its members' — as the owner (SDK) or as the app administrator (REST).
 */
export function checkNewFields(rules: FieldRules, type: GroupType, byAdmin: boolean, by: string, group: Record<string, string>, members: { user: string; custom: string }[]): void {
  const actor: Actor = byAdmin ? 'AppAdmin' : 'Owner';
  if (Object.keys(group).length > 0) checkGroupWrite(rules, actor, {}, group);
  for (const m of members) {
    const custom = JSON.parse(m.custom) as Record<string, string>;
    if (Object.keys(custom).length > 0) checkMemberWrite(rules, type, actor, !byAdmin && m.user === by, {}, custom);
  }
}
