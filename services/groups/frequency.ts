/**
 * Frequency control of ordinary group messages (the seed: 40 per second per group by default,
 * higher priorities first). Kept in memory on the node that owns the group — it is a rate, not
 * state worth storing — and consulted before the actor's command runs.
 *
 * "Higher first" without holding messages back: within each one-second window, a priority may
 * only use part of the limit, the rest staying free for higher ones. High may use all of it,
 * Normal 90 %, Low 70 % and Lowest 50 %. Under a flood of Low messages, Normal and High still go
 * through; under a flood of High ones, everything above the limit is dropped.
 */
const SHARE = [1, 1, 0.9, 0.7, 0.5];

interface Window {
  second: number;
  count: number;
}

export class FrequencyGate {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limitOf: (key: string) => number) {}

  /** Whether a message of `priority` (1 High … 4 Lowest) may pass at `nowMs`; counts it if so. */
  admit(key: string, priority: number, nowMs: number): boolean {
    const limit = this.limitOf(key);
    if (limit <= 0) return true;
    const second = Math.floor(nowMs / 1000);
    let w = this.windows.get(key);
    if (!w || w.second !== second) {
      if (this.windows.size > 50_000) this.sweep(second);
      w = { second, count: 0 };
      this.windows.set(key, w);
    }
    const share = SHARE[Math.min(4, Math.max(1, priority))];
    if (w.count >= Math.max(1, Math.floor(limit * share))) return false;
    w.count++;
    return true;
  }

  private sweep(second: number): void {
    for (const [key, w] of this.windows) if (w.second < second) this.windows.delete(key);
  }
}
