/** Applies group-attribute events (attributes.ts) to a group's state. */
import { ATTRIBUTES_CHANGED, GROUP_CREATED, GROUP_DESTROYED, type GroupEvent } from './events';

/** The SDK's operationType of a change (and of its push). */
export const ATTRIBUTE_OPS = { set: 1, modify: 2, clear: 3, delete: 4 } as const;

export interface GroupAttributes {
  /** The sequence of the last change (the SDK's mainSequence). */
  seq: number;
  /** Key → value, and the sequence of the change that wrote it. */
  items: Map<string, { value: string; seq: number }>;
}

export const emptyAttributes = (): GroupAttributes => ({ seq: 0, items: new Map() });

/** Applies an event to the attributes in place; a new or disbanded group starts without any. */
export function evolveAttributes(s: { attributes?: GroupAttributes }, event: GroupEvent): boolean {
  if (event.type === GROUP_CREATED || event.type === GROUP_DESTROYED) {
    s.attributes = undefined;
    return false;
  }
  if (event.type !== ATTRIBUTES_CHANGED) return false;
  const d = event.data;
  const a = s.attributes ?? emptyAttributes();
  if (d.op === ATTRIBUTE_OPS.set || d.op === ATTRIBUTE_OPS.clear) a.items.clear();
  if (d.op === ATTRIBUTE_OPS.delete) for (const k of d.keys) a.items.delete(k);
  else d.keys.forEach((k, n) => a.items.set(k, { value: d.values[n] ?? '', seq: d.seq }));
  a.seq = d.seq;
  s.attributes = a;
  return true;
}
