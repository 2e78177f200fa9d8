/** Applies group-counter events (counters.ts) to a group's state. */
import { COUNTERS_CHANGED, GROUP_CREATED, GROUP_DESTROYED, type GroupEvent } from './events';

export interface GroupCounters {
  /** The sequence of the last change (the SDK's groupCounterSeq). */
  seq: number;
  /** Key → signed 64-bit value, decimal. */
  values: Map<string, string>;
}

/** Updates `s.counters` in place; true when the event is only about counters. */
export function evolveCounters(s: { counters?: GroupCounters }, event: GroupEvent): boolean {
  if (event.type === GROUP_CREATED || event.type === GROUP_DESTROYED) {
    s.counters = undefined;
    return false;
  }
  if (event.type !== COUNTERS_CHANGED) return false;
  const d = event.data;
  const c = (s.counters ??= { seq: 0, values: new Map() });
  if (d.op === 1) for (const k of d.keys) c.values.delete(k);
  else d.keys.forEach((k, n) => c.values.set(k, d.values[n] ?? '0'));
  c.seq = d.seq;
  return true;
}
