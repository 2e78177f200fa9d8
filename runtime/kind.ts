/**
 * What an actor kind is: pure decide and evolve over its own state and events. The runtime
 * (host.ts) gives it identity, a mailbox, persistence and recovery; it knows nothing of those.
 */
import type { FeedAppend, NewEvent } from './eventlog';

export interface Decision<E extends NewEvent, R> {
  events: E[];
  reply: R;
  /** Events for shared feeds (a user's sync feed), committed atomically with `events`. */
  feeds?: FeedAppend[];
}

export interface SnapshotCodec<S> {
  /** Changes whenever the state layout does; snapshots of another format are dropped and replayed. */
  format: string;
  encode(state: S): Buffer;
  decode(data: Buffer): S;
}

export interface ActorKind<S, C, E extends NewEvent = NewEvent, R = unknown> {
  /** Stream prefix: the stream of key k is `${name}:${k}`. */
  name: string;
  initialState(key: string): S;
  /** All rules and permissions. Throws DomainError to refuse; never mutates `state`. */
  decide(state: S, command: C): Decision<E, R>;
  /** Applies one event. Accepts every event ever written; never re-validates. */
  evolve(state: S, event: E): S;
  snapshot?: SnapshotCodec<S>;
  /**
   * About how many entries a snapshot of this state writes. The host waits at least this many
   * events between snapshots, so a large state (an outbox backlog, a big group) costs O(1)
   * per event to snapshot rather than O(size), and replay stays within about twice that.
   */
  snapshotWeight?(state: S): number;
  /**
   * Other writers append to this kind's stream as a feed (conversations to a user's inbox):
   * the host reads what it has not seen before each command.
   */
  sharedStream?: boolean;
  /**
   * Commands that may share one append with the commands queued behind them (a hot group's or
   * conversation's sends): the host decides each in turn against the state the ones before it
   * left, appends all their events at once, and answers each when that append is durable. Only
   * for commands whose after-append work does not need the state between them.
   */
  batches?(command: C): boolean;
  /**
   * Commands that only read the state (decide returns no events): when the activation is idle
   * (nothing queued, no append in flight) the host decides them at once, outside the mailbox,
   * since every state it holds then is durable. A "read" that does return events is run again
   * through the mailbox (decide is pure), so a wrong answer here costs time, never an event.
   */
  reads?(command: C): boolean;
}

/** A refusal by the domain, carrying the Tencent error code the caller will see. */
export class DomainError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A command still waiting in its actor's mailbox when its caller's deadline passed: it was never
 * decided, so the caller's timeout answer is true (nothing of it is stored). Not retried.
 */
export class CommandExpiredError extends Error {
  readonly code = 'COMMAND_EXPIRED';
  constructor(readonly stream: string) {
    super(`a command to ${stream} waited in the mailbox past its caller's deadline and was not run`);
  }
}

/** The activation that ran a command was not the stream's writer: retry on the owner. */
export class ActorStaleError extends Error {
  readonly code = 'ACTOR_STALE';
  constructor(readonly stream: string) {
    super(`activation of ${stream} is stale`);
  }
}

/**
 * An app-scoped actor key `<sdkAppId>:<rest>` split at its first colon: the rest (a user, a
 * group id, a pair) may itself contain colons.
 */
export function splitAppKey(key: string): [app: number, rest: string] {
  const colon = key.indexOf(':');
  return [Number(key.slice(0, colon)), key.slice(colon + 1)];
}

/** JSON snapshots for states made of plain values, Maps and Sets. */
export function jsonSnapshot<S>(format: string): SnapshotCodec<S> {
  return {
    format,
    encode: (state) => Buffer.from(JSON.stringify(state, (_k, v) => replacer(v))),
    decode: (data) => JSON.parse(data.toString('utf8'), (_k, v) => reviver(v)) as S,
  };
}

function replacer(v: unknown): unknown {
  if (v instanceof Map) return { $map: [...v.entries()] };
  if (v instanceof Set) return { $set: [...v.values()] };
  return v;
}

function reviver(v: unknown): unknown {
  if (v !== null && typeof v === 'object') {
    if ('$map' in v) return new Map((v as { $map: [unknown, unknown][] }).$map);
    if ('$set' in v) return new Set((v as { $set: unknown[] }).$set);
  }
  return v;
}
