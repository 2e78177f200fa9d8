/**
 * The cursor of recentcontact.page_get, and the group conversations of one paging pass.
 *
 * The SDK echoes the four cursor fields of each reply in its next request, and keeps the last
 * reply's after the list is complete: after a reconnect of at most 300 s it sends them again to
 * ask only for what changed (docs/sdk-protocol.md §13, "Incremental list"). All four are opaque
 * to it, so Parley gives them these meanings:
 *
 * | field | full pass | incremental pass | last page of either |
 * |---|---|---|---|
 * | `TimeStamp` | pass start (unix s) | the time it is incremental from | pass start |
 * | `TopTimeStamp` | inbox version at pass start | contact cursor (last version sent) | inbox version at pass start |
 * | `StartIndex` | offsets (group-sessions.ts) | INCREMENTAL + pass-start version · 2^20 + group offset | 0 |
 * | `TopStartIndex` | 0 | pass start (unix s) | 0 |
 *
 * A request with `StartIndex` 0 starts a pass: incremental when it names a time and a version,
 * full otherwise (a first login, a client of an older Parley). A conversation that changes during
 * a pass has a later version and time than the pass start, so the next pass sends it again.
 */
import type { GroupSession } from './group-sessions';

/** StartIndex values from here on are incremental pages (full-pass offsets stay below 2^52). */
const INCREMENTAL = 2 ** 52;
const GROUP_BITS = 2 ** 20;

export interface Anchor {
  /** Unix seconds and inbox stream version at the start of the pass. */
  time: number;
  version: number;
}

export type ListCursor =
  | { kind: 'full'; first: boolean; anchor: Anchor; offsets: number }
  | { kind: 'incremental'; first: boolean; anchor: Anchor; sinceTime: number; afterVersion: number; groupOffset: number };

export interface CursorFields {
  TimeStamp?: number;
  StartIndex?: number;
  TopTimeStamp?: number;
  TopStartIndex?: number;
}

/** Reads a request's cursor. A pass that starts here is anchored at `nowSec`; its version is set once the inbox answers. */
export function readCursor(body: CursorFields, nowSec: number): ListCursor {
  const now = { time: nowSec, version: 0 };
  const start = body.StartIndex ?? 0;
  const time = body.TimeStamp ?? 0;
  const top = body.TopTimeStamp ?? 0;
  if (start === 0) {
    if (time > 0 && top > 0) return { kind: 'incremental', first: true, anchor: now, sinceTime: time, afterVersion: top, groupOffset: 0 };
    return { kind: 'full', first: true, anchor: now, offsets: 0 };
  }
  if (start < INCREMENTAL) return { kind: 'full', first: false, anchor: { time, version: top }, offsets: start };
  const rest = start - INCREMENTAL;
  return {
    kind: 'incremental',
    first: false,
    anchor: { time: body.TopStartIndex ?? 0, version: Math.floor(rest / GROUP_BITS) },
    sinceTime: time,
    afterVersion: top,
    groupOffset: rest % GROUP_BITS,
  };
}

/** The cursor fields of a reply: `next` undefined ends the pass. */
export function fullReply(anchor: Anchor, next: number | undefined) {
  return { CompleteFlag: next === undefined ? 1 : 0, TimeStamp: anchor.time, StartIndex: next ?? 0, TopTimeStamp: anchor.version, TopStartIndex: 0 };
}

export function incrementalReply(c: Extract<ListCursor, { kind: 'incremental' }>, next: { groupOffset: number; afterVersion: number } | undefined) {
  if (next === undefined) return fullReply(c.anchor, undefined);
  return {
    CompleteFlag: 0,
    TimeStamp: c.sinceTime,
    StartIndex: INCREMENTAL + c.anchor.version * GROUP_BITS + next.groupOffset,
    TopTimeStamp: next.afterVersion,
    TopStartIndex: c.anchor.time,
  };
}

/**
 * The group conversations of a pass, computed on its first page and kept for its next ones, so a
 * pass asks the groups context once instead of once per page (docs/benchmarks.md: 100 groups cost
 * ~7 ms a page). Keyed by the pass's anchor, which the SDK echoes; short-lived and per process: a
 * miss (another node, an expired entry) recomputes, which is only slower. It holds no fact the
 * groups context does not: it is the same answer, reused within one pass.
 */
const PASS_TTL_MS = 60_000;
const PASS_ENTRIES = 2_000;
const passes = new Map<string, { sessions: GroupSession[]; expires: number }>();

export async function groupsOfPass(key: string, first: boolean, compute: () => Promise<GroupSession[]>): Promise<GroupSession[]> {
  const now = Date.now();
  // The first page always asks: another pass may have begun in the same second at the same version.
  const hit = first ? undefined : passes.get(key);
  if (hit && hit.expires > now) return hit.sessions;
  const sessions = await compute();
  passes.delete(key);
  passes.set(key, { sessions, expires: now + PASS_TTL_MS });
  for (const [k, v] of passes) {
    if (passes.size <= PASS_ENTRIES && v.expires > now) break;
    passes.delete(k);
  }
  return sessions;
}

export const passKey = (app: number, user: string, c: ListCursor) => `${app}:${user}:${c.kind}:${c.anchor.time}:${c.anchor.version}${c.kind === 'incremental' ? `:${c.sinceTime}` : ''}`;

/**
 * The pass of a REST get_list page. Tencent's reference has each page echo the first reply's
 * TimeStamp: here that is when the pass began, so its later pages reuse the pass's group
 * conversations (groupsOfPass); a page without it (`key` false) asks the groups again.
 */
export function restPass(body: { StartIndex?: number; TimeStamp?: number }, nowSec: number): { cursor: Extract<ListCursor, { kind: 'full' }>; key: boolean } {
  const first = (body.StartIndex ?? 0) === 0;
  const time = first ? nowSec : (body.TimeStamp ?? 0);
  return { cursor: { kind: 'full', first, anchor: { time, version: 0 }, offsets: body.StartIndex ?? 0 }, key: first || time > 0 };
}
