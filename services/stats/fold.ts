/**
 * The statistics projection: folds stored events, in log order, into per-app daily figures and
 * per-minute figures. Pure apart from its own state: no clock (times come from the events), no
 * I/O; the tail (tail.ts) feeds it and snapshots it. A new figure is back-filled by dropping
 * the snapshot: the next start replays the whole log.
 */
import type { StoredEvent } from '../../runtime/eventlog';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED } from '../../actors/user/events';
import { MESSAGE_SENT as C2C_SENT } from '../../actors/c2c/events';
import { GROUP_CREATED, GROUP_DESTROYED, MEMBERS_JOINED, MEMBERS_LEFT, MESSAGE_SENT as GROUP_SENT } from '../../actors/group/events';
import { FRIEND_ADDED, FRIEND_DELETED } from '../../actors/relations/events';
import { ACTIVITY_RECORDED, type ActivityRecorded } from '../../actors/stats/events';
import { dayOf, newDay, type Counter, type Day, type Distinct } from './figures';

/** Per-minute figures kept for the live view. */
export interface Minute {
  messages: number;
  logins: number;
}

export interface AppFigures {
  days: Map<string, Day>;
  minutes: Map<number, Minute>;
  users: number;
  groups: number;
  /** Deleted accounts: importing one again is a new registration. */
  deleted: Set<string>;
  /** Members per group, for the deliveries a group message makes. */
  members: Map<string, number>;
  /** Latest online sample of each node: users, and when. */
  online: Map<string, { users: number; at: number }>;
}

/** A node's sample counts towards "online" this long (samples come every PARLEY_STATS_SAMPLE_SEC). */
export const SAMPLE_VALID_MS = 90_000;
/** Minutes of per-minute figures kept. */
const MINUTES_KEPT = 180;
/** Days whose distinct sets stay open behind the newest event (late events of a batch, clock skew). */
const OPEN_DAYS = 2;

const STREAM = /^(c2c|group|user|relations|stats):(\d+)?:?(.*)$/;

/**
 * The event types apply() counts; the tail reads only these (tail.ts). Every other event (a
 * one-to-one message's two inbox references, nick filings…) is skipped in the store, never read
 * or decoded: two thirds of what a one-to-one message writes (docs/benchmarks.md).
 */
export const FOLDED_TYPES = [
  ACTIVITY_RECORDED,
  C2C_SENT,
  GROUP_SENT,
  GROUP_CREATED,
  GROUP_DESTROYED,
  MEMBERS_JOINED,
  MEMBERS_LEFT,
  ACCOUNT_IMPORTED,
  ACCOUNT_DELETED,
  FRIEND_ADDED,
  FRIEND_DELETED,
];

export class StatsFold {
  readonly apps = new Map<number, AppFigures>();
  /** Log position of the last event folded. */
  position = 0;
  private latestDay = '';

  constructor(readonly offsetMin: number) {}

  apply(e: StoredEvent): void {
    this.position = e.position;
    const m = STREAM.exec(e.stream);
    if (!m) return;
    if (e.type === ACTIVITY_RECORDED) return this.activity(e.data as ActivityRecorded, e.time);
    const app = Number(m[2]);
    if (!Number.isSafeInteger(app)) return;
    const id = m[3];
    switch (e.type) {
      case C2C_SENT:
        return this.message(app, e.time, 'c2c', (e.data as { from: string }).from, 1);
      case GROUP_SENT: {
        const a = this.app(app);
        this.message(app, e.time, 'group', (e.data as { from: string }).from, Math.max(0, (a.members.get(id) ?? 1) - 1), id);
        return;
      }
      case GROUP_CREATED: {
        const a = this.app(app);
        a.groups++;
        a.members.set(id, 0);
        return this.count(app, e.time, 'groupsNew', 1);
      }
      case GROUP_DESTROYED: {
        const a = this.app(app);
        a.groups--;
        a.members.delete(id);
        return this.count(app, e.time, 'groupsDestroyed', 1);
      }
      case MEMBERS_JOINED: {
        const d = e.data as { members: unknown[]; how: string };
        const a = this.app(app);
        a.members.set(id, (a.members.get(id) ?? 0) + d.members.length);
        // Creation's members are part of the creation, not joins.
        return d.how === 'create' ? undefined : this.count(app, e.time, 'joins', d.members.length);
      }
      case MEMBERS_LEFT: {
        const d = e.data as { users: string[] };
        const a = this.app(app);
        a.members.set(id, Math.max(0, (a.members.get(id) ?? 0) - d.users.length));
        return this.count(app, e.time, 'quits', d.users.length);
      }
      case ACCOUNT_IMPORTED: {
        const a = this.app(app);
        // A re-import that only changes nick or face is no registration.
        if (e.version !== 1 && !a.deleted.delete(id)) return;
        a.users++;
        return this.count(app, e.time, 'newUsers', 1);
      }
      case ACCOUNT_DELETED: {
        const a = this.app(app);
        a.users--;
        a.deleted.add(id);
        return this.count(app, e.time, 'deletedUsers', 1);
      }
      case FRIEND_ADDED:
        return this.count(app, e.time, 'chainIncrease', 1);
      case FRIEND_DELETED:
        return this.count(app, e.time, 'chainDecrease', 1);
    }
  }

  /** Online users of an app now: the sum of the nodes' recent samples. */
  onlineAt(app: number, now: number): number {
    let sum = 0;
    for (const s of this.apps.get(app)?.online.values() ?? []) if (now - s.at < SAMPLE_VALID_MS) sum += s.users;
    return sum;
  }

  app(app: number): AppFigures {
    let a = this.apps.get(app);
    if (!a) this.apps.set(app, (a = { days: new Map(), minutes: new Map(), users: 0, groups: 0, deleted: new Set(), members: new Map(), online: new Map() }));
    return a;
  }

  day(app: number, time: number): Day {
    const a = this.app(app);
    const key = dayOf(time, this.offsetMin);
    let d = a.days.get(key);
    if (!d) {
      a.days.set(key, (d = newDay(a.users, a.groups)));
      if (key > this.latestDay) this.closeBefore(key);
    }
    d.usersTotal = a.users;
    d.groupsTotal = a.groups;
    return d;
  }

  private message(app: number, time: number, kind: 'c2c' | 'group', from: string, down: number, groupId?: string): void {
    const d = this.day(app, time);
    d.counters[kind === 'c2c' ? 'c2cUp' : 'groupUp']++;
    d.counters[kind === 'c2c' ? 'c2cDown' : 'groupDown'] += down;
    this.add(d, 'senders', from);
    this.add(d, 'activeUsers', from);
    this.add(d, kind === 'c2c' ? 'c2cSenders' : 'groupSenders', from);
    if (groupId !== undefined) this.add(d, 'groupsMessaged', groupId);
    this.minute(app, time).messages++;
  }

  private activity(r: ActivityRecorded, time: number): void {
    for (const l of r.logins) {
      const d = this.day(l.app, l.at);
      d.counters.loginTimes++;
      this.add(d, 'loginUsers', l.user);
      this.add(d, 'activeUsers', l.user);
      this.minute(l.app, l.at).logins++;
    }
    for (const c of r.callbacks) {
      const d = this.day(c.app, time);
      d.counters.callbackReq += c.sent;
      d.counters.callbackRsp += c.answered;
    }
    if (!r.sampled) return;
    const sampled = new Map(r.online.map((o) => [o.app, o.users]));
    // Apps this node no longer holds anyone of get a zero sample too.
    for (const [app, a] of this.apps) if (a.online.has(r.node) && !sampled.has(app)) sampled.set(app, 0);
    for (const [app, users] of sampled) {
      this.app(app).online.set(r.node, { users, at: r.at });
      const d = this.day(app, r.at);
      d.peakOnline = Math.max(d.peakOnline, this.onlineAt(app, r.at));
    }
  }

  private count(app: number, time: number, counter: Counter, n: number): void {
    this.day(app, time).counters[counter] += n;
  }

  private add(d: Day, name: Distinct, member: string): void {
    if (d.sets) d.sets[name].add(member);
    // A closed day (an event older than OPEN_DAYS behind the newest) adds at most one.
    else d.distinct[name]++;
  }

  private minute(app: number, time: number): Minute {
    const minutes = this.app(app).minutes;
    const key = Math.floor(time / 60_000);
    let m = minutes.get(key);
    if (!m) {
      minutes.set(key, (m = { messages: 0, logins: 0 }));
      for (const k of minutes.keys()) if (k <= key - MINUTES_KEPT) minutes.delete(k);
    }
    return m;
  }

  /** A new newest day: days more than OPEN_DAYS behind it keep counts instead of sets. */
  private closeBefore(key: string): void {
    this.latestDay = key;
    const limit = dayOf(Date.UTC(+key.slice(0, 4), +key.slice(4, 6) - 1, +key.slice(6, 8)) - OPEN_DAYS * 86_400_000, 0);
    for (const a of this.apps.values()) {
      for (const [k, d] of a.days) {
        if (k >= limit || !d.sets) continue;
        for (const [name, set] of Object.entries(d.sets)) d.distinct[name as Distinct] = set.size;
        d.sets = undefined;
      }
    }
  }
}
