/**
 * The Condition of all_member_push/im_push: TagsOr / TagsAnd (at most 10 tags, 1–50 bytes, no
 * duplicates) or AttrsOr / AttrsAnd (the app's attribute names, values ≤ 50 bytes), never tags
 * and attributes together. Absent or empty: every account.
 */
import { DomainError } from '../../runtime/kind';

export interface PushCondition {
  TagsOr?: string[];
  TagsAnd?: string[];
  AttrsOr?: Record<string, string>;
  AttrsAnd?: Record<string, string>;
}

export const TASK_CODES = {
  INVALID: 90001,
  TAG_TOO_LONG: 90020,
  DUPLICATE_TAG: 90022,
  TOO_FREQUENT: 90024,
  TOO_MANY_TAGS: 90032,
  BAD_ATTR: 90033,
  MIXED: 90039,
  EMPTY_TAG: 90040,
  DAILY_QUOTA: 90047,
} as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const nonEmpty = <T>(v: T[] | Record<string, T> | undefined) => v !== undefined && Object.keys(v).length > 0;

function checkTagList(tags: string[]): void {
  if (tags.length > 10) throw new DomainError(TASK_CODES.TOO_MANY_TAGS, 'a condition names at most 10 tags');
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag === '') throw new DomainError(TASK_CODES.EMPTY_TAG, 'a tag may not be empty');
    if (bytes(tag) > 50) throw new DomainError(TASK_CODES.TAG_TOO_LONG, 'a tag is at most 50 bytes');
  }
  if (new Set(tags).size !== tags.length) throw new DomainError(TASK_CODES.DUPLICATE_TAG, 'a tag is named twice in one condition');
}

function checkAttrs(attrs: Record<string, string>, names: readonly string[]): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (!names.includes(name)) throw new DomainError(TASK_CODES.BAD_ATTR, `attribute ${name} is not one of the app's attribute names`);
    if (typeof value !== 'string' || bytes(value) > 50) throw new DomainError(TASK_CODES.BAD_ATTR, `attribute ${name}: a string of at most 50 bytes`);
  }
}

/** Throws Tencent's code for a condition out of range; `names` are the app's attribute names. */
export function checkCondition(c: PushCondition, names: readonly string[]): void {
  const tags = nonEmpty(c.TagsOr) || nonEmpty(c.TagsAnd);
  const attrs = nonEmpty(c.AttrsOr) || nonEmpty(c.AttrsAnd);
  if (tags && attrs) throw new DomainError(TASK_CODES.MIXED, 'tag and attribute conditions cannot be mixed');
  for (const list of [c.TagsOr, c.TagsAnd]) if (list) checkTagList(list);
  for (const map of [c.AttrsOr, c.AttrsAnd]) if (map) checkAttrs(map, names);
}

/** Whether a user with these tags and attributes is selected; each given part must hold. */
export function matches(c: PushCondition, user: { tags: readonly string[]; attrs: Record<string, string> }): boolean {
  if (nonEmpty(c.TagsOr) && !c.TagsOr!.some((t) => user.tags.includes(t))) return false;
  if (nonEmpty(c.TagsAnd) && !c.TagsAnd!.every((t) => user.tags.includes(t))) return false;
  if (nonEmpty(c.AttrsOr) && !Object.entries(c.AttrsOr!).some(([k, v]) => user.attrs[k] === v)) return false;
  if (nonEmpty(c.AttrsAnd) && !Object.entries(c.AttrsAnd!).every(([k, v]) => user.attrs[k] === v)) return false;
  return true;
}

/** Whether the condition selects anyone but by their registration (no need to read it otherwise). */
export const isConditional = (c: PushCondition) => nonEmpty(c.TagsOr) || nonEmpty(c.TagsAnd) || nonEmpty(c.AttrsOr) || nonEmpty(c.AttrsAnd);
