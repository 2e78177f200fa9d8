/**
 * AVChatRoom as a live room, seen from the groups service. Plain members are not stored: the
 * gateway nodes' room indexes (services/connector/rooms.ts) are the member list, so
 *   - joining puts the user's online devices in the room on the nodes that hold them;
 *   - a message is published once per gateway node (connector.roomPush), never per member;
 *   - the online count is the sum of the nodes' counts;
 *   - quitting and disbanding go to every gateway node (parked devices included).
 * What the actor keeps of an AVChatRoom is small: profile, owner, admins, mutes.
 *
 * Live sequences: AVChatRoom messages are never stored, yet the web SDK drops a live-room
 * message whose MsgSeq it saw among the last 200 (AVChatRoomHandler, unless the app created the
 * SDK with `unlimitedAVChatRoom`). So each message and tip gets the next number of the owner
 * node's counter for the group, which starts from the clock in milliseconds: a new owner after
 * a failover starts far from the 200 numbers members saw last, unless the old one had counted
 * to within 200 of the new clock reading.
 */
import { splitAppKey } from '../../runtime/kind';
import type { ServiceBroker } from 'moleculer';
import { POLICIES, type GroupCommand, type GroupType, type Outgoing } from '../../actors/group';
import type { DeviceRecord } from '../presence/directory';
import { viaParams, type Via } from '../commands/commands';
import { queueAfter } from '../webhooks/client';
import type { RoomMarkParams, RoomParams, RoomPushParams, RoomUserParams } from '../connector/room-actions';

/** Nodes running the connector (the gateway nodes). */
export function gatewayNodes(broker: ServiceBroker): string[] {
  const entries = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as unknown as { name: string; nodeID: string }[];
  return [...new Set(entries.filter((s) => s.name === 'connector').map((s) => s.nodeID))];
}

/** Calls a room action on every gateway node; a node that fails counts as 0. */
async function everyNode<P extends RoomParams, R>(broker: ServiceBroker, action: string, params: P, none: R): Promise<R[]> {
  return Promise.all(gatewayNodes(broker).map((nodeID) => broker.call<R, P>(`connector.${action}`, params, { nodeID }).catch(() => none)));
}

/** Nodes holding an Online device of the user. */
async function nodesOf(broker: ServiceBroker, app: number, userId: string): Promise<string[]> {
  const found = await broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users: [userId] });
  // An own key only: a user called `constructor` must not find Object's.
  const devices = Object.hasOwn(found, userId) ? found[userId] : [];
  return [...new Set(devices.filter((d) => d.status === 'Online').map((d) => d.nodeID))];
}

export async function enterRoom(broker: ServiceBroker, app: number, groupId: string, userId: string): Promise<number> {
  const nodes = await nodesOf(broker, app, userId);
  const counts = await Promise.all(nodes.map((nodeID) => broker.call<number, RoomUserParams>('connector.roomEnter', { app, groupId, userId }, { nodeID }).catch(() => 0)));
  return counts.reduce((a, b) => a + b, 0);
}

export async function leaveRoom(broker: ServiceBroker, app: number, groupId: string, userId: string): Promise<void> {
  await everyNode(broker, 'roomLeave', { app, groupId, userId }, 0);
}

/** Whether one of the user's online devices is in the room (an AVChatRoom sender must have joined). */
export async function inRoom(broker: ServiceBroker, app: number, groupId: string, userId: string): Promise<boolean> {
  const nodes = await nodesOf(broker, app, userId);
  const answers = await Promise.all(nodes.map((nodeID) => broker.call<boolean, RoomUserParams>('connector.roomHas', { app, groupId, userId }, { nodeID }).catch(() => false)));
  return answers.includes(true);
}

export async function onlineInRoom(broker: ServiceBroker, app: number, groupId: string): Promise<number> {
  return (await everyNode(broker, 'roomCount', { app, groupId }, 0)).reduce((a, b) => a + b, 0);
}

/** A viewer of a live room, over every gateway node. */
export interface RoomViewer {
  /** The earliest time (ms) one of their devices entered the room on any node. */
  joinedAt: number;
  /** Their member marks (modify_user_info). */
  marks: Set<number>;
}

/** Online members of the room over every gateway node, each user once. */
export async function membersInRoom(broker: ServiceBroker, app: number, groupId: string): Promise<Map<string, RoomViewer>> {
  const viewers = new Map<string, RoomViewer>();
  for (const node of await everyNode<RoomParams, [string, number, number[]][]>(broker, 'roomMembers', { app, groupId }, [])) {
    for (const [user, at, marks] of node) {
      const seen = viewers.get(user);
      if (!seen) viewers.set(user, { joinedAt: at, marks: new Set(marks) });
      else {
        seen.joinedAt = Math.min(seen.joinedAt, at);
        for (const m of marks) seen.marks.add(m);
      }
    }
  }
  return viewers;
}

/** Adds or removes marks on every gateway node; answers the users found in the room. */
export async function markInRoom(broker: ServiceBroker, app: number, groupId: string, members: RoomMarkParams['members'], on: boolean): Promise<Set<string>> {
  return new Set((await everyNode<RoomMarkParams, string[]>(broker, 'roomMark', { app, groupId, members, on }, [])).flat());
}

/** One push to the whole room: one call per gateway node; answers the sockets written. */
export async function pushToRoom(broker: ServiceBroker, app: number, groupId: string, servcmd: string, body: object): Promise<number> {
  return (await everyNode<RoomPushParams, number>(broker, 'roomPush', { app, groupId, servcmd, body }, 0)).reduce((a, b) => a + b, 0);
}

export async function closeRoom(broker: ServiceBroker, app: number, groupId: string): Promise<void> {
  await everyNode(broker, 'roomClose', { app, groupId }, 0);
}

/** The owner node's live sequences, per group key. */
export class LiveSequences {
  private readonly last = new Map<string, number>();

  next(key: string, now: number): number {
    const last = this.last.get(key);
    const seq = last === undefined ? now : last + 1;
    this.last.set(key, seq);
    return seq;
  }
}

interface LiveState {
  seqs: LiveSequences;
  /** Group types seen on this node (a type never changes; a disbanded id is forgotten). */
  types: Map<string, GroupType>;
  /** Per group: the last room push, so pushes leave in the order the group produced them. */
  chains: Map<string, Promise<unknown>>;
}

/** Per broker (tests run several in one process). */
const states = new WeakMap<ServiceBroker, LiveState>();

export function liveOf(broker: ServiceBroker): LiveState {
  let state = states.get(broker);
  if (!state) states.set(broker, (state = { seqs: new LiveSequences(), types: new Map(), chains: new Map() }));
  return state;
}


/**
 * On the owner node, before a send reaches the group's mailbox: for a live room, the message's
 * live sequence and whether the (non-administrator) sender has a device in the room.
 */
export async function prepareSend(broker: ServiceBroker, key: string, command: GroupCommand, typeOf: () => Promise<GroupType>): Promise<GroupCommand> {
  if (command.op !== 'send') return command;
  const live = liveOf(broker);
  let type = live.types.get(key);
  if (!type) {
    if (live.types.size >= 100_000) live.types.clear();
    live.types.set(key, (type = await typeOf()));
  }
  if (POLICIES[type].listsMembers) return command;
  const [app, groupId] = splitAppKey(key);
  const present = !command.by.admin && (await inRoom(broker, app, groupId, command.message.from));
  return { ...command, live: { seq: live.seqs.next(key, command.now), inRoom: present } };
}

/**
 * On the owner node, after the append and before the answer: room entries and exits the command
 * made, and their after-callbacks. A live room's joins store no event to carry those, so they
 * are queued here, durably, before the user is answered.
 */
export async function settleRooms(broker: ServiceBroker, key: string, out: Outgoing[], via?: Via): Promise<void> {
  const [app, groupId] = splitAppKey(key);
  for (const o of out) {
    if (o.kind !== 'room') continue;
    if (o.op === 'enter') await enterRoom(broker, app, groupId, o.user);
    else await leaveRoom(broker, app, groupId, o.user);
    const [command, body] =
      o.op === 'enter'
        ? ['Group.CallbackAfterNewMemberJoin', { JoinType: 'Apply', Operator_Account: o.user, NewMemberList: [{ Member_Account: o.user }] }]
        : ['Group.CallbackAfterMemberExit', { ExitType: 'Quit', Operator_Account: o.user, ExitMemberList: [{ Member_Account: o.user }] }];
    await queueAfter(broker, { app, command, body: { GroupId: groupId, Type: 'AVChatRoom', ...body }, orderKey: `group:${groupId}`, ...viaParams(via) });
  }
}

/** Runs `push` after the group's earlier room pushes. */
export function inOrder<T>(broker: ServiceBroker, key: string, push: () => Promise<T>): Promise<T> {
  const { chains } = liveOf(broker);
  const next = (chains.get(key) ?? Promise.resolve()).then(push, push);
  const tail = next.catch(() => undefined);
  chains.set(key, tail);
  void tail.then(() => chains.get(key) === tail && chains.delete(key));
  return next;
}
