/**
 * HTTP byte ranges of a download (RFC 9110 §14): one range, `bytes=a-b`, `bytes=a-` or the
 * suffix `bytes=-n`, which is what audio and video players send to seek. Several ranges at once
 * are answered with the whole object (a server may ignore Range); an unsatisfiable one is 416.
 */
import type { ByteRange } from '../../runtime/blobs';

export function parseRange(header: string | undefined, size: number): ByteRange | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return header.includes(',') && header.startsWith('bytes=') ? undefined : 'invalid';
  const [, a, b] = m;
  if (a === '' && b === '') return 'invalid';
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}
