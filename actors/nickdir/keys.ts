/**
 * Index keys of a nick: one per prefix, so "all nicks starting with q" is the one key of q.
 * A nick is folded first (Unicode NFKC, lower case, spaces trimmed and collapsed), so a
 * search ignores case and width. Prefixes stop at MAX_PREFIX characters: a longer query is
 * looked up by its first MAX_PREFIX characters and the hits filtered by the whole query.
 * A key is 48 bits of the prefix's SHA-256 (an integer the index columns hold exactly);
 * hits are always compared with the query, so a collision costs a wasted row, never a wrong hit.
 */
import { createHash } from 'node:crypto';

export const MAX_PREFIX = 16;

export function foldNick(nick: string): string {
  return nick.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

export function prefixKey(folded: string): number {
  return createHash('sha256').update(folded).digest().readUIntBE(0, 6);
}

/** The keys a nick is filed under: one per prefix of its folded form, up to MAX_PREFIX characters. */
export function nickKeys(nick: string): number[] {
  const chars = [...foldNick(nick)].slice(0, MAX_PREFIX);
  const keys = new Set<number>();
  for (let n = 1; n <= chars.length; n++) keys.add(prefixKey(chars.slice(0, n).join('')));
  return [...keys];
}

/** The key a (folded) query is looked up under. */
export const queryKey = (folded: string): number => prefixKey([...folded].slice(0, MAX_PREFIX).join(''));
