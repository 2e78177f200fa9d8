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

  constructor(
    /** How long a device that went away keeps its rooms, ms. */
    private readonly parkMs: number,
  ) {}

  /** Puts a logged-in session in a room; false when it was already there. */
  enter(room: string, s: Session): boolean {
    let set = this.rooms.get(room);
    if (!set) this.rooms.set(room, (set = new Set()));
    if (set.has(s)) return false;
    set.add(s);
    (s.rooms ??= []).push(room);
    return true;
  }

  leave(room: string, s: Session): boolean {
    const set = this.rooms.get(room);
    if (!set?.delete(s)) return false;
    if (set.size === 0) this.rooms.delete(room);
    s.rooms = s.rooms?.filter((r) => r !== room);
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
    return p.rooms.filter((room) => this.enter(room, s));
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

  has(room: string, userId: string): boolean {
    for (const s of this.rooms.get(room) ?? []) if (s.user?.userId === userId) return true;
    return false;
  }

  /** The room was disbanded. */
  close(room: string): number {
    const set = this.rooms.get(room);
    this.rooms.delete(room);
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
