/**
 * Per-app custom group and member fields (the seed's "Custom Fields", set in the console there;
 * here in the app's `groups` settings, e.g. `parley apps set <id> --settings '{"groups":{"groupFields":[…]}}'`).
 * Each key names the least role that may read it and the least that may write it:
 * AppAdmin > Owner > Admin > Member > Anyone (non-members included). Member fields add whether
 * members read and write their own value (default both) and, optionally, the group types that
 * have them. The rules themselves are in actors/group/fields.ts.
 */
import type { FieldRule } from '../../group/fields';

export type { FieldRule };

const level = { type: 'enum', values: ['Anyone', 'Member', 'Admin', 'Owner', 'AppAdmin'] };
const key = { type: 'string', pattern: /^[A-Za-z0-9_]{1,15}$/ };

const rule = (member: boolean) => ({
  type: 'object',
  strict: true,
  props: {
    key,
    read: level,
    write: level,
    ...(member
      ? {
          selfRead: { type: 'boolean', optional: true },
          selfWrite: { type: 'boolean', optional: true },
          types: { type: 'array', optional: true, unique: true, items: { type: 'enum', values: ['Work', 'Public', 'Meeting', 'Community'] } },
        }
      : {}),
  },
});

/** fastest-validator rules of `groups.groupFields` (at most 10) and `groups.memberFields` (at most 5). A repeated key keeps its last rule. */
export const GROUP_FIELDS_RULE = { type: 'array', optional: true, max: 10, items: rule(false) };
export const MEMBER_FIELDS_RULE = { type: 'array', optional: true, max: 5, items: rule(true) };
