/**
 * The SQLite log's unindexed tail: the events committed since the indexes were last brought up
 * to date, as the one writer of the file knows them.
 *
 * Why: an append writes its events as rows of the position-ordered events table, which fills
 * its pages one after another. The indexes by stream (stream_index, the streams' versions,
 * event_index) are ordered by stream, so every stream a commit touches dirties a page of its
 * own in each of them, and the write-ahead log takes every dirty page whole at every commit: a
 * one-to-one message (its conversation and two sync feeds) cost about six 4 KB pages, 26 KB of
 * log (docs/benchmarks.md, "The SQLite log's indexes written behind"). Written for many commits
 * at once, a stream's index page is written once for all of them. Until then this tail answers
 * for the events after the indexed position; it is memory only, and derived: a node that stops
 * without writing it rebuilds it from the events table when it opens (each row keeps its index
 * keys for that), so nothing acknowledged depends on it.
 */
import type { IndexKey } from '../schemas/codec';

/** An event of the tail: where it is in the log and its index keys. */
export interface TailEvent {
  version: number;
  position: number;
  keys: IndexKey[];
}

/** One stream's part of the tail: its events in version order. */
interface TailStream {
  events: TailEvent[];
}

export class UnindexedTail {
  private readonly streams = new Map<string, TailStream>();
  /** Streams in the order their events arrived, one entry per event: what rollback() undoes. */
  private readonly order: string[] = [];
  private highest = 0;

  /** Events in the tail. */
  get size(): number {
    return this.order.length;
  }

  /** The highest log position in the tail (0 when it is empty). */
  get position(): number {
    return this.highest;
  }

  /** The stream's version counting the tail, or undefined when the tail holds none of its events. */
  version(stream: string): number | undefined {
    const events = this.streams.get(stream)?.events;
    return events?.[events.length - 1]?.version;
  }

  /** Records an event at the stream's next version. */
  add(stream: string, event: TailEvent): void {
    let s = this.streams.get(stream);
    if (!s) this.streams.set(stream, (s = { events: [] }));
    s.events.push(event);
    this.order.push(stream);
    if (event.position > this.highest) this.highest = event.position;
  }

  /** A mark to roll back to: the events added after it are forgotten (their transaction failed). */
  mark(): { size: number; highest: number } {
    return { size: this.order.length, highest: this.highest };
  }

  rollback(mark: { size: number; highest: number }): void {
    while (this.order.length > mark.size) {
      const stream = this.order.pop()!;
      const s = this.streams.get(stream)!;
      s.events.pop();
      if (s.events.length === 0) this.streams.delete(stream);
    }
    this.highest = mark.highest;
  }

  /** The stream's tail events with a version above `fromVersion`, oldest first, at most `limit`. */
  after(stream: string, fromVersion: number, limit: number): TailEvent[] {
    const events = this.streams.get(stream)?.events;
    if (!events) return [];
    const out: TailEvent[] = [];
    for (const e of events) if (e.version > fromVersion && out.length < limit) out.push(e);
    return out;
  }

  /** The stream's tail events with a version below `beforeVersion`, newest first, at most `limit`. */
  before(stream: string, beforeVersion: number, limit: number): TailEvent[] {
    const events = this.streams.get(stream)?.events;
    if (!events) return [];
    const out: TailEvent[] = [];
    for (let i = events.length - 1; i >= 0 && out.length < limit; i--) if (events[i].version < beforeVersion) out.push(events[i]);
    return out;
  }

  /** The oldest version the tail holds of the stream, if any. */
  oldest(stream: string): number | undefined {
    return this.streams.get(stream)?.events[0]?.version;
  }

  /** The position of an event in the tail, if it is there. */
  positionOf(stream: string, version: number): number | undefined {
    const s = this.streams.get(stream);
    if (!s || s.events.length === 0) return undefined;
    const e = s.events[version - s.events[0].version];
    return e?.version === version ? e.position : undefined;
  }

  /** The tail's entries under one index of a stream: [key, version, position]. */
  keyed(stream: string, index: string): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (const e of this.streams.get(stream)?.events ?? []) for (const k of e.keys) if (k.index === index) out.push([k.key, e.version, e.position]);
    return out;
  }

  /** Every stream of the tail in key order, with its events: what the indexer writes. */
  sorted(): [string, TailEvent[]][] {
    return [...this.streams.keys()].sort().map((stream) => [stream, this.streams.get(stream)!.events]);
  }

  clear(): void {
    this.streams.clear();
    this.order.length = 0;
    this.highest = 0;
  }
}
