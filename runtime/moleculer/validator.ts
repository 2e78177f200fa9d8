/**
 * Moleculer's parameter validator (fastest-validator) with two faults closed, both found by
 * `npm run fuzz` as internal errors (70500, 90994, 10002…) where an invalid-parameter code or a
 * plain answer was due:
 *
 * - A failed check formats each error message with the offending value, and
 *   String.prototype.replace turns that value into a string eagerly, even where the message does
 *   not show it. A value that cannot become a string, such as an array holding `{"toString": 1}`
 *   (an ordinary JSON.parse result), made the check itself throw a TypeError. A check that
 *   throws now refuses the request as invalid, like any other wrong value.
 * - fastest-validator lets `null` through wherever a field is optional, as if it were absent,
 *   but handlers are written for absent fields (`=== undefined`, `?? default`): a `null`
 *   HistoryMsgBeforeJoin, FaceUrl or GroupNewName reached string functions and threw. After a
 *   successful check, a `null` in a declared field is therefore removed, so it is absent
 *   everywhere, as the check already judged it.
 */
import { Validators } from 'moleculer';

type Check = ((params: unknown, opts?: unknown) => unknown) & { async?: boolean };

type Rule = string | unknown[] | { type?: string; props?: Record<string, Rule>; items?: Rule };

export class RequestValidator extends Validators.Fastest {
  override compile(schema: Record<string, unknown>): Check {
    const check = super.compile(schema) as Check;
    const drop = nullDropper({ type: 'object', props: schema as Record<string, Rule> });
    const passed = (params: unknown, result: unknown) => {
      if (result === true && drop) drop(params);
      return result;
    };
    const safe: Check = (params, opts) => {
      try {
        const result = check(params, opts);
        return check.async ? (result as Promise<unknown>).then((r) => passed(params, r), unreadable) : passed(params, result);
      } catch (err) {
        return unreadable(err);
      }
    };
    safe.async = check.async;
    return safe;
  }
}

/** The validation errors of a value the checker could not read. */
function unreadable(err: unknown) {
  return [{ type: 'unreadable', field: 'body', message: `a value of the request cannot be read (${(err as Error).message})` }];
}

/**
 * What removes `null` from the fields `rule` declares, in nested objects and array items too;
 * undefined where the rule declares no field to walk into. Built once per schema: walking the
 * rule itself on every call (Object.entries of each props) was a measurable share of a REST
 * call's allocations (docs/rest-api.md, what a call costs).
 */
function nullDropper(rule: Rule | undefined): ((value: unknown) => void) | undefined {
  // Shorthand and alternative rules declare no fields to walk into.
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
  const items = rule.items === undefined ? undefined : nullDropper(rule.items);
  const fields = Object.entries(rule.props ?? {})
    .filter(([key]) => !key.startsWith('$$'))
    .map(([key, sub]) => ({ key, drop: nullDropper(sub) }));
  if (!items && fields.length === 0) return undefined;
  return (value) => {
    if (Array.isArray(value)) {
      if (items) for (const item of value) items(item);
      return;
    }
    if (value === null || typeof value !== 'object' || fields.length === 0) return;
    const record = value as Record<string, unknown>;
    for (const { key, drop } of fields) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      if (record[key] === null) delete record[key];
      else if (drop) drop(record[key]);
    }
  };
}
