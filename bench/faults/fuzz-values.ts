/**
 * Values for the fuzz bench: a plausible body for a command from its JSON Schema (GET
 * /openapi.json), so cases get past the first check and reach the handlers, and the hostile
 * values and mutations that are then applied to it: wrong types, huge, deep and odd Unicode
 * strings, numbers at every edge, missing and extra fields, arrays where objects belong.
 */
import type { Rng } from './prng';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonSchema {
  type?: string;
  enum?: Json[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** What the installation holds, so generated bodies name real accounts and groups. */
export interface Pool {
  users: string[];
  groups: string[];
}

const TEXT = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }];
const ELEMENTS: Json[] = [
  TEXT,
  [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'd', Desc: 'x', Ext: 'e', Sound: '' } }],
  [{ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'f' } }],
  [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: 'here', Latitude: 1.5, Longitude: 2.5 } }],
  [{ MsgType: 'TIMImageElem', MsgContent: { UUID: 'u', ImageFormat: 1, ImageInfoArray: [{ Type: 1, Size: 1, Width: 1, Height: 1, URL: 'http://x/y' }] } }],
  [{ MsgType: 'TIMSoundElem', MsgContent: { Url: 'http://x', Size: 1, Second: 1, Download_Flag: 2 } }],
  [],
];

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b\u200c\u200d\ufeff',
  'e\u0301\u0301\u0301',
  '😀👨‍👩‍👧‍👦',
  '𝕏'.repeat(40),
  '%s%n%x',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  ' 12 ',
  '\r\n\t',
  'administrator',
  'group_open_http_svc/destroy_group',
];

const HOSTILE_NUMBERS = [0, -0, -1, 1, 0.5, -0.5, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MIN_VALUE, 4_000_000_000, 1_700_000_000_000];

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '$$strict', 'app', 'caller', 'body', '😀', 'k'.repeat(300)];

/** A long string of `length` characters from one of a few alphabets. */
export function longString(rng: Rng, length: number): string {
  const unit = rng.pick(['a', 'Z9', '😀', 'é', '\u4e2d', '\\"', '\u0000']);
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

export function hostileString(rng: Rng, pool: Pool): string {
  switch (rng.int(0, 5)) {
    case 0:
      return longString(rng, rng.pick([33, 65, 129, 501, 1025, 3073, 4097, 12_289, 65_537, 300_000]));
    case 1:
      return rng.pick(pool.users) + rng.pick(['', ' ', '\u0000', 'x'.repeat(32), '😀']);
    default:
      return rng.pick(HOSTILE_STRINGS);
  }
}

/** Arrays and objects nested `depth` deep (the gateways refuse more than 64 before parsing). */
export function nested(depth: number, array: boolean): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

export function hostileValue(rng: Rng, pool: Pool): Json {
  switch (rng.int(0, 11)) {
    case 0:
    case 1:
    case 2:
      return hostileString(rng, pool);
    case 3:
    case 4:
      return rng.pick(HOSTILE_NUMBERS);
    case 5:
      return rng.pick([true, false, null]);
    case 6:
      return rng.pick<Json>([[], {}, [[]], [{}], { '': {} }, [null], ['a', 1, true, null]]);
    case 7:
      return nested(rng.pick([8, 30, 60, 63, 64, 65, 100]), rng.chance(0.5));
    case 8:
      return Array.from({ length: rng.pick([101, 501, 1001, 5000]) }, (_, i) => (rng.chance(0.5) ? pool.users[i % pool.users.length] : { UserID: `u${i}` }));
    case 9:
      return Object.fromEntries(Array.from({ length: rng.pick([100, 2000]) }, (_, i) => [`k${i}`, i]));
    case 10:
      return structuredClone(rng.pick(ELEMENTS));
    default:
      return longString(rng, rng.int(0, 40));
  }
}

/** A value that satisfies `schema` most of the time; field names steer strings to real ids. */
export function plausible(rng: Rng, schema: JsonSchema, name: string, pool: Pool, depth = 0): Json {
  // Clones: mutations change bodies in place, and these are shared.
  if (schema.enum) return structuredClone(rng.pick(schema.enum));
  switch (schema.type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.5)) out[key] = plausible(rng, sub, key, pool, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? 4, min + 3);
      return Array.from({ length: rng.int(min, Math.max(min, max)) }, () => plausible(rng, schema.items ?? {}, name, pool, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? min + 100, min + 1_000_000);
      const n = rng.int(Math.ceil(min), Math.floor(max));
      return schema.type === 'number' && rng.chance(0.2) ? n + 0.5 : n;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
      return plausibleString(rng, schema, name, pool);
    default:
      // `any`: message bodies, custom data, settings objects.
      return structuredClone(/MsgBody|Body$/.test(name) ? rng.pick(ELEMENTS) : rng.pick<Json>([{}, 'x', 1, TEXT, { Tag_Profile_IM_Nick: 'n' }]));
  }
}

function plausibleString(rng: Rng, schema: JsonSchema, name: string, pool: Pool): string {
  if (/Group_?Id$|GroupId/i.test(name)) return rng.chance(0.85) ? rng.pick(pool.groups) : `@TGS#${rng.int(0, 1e6)}`;
  if (/Account|UserID|Identifier|Member|Owner|Operator|Peer|Sender|^From|^To/i.test(name)) return rng.pick(pool.users);
  if (/MsgKey/.test(name)) return `${rng.int(1, 20)}_${rng.int(0, 1e6)}_${1_700_000_000 + rng.int(0, 1e8)}`;
  if (/Tag|Field/.test(name)) return rng.pick(['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Gender', 'Tag_SNS_IM_Remark', 'Tag_Profile_Custom_x', 'Tag_SNS_Custom_y']);
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 16, min + 16);
  return longString(rng, rng.int(min, Math.max(min, max))).split('\u0000').join('a');
}

/** Every path (list of keys) into a JSON value, the value itself included (the empty path). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.slice(0, 5).forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function getAt(root: Json, path: (string | number)[]): Json {
  let v: Json = root;
  for (const key of path) v = (v as Record<string, Json>)[key as string];
  return v;
}

/** Sets the value at `path` (the root when the path is empty); returns the new root. */
function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = getAt(root, path.slice(0, -1)) as Record<string, Json> | Json[];
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (value === undefined) delete parent[key as string];
  else Object.defineProperty(parent, key as string, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

/** One mutation somewhere in `body`; returns the new body and what was done. */
export function mutate(rng: Rng, body: Json, pool: Pool): { body: Json; what: string } {
  const all = paths(body);
  const path = rng.pick(all.length > 1 ? all.slice(1) : all);
  const where = path.join('.') || '(root)';
  const current = getAt(body, path);
  switch (rng.int(0, 7)) {
    case 0:
      return { body: setAt(body, path, undefined), what: `removed ${where}` };
    case 1: {
      const target = current && typeof current === 'object' && !Array.isArray(current) ? path : path.slice(0, -1);
      const key = rng.pick(EXTRA_KEYS);
      const parent = getAt(body, target);
      if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return { body: setAt(body, path, hostileValue(rng, pool)), what: `replaced ${where}` };
      // defineProperty, so "__proto__" becomes an own key as JSON.parse makes it on the server.
      setAt(body, [...target, key], hostileValue(rng, pool));
      return { body, what: `added ${[...target, key].join('.') || key}` };
    }
    case 2:
      return { body: setAt(body, path, Array.isArray(current) ? { 0: current[0] ?? null } : [current ?? null]), what: `wrapped ${where}` };
    case 3:
      return { body: setAt(body, path, typeof current === 'string' ? Number(current.length) : typeof current === 'number' ? String(current) : 'x'), what: `flipped the type of ${where}` };
    case 4: {
      // Copies of a small first item only: copies of a big one would multiply (and a second
      // blow-up of the same array would square) what the bench itself has to serialise.
      const item = Array.isArray(current) && current[0] !== undefined && sizeWithin(current[0], 200) ? current[0] : 'x';
      return { body: setAt(body, path, Array.isArray(current) ? Array.from({ length: rng.pick([101, 501, 1001, 10_001]) }, () => item) : hostileString(rng, pool)), what: `blew up ${where}` };
    }
    default:
      return { body: setAt(body, path, hostileValue(rng, pool)), what: `replaced ${where}` };
  }
}

/** Largest serialised body a case may carry: past the 1 MiB REST limit, so that limit is tried too. */
const MAX_CASE_BYTES = 1536 * 1024;

/** Up to `count` mutations of `body`; one that would make the body too big to send is skipped. */
export function mutateMany(rng: Rng, body: Json, pool: Pool, count: number): { body: Json; what: string[] } {
  const what: string[] = [];
  for (let n = 0; n < count; n++) {
    const before = structuredClone(body);
    const m = mutate(rng, body, pool);
    if (!sizeWithin(m.body, MAX_CASE_BYTES)) body = before;
    else {
      body = m.body;
      what.push(m.what);
    }
  }
  return { body, what };
}

/** Whether `value` serialises to about `limit` characters or fewer; stops counting past the limit. */
export function sizeWithin(value: Json, limit: number): boolean {
  let size = 0;
  const walk = (v: Json): boolean => {
    if (v === null || typeof v !== 'object') size += typeof v === 'string' ? v.length + 2 : 8;
    else if (Array.isArray(v)) {
      size += 2;
      for (const item of v) if (!walk(item) || size > limit) return false;
    } else {
      size += 2;
      for (const [k, item] of Object.entries(v)) {
        size += k.length + 4;
        if (!walk(item) || size > limit) return false;
      }
    }
    return size <= limit;
  };
  return walk(value);
}
