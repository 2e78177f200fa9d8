/**
 * Answers read from the statistics projection: getappinfo's days in Tencent's words, the
 * console's series, and the live figures.
 */
import { dayOf, newDay, tencentDay, TENCENT_FIELDS, type Day } from './figures';
import type { StatsFold } from './fold';

/** getappinfo answers this many days, today (so far) first, as Tencent answers "the last 30 days". */
export const REPORT_DAYS = 30;

/** The app's days from `days - 1` days ago to today, oldest first; a day with no event carries the totals before it. */
export function daySeries(fold: StatsFold, app: number, now: number, days: number): { date: string; day: Day }[] {
  const figures = fold.apps.get(app);
  const dates = Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * 86_400_000, fold.offsetMin));
  // Totals before the first date shown: those of the latest recorded day before it.
  let carried = { users: 0, groups: 0 };
  for (const [date, d] of [...(figures?.days ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (date >= dates[0]) break;
    carried = { users: d.usersTotal, groups: d.groupsTotal };
  }
  return dates.map((date) => {
    const day = figures?.days.get(date) ?? newDay(carried.users, carried.groups);
    carried = { users: day.usersTotal, groups: day.groupsTotal };
    return { date, day };
  });
}

/** getappinfo's Result: newest day first, with only the fields asked for (all when none). */
export function appInfo(fold: StatsFold, app: { sdkAppId: number; name: string }, now: number, fields?: string[]): Record<string, string>[] {
  const wanted = fields && fields.length > 0 ? new Set([...fields, 'Date']) : undefined;
  return daySeries(fold, app.sdkAppId, now, REPORT_DAYS)
    .reverse()
    .map(({ date, day }) => {
      const all = tencentDay(app, date, day);
      return wanted ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has(k))) : all;
    });
}

/** RequestField names getappinfo does not know. */
export const unknownFields = (fields: string[]) => fields.filter((f) => !TENCENT_FIELDS.includes(f));

export interface LiveFigures {
  /** Online users now (the nodes' latest samples). */
  online: number;
  /** The last `minutes` whole minutes and the current one, oldest first. */
  minutes: { at: number; messages: number; logins: number }[];
  /** Position of the log the figures include. */
  position: number;
}

export function liveFigures(fold: StatsFold, app: number, now: number, minutes = 60): LiveFigures {
  const figures = fold.apps.get(app);
  const current = Math.floor(now / 60_000);
  const series = Array.from({ length: minutes + 1 }, (_, i) => {
    const key = current - minutes + i;
    const m = figures?.minutes.get(key);
    return { at: key * 60_000, messages: m?.messages ?? 0, logins: m?.logins ?? 0 };
  });
  return { online: fold.onlineAt(app, now), minutes: series, position: fold.position };
}
