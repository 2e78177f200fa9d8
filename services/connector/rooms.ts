/**
 * Live rooms (AVChatRoom) on one gateway node: which local sessions are in which room. This is
 * the room's whole member list — nothing about plain members is stored anywhere else — so a
 * room costs one Set entry per online member per node, and a push walks one Set.
 *
 * A device whose connection drops without a logout keeps its rooms "parked" for a while: the
 * SDK reconnects and logs in again with its A2Key but never joins its live room again (it
 * expects its long-polling key to carry the membership), so the login restores them. A parked
 * device is not online and is not counted.
 */
import type { Session } from './session';

interface Parked {
  rooms: string[];
  until: number;
}

export class RoomIndex {
  private readonly rooms = new Map<string, Set<Session>>();
  /** Rooms of devices that went away, by `app\0user\0instId`. */
  private readonly parked = new Map<string, Parked>();
  /** When each session entered each of its rooms, ms (get_members answers JoinTime). */
  private readonly joinedAt = new WeakMap<Session, Map<string, number>>();
  /**
   * Member marks (modify_user_info) of users in a room on this node. Tencent keeps a mark only
   * while its member is online: it goes when the user's last device here leaves the room.
   */
  private readonly marks = new Map<string, Map<string, Set<number>>>();

  constructor(
    /** How long a device that went away keeps its rooms, ms. */
    private readonly parkMs: number,
  ) {}

  /** Puts a logged-in session in a room; false when it was already there. */
  enter(room: string, s: Session, now = Date.now()): boolean {
    let set = this.rooms.get(room);
    if (!set) this.rooms.set(room, (set = new Set()));
    if (set.has(s)) return false;
    set.add(s);
    let times = this.joinedAt.get(s);
    if (!times) this.joinedAt.set(s, (times = new Map()));
    times.set(room, now);
    (s.rooms ??= []).push(room);
    return true;
  }

  leave(room: string, s: Session): boolean {
    const set = this.rooms.get(room);
    if (!set?.delete(s)) return false;
    if (set.size === 0) this.rooms.delete(room);
    s.rooms = s.rooms?.filter((r) => r !== room);
    this.forgetMarks(room, s);
    return true;
  }

  /** Forgets the room for every parked device of a user (they quit it). */
  unpark(room: string, app: number, userId: string): void {
    const prefix = deviceKey(app, userId, '');
    for (const key of this.parked.keys()) if (key.startsWith(prefix)) this.unparkDevice(room, key);
  }

  private unparkDevice(room: string, key: string): void {
    const p = this.parked.get(key);
    if (!p) return;
    p.rooms = p.rooms.filter((r) => r !== room);
    if (p.rooms.length === 0) this.parked.delete(key);
  }

  /**
   * The session's login ended: out of every room; `park` keeps them for the same device's next
   * login. Answers the rooms parked.
   */
  drop(s: Session, userId: string, park: boolean, now: number): string[] {
    const rooms = s.rooms;
    if (!rooms || rooms.length === 0) return [];
    s.rooms = undefined;
    for (const room of rooms) {
      const set = this.rooms.get(room);
      set?.delete(s);
      if (set?.size === 0) this.rooms.delete(room);
      this.forgetMarks(room, s);
    }
    if (!park) return [];
    if (this.parked.size >= 1000) this.sweep(now);
    this.parked.set(deviceKey(s.sdkAppId, userId, s.instId), { rooms, until: now + this.parkMs });
    return rooms;
  }

  /** A device logged in (again): back into the rooms it had when its connection dropped; answers them. */
  restore(s: Session, userId: string, now: number): string[] {
    const key = deviceKey(s.sdkAppId, userId, s.instId);
    const p = this.parked.get(key);
    if (!p) return [];
    this.parked.delete(key);
    if (p.until < now) return [];
    return p.rooms.filter((room) => this.enter(room, s, now));
  }

  sessions(room: string): ReadonlySet<Session> | undefined {
    return this.rooms.get(room);
  }

  /** Online members of the room on this node: distinct users. */
  users(room: string): number {
    const set = this.rooms.get(room);
    if (!set) return 0;
    const users = new Set<string>();
    for (const s of set) if (s.user) users.add(s.user.userId);
    return users.size;
  }

  /** Online members of the room on this node: each user once, with their earliest entry (ms) and their marks. */
  members(room: string): [userId: string, joinedAt: number, marks: number[]][] {
    const first = new Map<string, number>();
    for (const s of this.rooms.get(room) ?? []) {
      if (!s.user) continue;
      const at = this.joinedAt.get(s)?.get(room) ?? 0;
      const seen = first.get(s.user.userId);
      if (seen === undefined || at < seen) first.set(s.user.userId, at);
    }
    const marks = this.marks.get(room);
    return [...first].map(([user, at]) => [user, at, [...(marks?.get(user) ?? [])]]);
  }

  /** Adds (`on`) or removes marks of a user who is in the room on this node; false when they are not. */
  mark(room: string, userId: string, marks: number[], on: boolean): boolean {
    if (!this.has(room, userId)) return false;
    let users = this.marks.get(room);
    if (!users) this.marks.set(room, (users = new Map()));
    const own = users.get(userId) ?? new Set<number>();
    for (const m of marks) if (on) own.add(m);
    else own.delete(m);
    if (own.size > 0) users.set(userId, own);
    else users.delete(userId);
    if (users.size === 0) this.marks.delete(room);
    return true;
  }

  /** A session left the room: its user's marks go with their last device here. */
  private forgetMarks(room: string, s: Session): void {
    const users = this.marks.get(room);
    const user = s.user?.userId;
    if (!users || user === undefined || !users.has(user) || this.has(room, user)) return;
    users.delete(user);
    if (users.size === 0) this.marks.delete(room);
  }

  has(room: string, userId: string): boolean {
    for (const s of this.rooms.get(room) ?? []) if (s.user?.userId === userId) return true;
    return false;
  }

  /** The room was disbanded. */
  close(room: string): number {
    const set = this.rooms.get(room);
    this.rooms.delete(room);
    this.marks.delete(room);
    for (const s of set ?? []) s.rooms = s.rooms?.filter((r) => r !== room);
    for (const [key, p] of this.parked) {
      if (p.rooms.includes(room)) this.unparkDevice(room, key);
    }
    return set?.size ?? 0;
  }

  get count(): number {
    return this.rooms.size;
  }

  private sweep(now: number): void {
    for (const [key, p] of this.parked) if (p.until < now) this.parked.delete(key);
  }
}

export const deviceKey = (app: number, userId: string, instId: string) => `${app}\u0000${userId}\u0000${instId}`;

/** Room key of a group: `<sdkAppId>:<GroupId>`, as the group actor's. */
export const roomOf = (app: number, groupId: string) => `${app}:${groupId}`;
