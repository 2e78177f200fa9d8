/**
 * Group attributes: a small key-value map per group that every member reads and writes (seats
 * of a voice room, a live room's state), with a sequence per change (the SDK's mainSequence)
 * and per key, which the SDK sends back to detect lost updates (AttrControl RaceConflict).
 * Tencent's limits: 16 keys, a key 32 bytes, a value 4 KB, keys and values together 16 KB;
 * every group type (REST reference: Private/Work, Public, ChatRoom/Meeting, AVChatRoom, Community).
 */
import type { GroupCommand } from './commands';
import { ATTRIBUTES_CHANGED } from './events';
import { ATTRIBUTE_OPS, emptyAttributes, type GroupAttributes } from './attribute-state';
import { existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import { byteLength } from './codes';
import type { GroupState } from './state';

export const ATTRIBUTE_LIMITS = { keys: 16, keyBytes: 32, valueBytes: 4096, totalBytes: 16384 } as const;
/** Tencent: "another request changed the attributes first"; the SDK is to get them and retry. */
export const ATTRIBUTE_CONFLICT = 10056;

export interface AttributeItem {
  key: string;
  value: string;
  seq: number;
}

/** What get_group_attr answers, and what a change answers (values of the keys it wrote). */
export interface AttributesView {
  seq: number;
  items: AttributeItem[];
}

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export const attributesOf = (s: GroupState): GroupAttributes => s.attributes ?? emptyAttributes();

/** A user must be a member; in a live room (AVChatRoom), someone in the room, which the service checks. */
function mayUse(s: GroupState, by: Cmd<'attributes'>['by'], inRoom: boolean | undefined, what: string): void {
  existing(s);
  if (by.admin || s.members.has(by.id) || inRoom === true) return;
  refuse(GROUP_CODES.NO_PERMISSION, `${by.id} may not ${what}: not a member`);
}

export function viewAttributes(s: GroupState, c: Cmd<'viewAttributes'>): AttributesView {
  mayUse(s, c.viewer, c.inRoom, 'read the group attributes');
  const a = attributesOf(s);
  return { seq: a.seq, items: [...a.items].map(([key, v]) => ({ key, value: v.value, seq: v.seq })) };
}

export function changeAttributes(s: GroupState, c: Cmd<'attributes'>): { fx: Effects; result: AttributesView } {
  mayUse(s, c.by, c.inRoom, 'change the group attributes');
  const a = attributesOf(s);
  const keys = c.items.map((i) => i.key);
  if (new Set(keys).size !== keys.length) refuse(GROUP_CODES.INVALID, 'a key is given twice');
  if ((c.action === 'set' || c.action === 'modify') && keys.length === 0) refuse(GROUP_CODES.INVALID, 'no attributes given');
  if (c.action === 'delete' && keys.length === 0) refuse(GROUP_CODES.INVALID, 'no keys given');
  if (c.raceConflict && (c.action === 'modify' || c.action === 'delete')) {
    for (const i of c.items) if ((i.seq ?? 0) !== (a.items.get(i.key)?.seq ?? 0)) refuse(ATTRIBUTE_CONFLICT, `attribute ${i.key} was changed by someone else; get the attributes and retry`);
  }
  const writes = c.action === 'set' || c.action === 'modify';
  if (writes) checkSizes(c.action === 'set' ? new Map() : a.items, c.items);
  const changed = c.action === 'clear' ? a.items.size > 0 : c.action === 'delete' ? keys.some((k) => a.items.has(k)) : true;
  const fx = none();
  if (!changed) return { fx, result: { seq: a.seq, items: [] } };
  const seq = a.seq + 1;
  const present = c.action === 'delete' ? keys.filter((k) => a.items.has(k)) : keys;
  const values = writes ? c.items.map((i) => i.value ?? '') : [];
  fx.events.push({ type: ATTRIBUTES_CHANGED, data: { op: ATTRIBUTE_OPS[c.action], keys: c.action === 'clear' ? [] : present, values, seq, by: c.by.id, at: c.now } });
  const items = present.map((key, n) => ({ key, value: values[n] ?? '', seq }));
  const time = Math.floor(c.now / 1000);
  fx.out.push({ kind: 'tip', seq: 0, time, recipients: [...s.members.keys()], stored: false, tip: { opType: 6, by: c.by.id, users: [], memberNum: s.members.size, attributes: { op: ATTRIBUTE_OPS[c.action], seq, items } } });
  return { fx, result: { seq, items } };
}

function checkSizes(current: GroupAttributes['items'], items: Cmd<'attributes'>['items']): void {
  const next = new Map([...current].map(([k, v]) => [k, v.value]));
  for (const i of items) {
    if (i.key.length === 0 || byteLength(i.key) > ATTRIBUTE_LIMITS.keyBytes) refuse(GROUP_CODES.INVALID, `an attribute key is 1 to ${ATTRIBUTE_LIMITS.keyBytes} bytes`);
    const value = i.value ?? '';
    if (byteLength(value) > ATTRIBUTE_LIMITS.valueBytes) refuse(GROUP_CODES.INVALID, `the value of ${i.key} is longer than ${ATTRIBUTE_LIMITS.valueBytes} bytes`);
    next.set(i.key, value);
  }
  if (next.size > ATTRIBUTE_LIMITS.keys) refuse(GROUP_CODES.INVALID, `a group has at most ${ATTRIBUTE_LIMITS.keys} attributes`);
  let total = 0;
  for (const [k, v] of next) total += byteLength(k) + byteLength(v);
  if (total > ATTRIBUTE_LIMITS.totalBytes) refuse(GROUP_CODES.INVALID, `the attributes would take ${total} bytes, more than ${ATTRIBUTE_LIMITS.totalBytes}`);
}
