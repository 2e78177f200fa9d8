/**
 * Group counters: integers per group (viewers, likes, gifts of a live room) that members set,
 * increase or decrease atomically — the group's mailbox runs one change at a time, so concurrent
 * increments never lose one. Tencent's limits: 20 keys, a key 1–128 bytes, values signed 64-bit;
 * every group type but Community (the REST page). Values are kept as decimal strings and computed
 * with BigInt: a JSON number is exact only to 2^53.
 */
import type { GroupCommand, Who } from './commands';
import { COUNTERS_CHANGED } from './events';
import { existing, GROUP_CODES, none, refuse, type Effects } from './rules';
import { byteLength } from './codes';
import type { GroupState } from './state';

export const COUNTER_LIMITS = { keys: 20, keyBytes: 128 } as const;
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export interface CountersView {
  seq: number;
  items: { key: string; value: string }[];
}

function mayUse(s: GroupState, by: Who, inRoom: boolean | undefined, what: string): void {
  const { profile } = existing(s);
  if (profile.type === 'Community') refuse(GROUP_CODES.NO_PERMISSION, 'a Community has no group counters');
  if (by.admin || s.members.has(by.id) || inRoom === true) return;
  refuse(GROUP_CODES.NO_PERMISSION, `${by.id} may not ${what}: not a member`);
}

function toBig(v: string, what: string): bigint {
  if (!/^-?\d{1,20}$/.test(v)) refuse(GROUP_CODES.INVALID, `${what} is not an integer`);
  const n = BigInt(v);
  if (n > MAX || n < MIN) refuse(GROUP_CODES.INVALID, `${what} is out of the signed 64-bit range`);
  return n;
}

export function viewCounters(s: GroupState, c: Cmd<'viewCounters'>): CountersView {
  mayUse(s, c.viewer, c.inRoom, 'read the group counters');
  const counters = s.counters ?? { seq: 0, values: new Map<string, string>() };
  const keys = c.keys.length > 0 ? c.keys.filter((k) => counters.values.has(k)) : [...counters.values.keys()];
  return { seq: counters.seq, items: keys.map((key) => ({ key, value: counters.values.get(key) as string })) };
}

export function changeCounters(s: GroupState, c: Cmd<'counters'>): { fx: Effects; result: CountersView } {
  mayUse(s, c.by, c.inRoom, 'change the group counters');
  const current = s.counters?.values ?? new Map<string, string>();
  const keys = c.items.map((i) => i.key);
  if (keys.length === 0) refuse(GROUP_CODES.INVALID, 'no counters given');
  if (new Set(keys).size !== keys.length) refuse(GROUP_CODES.INVALID, 'a key is given twice');
  for (const k of keys) if (k.length === 0 || byteLength(k) > COUNTER_LIMITS.keyBytes) refuse(GROUP_CODES.INVALID, `a counter key is 1 to ${COUNTER_LIMITS.keyBytes} bytes`);
  const seq = (s.counters?.seq ?? 0) + 1;
  const fx = none();
  if (c.mode === 'delete') {
    const present = keys.filter((k) => current.has(k));
    if (present.length > 0) push(s, fx, c, 1, present, [], seq);
    return { fx, result: { seq: present.length > 0 ? seq : (s.counters?.seq ?? 0), items: [] } };
  }
  const values = c.items.map((i) => {
    const given = toBig(i.value ?? '0', `the value of ${i.key}`);
    const next = c.mode === 'set' ? given : toBig(current.get(i.key) ?? '0', i.key) + (c.mode === 'increase' ? given : -given);
    if (next > MAX || next < MIN) refuse(GROUP_CODES.INVALID, `counter ${i.key} would leave the signed 64-bit range`);
    return next.toString();
  });
  if (new Set([...current.keys(), ...keys]).size > COUNTER_LIMITS.keys) refuse(GROUP_CODES.INVALID, `a group has at most ${COUNTER_LIMITS.keys} counters`);
  push(s, fx, c, 0, keys, values, seq);
  return { fx, result: { seq, items: keys.map((key, n) => ({ key, value: values[n] })) } };
}

function push(s: GroupState, fx: Effects, c: Cmd<'counters'>, op: number, keys: string[], values: string[], seq: number): void {
  fx.events.push({ type: COUNTERS_CHANGED, data: { op, keys, values, seq, by: c.by.id, at: c.now } });
  const items = keys.map((key, n) => ({ key, value: values[n] ?? '0' }));
  const tip = { opType: 6, by: c.by.id, users: [], memberNum: s.members.size, counters: { type: op, seq, items } };
  fx.out.push({ kind: 'tip', seq: 0, time: Math.floor(c.now / 1000), recipients: [...s.members.keys()], stored: false, tip });
}
