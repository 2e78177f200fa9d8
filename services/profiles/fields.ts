/**
 * Profile fields: the standard ones with their types and limits (seed "Standard Profile
 * Fields"), the app's custom ones (actors/apps/settings/relations.ts), who may read and write each, and the
 * 40xxx code of every way a portrait_set item can be wrong.
 */
import { DomainError } from '../../runtime/kind';
import { PROFILE_CUSTOM_PREFIX, type CustomProfileField, type FieldActor } from '../../actors/apps/settings/relations';

export const PROFILE = {
  INVALID: 40001,
  NO_SUCH_USER: 40003,
  INTERNAL: 40006,
  NO_READ: 40007,
  NO_WRITE: 40008,
  NO_SUCH_TAG: 40009,
  TOO_LONG: 40601,
  BAD_VALUE: 40605,
  BAD_TYPE: 40610,
} as const;

export const ALLOW_TYPES = ['AllowType_Type_NeedConfirm', 'AllowType_Type_AllowAny', 'AllowType_Type_DenyAny'] as const;
export type AllowType = (typeof ALLOW_TYPES)[number];
/** Tencent's default for an account that never set it. */
export const DEFAULT_ALLOW_TYPE: AllowType = 'AllowType_Type_NeedConfirm';

export interface FieldDef {
  tag: string;
  type: 'string' | 'uint32';
  /** Longest string value in UTF-8 bytes. */
  maxBytes?: number;
  values?: readonly string[];
  read: readonly FieldActor[];
  write: readonly FieldActor[];
}

const both = ['user', 'admin'] as const;
const str = (name: string, maxBytes: number, extra: Partial<FieldDef> = {}): FieldDef => ({ tag: `Tag_Profile_IM_${name}`, type: 'string', maxBytes, read: both, write: both, ...extra });
const uint = (name: string, extra: Partial<FieldDef> = {}): FieldDef => ({ tag: `Tag_Profile_IM_${name}`, type: 'uint32', read: both, write: both, ...extra });

export const STANDARD_FIELDS: readonly FieldDef[] = [
  str('Nick', 500),
  str('Gender', 64, { values: ['Gender_Type_Unknown', 'Gender_Type_Female', 'Gender_Type_Male'] }),
  uint('BirthDay'),
  str('Location', 16),
  str('SelfSignature', 500),
  str('AllowType', 64, { values: ALLOW_TYPES }),
  uint('Language'),
  str('Image', 500),
  uint('MsgSettings'),
  // Only administrators may forbid an account to send friend requests.
  str('AdminForbidType', 64, { values: ['AdminForbid_Type_None', 'AdminForbid_Type_SendOut'], write: ['admin'] }),
  uint('Level'),
  uint('Role'),
];

export const TAG = {
  NICK: 'Tag_Profile_IM_Nick',
  IMAGE: 'Tag_Profile_IM_Image',
  ALLOW_TYPE: 'Tag_Profile_IM_AllowType',
  ADMIN_FORBID: 'Tag_Profile_IM_AdminForbidType',
} as const;

/** Every field of an app, by tag. */
export function fieldsOf(custom: readonly CustomProfileField[]): Map<string, FieldDef> {
  const defs = new Map(STANDARD_FIELDS.map((f) => [f.tag, f]));
  for (const c of custom) defs.set(`${PROFILE_CUSTOM_PREFIX}${c.keyword}`, { tag: `${PROFILE_CUSTOM_PREFIX}${c.keyword}`, type: 'string', maxBytes: 500, read: c.read, write: c.write });
  return defs;
}

export interface ValidItems {
  strings: Record<string, string>;
  numbers: Record<string, number>;
}

/** Checks every item of a portrait_set; the first bad item refuses the whole call (nothing is written). */
export function validateItems(items: { Tag: unknown; Value: unknown }[], defs: Map<string, FieldDef>, by: FieldActor): ValidItems {
  const out: ValidItems = { strings: {}, numbers: {} };
  const seen = new Set<string>();
  for (const { Tag, Value } of items) {
    if (typeof Tag !== 'string') throw new DomainError(PROFILE.INVALID, 'Tag must be a string');
    const def = defs.get(Tag);
    if (!def) throw new DomainError(PROFILE.NO_SUCH_TAG, `unknown profile tag ${Tag}`);
    if (seen.has(Tag)) throw new DomainError(PROFILE.INVALID, `tag ${Tag} given twice`);
    seen.add(Tag);
    if (!def.write.includes(by)) throw new DomainError(PROFILE.NO_WRITE, `${by === 'user' ? 'users' : 'administrators'} may not write ${Tag}`);
    if (def.type === 'uint32') {
      if (typeof Value !== 'number' || !Number.isInteger(Value)) throw new DomainError(PROFILE.BAD_TYPE, `${Tag} takes an integer`);
      if (Value < 0 || Value > 0xffffffff) throw new DomainError(PROFILE.BAD_VALUE, `${Tag} is an unsigned 32-bit integer`);
      out.numbers[Tag] = Value;
      continue;
    }
    if (typeof Value !== 'string') throw new DomainError(PROFILE.BAD_TYPE, `${Tag} takes a string`);
    if (def.values && !def.values.includes(Value)) throw new DomainError(PROFILE.BAD_VALUE, `${Tag} is one of ${def.values.join(', ')}`);
    if (Buffer.byteLength(Value) > (def.maxBytes ?? 500)) throw new DomainError(PROFILE.TOO_LONG, `${Tag} is at most ${def.maxBytes} bytes`);
    out.strings[Tag] = Value;
  }
  return out;
}

/** The tags a reader asked for, refused as a whole if one is unknown or unreadable to them. */
export function readableTags(tags: string[] | undefined, defs: Map<string, FieldDef>, by: FieldActor): string[] {
  if (tags === undefined || tags.length === 0) return [...defs.values()].filter((d) => d.read.includes(by)).map((d) => d.tag);
  for (const tag of tags) {
    const def = defs.get(tag);
    if (!def) throw new DomainError(PROFILE.NO_SUCH_TAG, `unknown profile tag ${tag}`);
    if (!def.read.includes(by)) throw new DomainError(PROFILE.NO_READ, `${by === 'user' ? 'users' : 'administrators'} may not read ${tag}`);
  }
  return [...new Set(tags)];
}

/** The changed items an app user may see (profile pushes go to users' devices only). */
export function visibleToUsers<T extends { Tag: string }>(items: T[], defs: Map<string, FieldDef>): T[] {
  return items.filter(({ Tag }) => defs.get(Tag)?.read.includes('user') ?? false);
}

export interface StoredProfile {
  nick?: string;
  faceUrl?: string;
  profile?: Record<string, string | number>;
}

/** Value of one tag as stored, or undefined when never set. */
export function valueOf(p: StoredProfile, tag: string): string | number | undefined {
  if (tag === TAG.NICK) return p.nick || undefined;
  if (tag === TAG.IMAGE) return p.faceUrl || undefined;
  return p.profile?.[tag];
}

/** The Tag/Value items of a profile, for the tags given; unset fields are left out, as Tencent does. */
export function profileItems(p: StoredProfile, tags: string[]): { Tag: string; Value: string | number }[] {
  const items: { Tag: string; Value: string | number }[] = [];
  for (const Tag of tags) {
    const Value = valueOf(p, Tag);
    if (Value !== undefined && Value !== '') items.push({ Tag, Value });
  }
  return items;
}

export function allowTypeOf(p: StoredProfile): AllowType {
  const v = p.profile?.[TAG.ALLOW_TYPE];
  return (ALLOW_TYPES as readonly unknown[]).includes(v) ? (v as AllowType) : DEFAULT_ALLOW_TYPE;
}
