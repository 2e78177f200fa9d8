/**
 * A tiny seeded PRNG (mulberry32) for the fault benches: a run prints its seed, and case `i`
 * of seed `s` is generated from `caseRng(s, i)` alone, so one failing case is regenerated
 * without replaying the cases before it (`npm run fuzz -- --seed s --only i`).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `choices` with the given weights. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) if ((r -= w) < 0) return value;
    return choices[choices.length - 1][0];
  }
}

/** The generator of case `index` of run `seed`: independent of every other case. */
export function caseRng(seed: number, index: number): Rng {
  // Two rounds of a 32-bit integer hash mix seed and index so neighbouring cases differ fully.
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return new Rng((h ^ (h >>> 16)) >>> 0);
}

/** A fresh seed when none is given: printed by the caller so the run can be repeated. */
export const randomSeed = (): number => (Math.random() * 0xffffffff) >>> 0;
