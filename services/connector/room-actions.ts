/**
 * The connector's actions on this node's live rooms (AVChatRoom). The groups service calls them
 * on the nodes concerned (services/groups/rooms.ts): enter on the nodes holding the joining
 * user's devices, push, count, leave and close on every gateway node.
 */
import type { ActionSchema, Context } from 'moleculer';
import type { ConnectorService } from './types';
import { roomOf } from './rooms';
import { encodeFrame, wsFrame } from './frames';

export interface RoomParams {
  app: number;
  groupId: string;
}

export interface RoomUserParams extends RoomParams {
  userId: string;
}

export interface RoomMarkParams extends RoomParams {
  /** Add (true) or remove the marks. */
  on: boolean;
  members: { userId: string; marks: number[] }[];
}

export interface RoomPushParams extends RoomParams {
  servcmd: string;
  body: object;
}

const app = { type: 'number', integer: true, positive: true };
const groupId = { type: 'string', min: 1, max: 128 };
const userId = { type: 'string', min: 1, max: 64 };
const room = { $$strict: true, app, groupId };
const roomUser = { $$strict: true, app, groupId, userId };

type Handler<P, R> = (this: ConnectorService, ctx: Context<P>) => R;
const action = <P, R>(params: object, handler: Handler<P, R>): ActionSchema => ({ visibility: 'public', params, handler }) as ActionSchema;

export const roomActions: Record<string, ActionSchema> = {
  /** Every local logged-in device of the user enters the room; answers how many did. */
  roomEnter: action<RoomUserParams, number>(roomUser, function (ctx) {
    const { app, groupId, userId } = ctx.params;
    let n = 0;
    for (const s of this.gateway.sessionsOf(app, userId)) if (this.rooms.enter(roomOf(app, groupId), s)) n++;
    return n;
  }),
  /** The user left the room: every local device, connected or parked. */
  roomLeave: action<RoomUserParams, number>(roomUser, function (ctx) {
    const { app, groupId, userId } = ctx.params;
    const key = roomOf(app, groupId);
    let n = 0;
    for (const s of this.gateway.sessionsOf(app, userId)) if (this.rooms.leave(key, s)) n++;
    this.rooms.unpark(key, app, userId);
    return n;
  }),
  roomHas: action<RoomUserParams, boolean>(roomUser, function (ctx) {
    return this.rooms.has(roomOf(ctx.params.app, ctx.params.groupId), ctx.params.userId);
  }),
  /** Online members in the room on this node (distinct users). */
  roomCount: action<RoomParams, number>(room, function (ctx) {
    return this.rooms.users(roomOf(ctx.params.app, ctx.params.groupId));
  }),
  /** Online members in the room on this node: `[userId, joinedAt ms, marks]`, each user once. */
  roomMembers: action<RoomParams, [string, number, number[]][]>(room, function (ctx) {
    return this.rooms.members(roomOf(ctx.params.app, ctx.params.groupId));
  }),
  /** Adds or removes member marks of users in the room on this node; answers the users found here. */
  roomMark: action<RoomMarkParams, string[]>({ ...room, on: 'boolean', members: { type: 'array', max: 500, items: { type: 'object', strict: true, props: { userId, marks: { type: 'array', min: 1, max: 10, items: { type: 'number', integer: true, min: 0 } } } } } }, function (ctx) {
    const { app, groupId, on, members } = ctx.params;
    return members.filter((m) => this.rooms.mark(roomOf(app, groupId), m.userId, m.marks, on)).map((m) => m.userId);
  }),
  /** One push to everyone in the room on this node: serialised and framed once, the same bytes written to each socket. */
  roomPush: action<RoomPushParams, number>({ ...room, servcmd: { type: 'string', min: 3, max: 129 }, body: 'object' }, function (ctx) {
    const { app, groupId, servcmd, body } = ctx.params;
    const sessions = this.rooms.sessions(roomOf(app, groupId));
    if (!sessions) return 0;
    const payload = encodeFrame({ servcmd }, body);
    let binary: Buffer | undefined;
    let text: Buffer | undefined;
    let sent = 0;
    for (const s of sessions) {
      const framed = s.text ? (text ??= wsFrame(payload, true)) : (binary ??= wsFrame(payload, false));
      if (this.gateway.write(s, framed)) sent++;
    }
    this.gateway.counters.pushed += sent;
    return sent;
  }),
  /** The group was disbanded. */
  roomClose: action<RoomParams, number>(room, function (ctx) {
    return this.rooms.close(roomOf(ctx.params.app, ctx.params.groupId));
  }),
};
