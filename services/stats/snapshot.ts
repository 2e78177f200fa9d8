/**
 * The statistics projection saved as a snapshot of the event log (stream `stats:projection`),
 * so a start replays only the events after it. Like every snapshot it is a cache: a format
 * this code does not read, or different time-zone settings, and the projection is rebuilt from
 * the start of the log. Change FORMAT whenever the fold changes what it computes.
 */
import zlib from 'node:zlib';
import type { Snapshot } from '../../runtime/eventlog';
import { DISTINCT, type Day, type Distinct } from './figures';
import { StatsFold, type AppFigures } from './fold';

export const SNAPSHOT_STREAM = 'stats:projection';
const FORMAT = 'stats-v1';

interface DayJson extends Omit<Day, 'sets'> {
  sets?: Record<Distinct, string[]>;
}

interface AppJson {
  days: [string, DayJson][];
  minutes: [number, { messages: number; logins: number }][];
  users: number;
  groups: number;
  deleted: string[];
  members: [string, number][];
  online: [string, { users: number; at: number }][];
}

export function toSnapshot(fold: StatsFold): Snapshot {
  const apps: [number, AppJson][] = [...fold.apps].map(([app, a]) => [
    app,
    {
      days: [...a.days].map(([k, d]) => [k, { ...d, sets: d.sets && (Object.fromEntries(DISTINCT.map((n) => [n, [...d.sets![n]]])) as Record<Distinct, string[]>) }]),
      minutes: [...a.minutes],
      users: a.users,
      groups: a.groups,
      deleted: [...a.deleted],
      members: [...a.members],
      online: [...a.online],
    },
  ]);
  const json = JSON.stringify({ offsetMin: fold.offsetMin, position: fold.position, apps });
  return { stream: SNAPSHOT_STREAM, version: fold.position, format: FORMAT, data: zlib.gzipSync(json) };
}

/** The fold a snapshot holds, or undefined when it cannot be used (then replay from the start). */
export function fromSnapshot(s: Snapshot | undefined, offsetMin: number): StatsFold | undefined {
  if (!s || s.format !== FORMAT) return undefined;
  try {
    const json = JSON.parse(zlib.gunzipSync(s.data).toString('utf8')) as { offsetMin: number; position: number; apps: [number, AppJson][] };
    if (json.offsetMin !== offsetMin) return undefined;
    const fold = new StatsFold(offsetMin);
    fold.position = json.position;
    for (const [app, a] of json.apps) {
      const figures: AppFigures = {
        days: new Map(a.days.map(([k, d]) => [k, { ...d, sets: d.sets && (Object.fromEntries(DISTINCT.map((n) => [n, new Set(d.sets![n])])) as Day['sets']) }])),
        minutes: new Map(a.minutes),
        users: a.users,
        groups: a.groups,
        deleted: new Set(a.deleted),
        members: new Map(a.members),
        online: new Map(a.online),
      };
      fold.apps.set(app, figures);
    }
    return fold;
  } catch {
    return undefined;
  }
}
