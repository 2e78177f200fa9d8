/**
 * The figures of one app on one day, and their names in Tencent's getappinfo answer. Counters
 * add up; distinct figures (login users, senders…) are sets while their day can still receive
 * events and counts once it is closed; totals are the running totals at the end of the day.
 */

export const COUNTERS = [
  'loginTimes',
  'c2cUp',
  'c2cDown',
  'groupUp',
  'groupDown',
  'newUsers',
  'deletedUsers',
  'chainIncrease',
  'chainDecrease',
  'groupsNew',
  'groupsDestroyed',
  'joins',
  'quits',
  'callbackReq',
  'callbackRsp',
  'apnsC2C',
  'apnsGroup',
] as const;
export type Counter = (typeof COUNTERS)[number];

export const DISTINCT = ['loginUsers', 'activeUsers', 'senders', 'c2cSenders', 'groupSenders', 'groupsMessaged'] as const;
export type Distinct = (typeof DISTINCT)[number];

export interface Day {
  counters: Record<Counter, number>;
  /** Open days: the members of each distinct figure. Closed days: undefined (see `distinct`). */
  sets?: Record<Distinct, Set<string>>;
  distinct: Record<Distinct, number>;
  usersTotal: number;
  groupsTotal: number;
  peakOnline: number;
}

export function newDay(usersTotal: number, groupsTotal: number): Day {
  return {
    counters: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>,
    sets: Object.fromEntries(DISTINCT.map((d) => [d, new Set<string>()])) as Record<Distinct, Set<string>>,
    distinct: Object.fromEntries(DISTINCT.map((d) => [d, 0])) as Record<Distinct, number>,
    usersTotal,
    groupsTotal,
    peakOnline: 0,
  };
}

export const distinctOf = (day: Day, name: Distinct): number => day.sets?.[name].size ?? day.distinct[name];

/** One day in Tencent's words: every figure a decimal string, as getappinfo answers them. */
export function tencentDay(app: { sdkAppId: number; name: string }, date: string, d: Day): Record<string, string> {
  const c = d.counters;
  const n = (v: number) => String(v);
  return {
    AppName: app.name,
    AppId: n(app.sdkAppId),
    Company: '',
    ActiveUserNum: n(distinctOf(d, 'activeUsers')),
    RegistUserNumOneDay: n(c.newUsers),
    RegistUserNumTotal: n(d.usersTotal),
    LoginTimes: n(c.loginTimes),
    LoginUserNum: n(distinctOf(d, 'loginUsers')),
    UpMsgNum: n(c.c2cUp + c.groupUp),
    SendMsgUserNum: n(distinctOf(d, 'senders')),
    APNSMsgNum: n(c.apnsC2C + c.apnsGroup),
    C2CUpMsgNum: n(c.c2cUp),
    C2CDownMsgNum: n(c.c2cDown),
    C2CSendMsgUserNum: n(distinctOf(d, 'c2cSenders')),
    C2CAPNSMsgNum: n(c.apnsC2C),
    MaxOnlineNum: n(d.peakOnline),
    DownMsgNum: n(c.c2cDown + c.groupDown),
    ChainIncrease: n(c.chainIncrease),
    ChainDecrease: n(c.chainDecrease),
    GroupUpMsgNum: n(c.groupUp),
    GroupDownMsgNum: n(c.groupDown),
    GroupSendMsgUserNum: n(distinctOf(d, 'groupSenders')),
    GroupAPNSMsgNum: n(c.apnsGroup),
    GroupSendMsgGroupNum: n(distinctOf(d, 'groupsMessaged')),
    GroupJoinGroupTimes: n(c.joins),
    GroupQuitGroupTimes: n(c.quits),
    GroupNewGroupNum: n(c.groupsNew),
    GroupAllGroupNum: n(d.groupsTotal),
    GroupDestroyGroupNum: n(c.groupsDestroyed),
    CallBackReq: n(c.callbackReq),
    CallBackRsp: n(c.callbackRsp),
    Date: date,
  };
}

/** Every field getappinfo can answer (RequestField names). */
export const TENCENT_FIELDS: readonly string[] = Object.keys(tencentDay({ sdkAppId: 0, name: '' }, '', newDay(0, 0)));

/** `YYYYMMDD` of an instant, in the statistics' time zone (minutes east of UTC). */
export function dayOf(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10).replace(/-/g, '');
}
