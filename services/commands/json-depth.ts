/**
 * The nesting bound of JSON that reaches a command, on both faces (REST bodies, SDK frames).
 *
 * Why a scan before JSON.parse: Node 20's JSON.parse itself survives deep nesting (older V8
 * recursed there too), but nearly everything after it recurses once per level: validation
 * (whose error text prints the value, Array#join inside Array#join), JSON.stringify of stored
 * bodies and of Moleculer's packets on every NATS hop. A body nested 5,000 deep parsed, then
 * overflowed the stack inside the action and came back as an internal error (70500) with a
 * RangeError logged. No Tencent command needs more than a dozen levels (a merged-forward
 * message inside another is about ten), so anything past MAX_JSON_DEPTH is refused as
 * malformed before it becomes an object at all. One pass over the bytes, no allocation.
 */

/** Deepest nesting of arrays and objects accepted in a request, the outermost counted as 1. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text nests arrays and objects deeper than `max`. Works on the raw UTF-8 bytes:
 * multi-byte characters never contain ASCII bytes, so brackets are only counted outside
 * strings. For valid JSON the count is its exact depth; invalid JSON fails JSON.parse anyway.
 */
export function nestedDeeperThan(text: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}
