/**
 * Consistent hashing of actor keys onto nodes. Each node sits at many points of a 32-bit
 * ring, so when one leaves only its keys move, spread over the others.
 */
const POINTS_PER_NODE = 128;

/** FNV-1a with a final avalanche (murmur3's fmix32): fast, and spreads similar keys. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HashRing {
  private readonly points: Uint32Array;
  private readonly owners: string[];
  readonly nodes: readonly string[];

  constructor(nodes: Iterable<string>) {
    this.nodes = [...new Set(nodes)].sort();
    const entries: [number, string][] = [];
    for (const node of this.nodes) {
      for (let i = 0; i < POINTS_PER_NODE; i++) entries.push([hash32(`${node}#${i}`), node]);
    }
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    this.points = Uint32Array.from(entries.map((e) => e[0]));
    this.owners = entries.map((e) => e[1]);
  }

  /** The node owning `key`, or undefined when the ring is empty. */
  owner(key: string): string | undefined {
    if (this.owners.length === 0) return undefined;
    const h = hash32(key);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === this.points.length ? 0 : lo];
  }
}
