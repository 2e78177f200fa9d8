/**
 * Fan-out of group pushes. The presence directory says which nodes hold which recipients'
 * Online devices (read in place on this node, a Redis script per 500 users in a cluster, no
 * Moleculer hop); each such node gets one `connector.pushMany` with its members and the body,
 * which it serialises once and writes to every local socket of those members. A member on no
 * node costs only the lookup; one who went offline since is no longer in the directory, and a
 * node only writes to sockets it still holds.
 *
 * Per group, pushes leave in the order the group produced them: one fan-out at a time. Pushes
 * that queued meanwhile for the same recipients go out together as one frame, whose EventArray
 * carries them all in order (the SDK walks the array), so a busy group costs one socket write
 * per member per fan-out rather than per message. Under no load nothing waits: a lone push
 * starts at once. Two marks let other pushes join this path without breaking its runs (reaction
 * changes, services/reactions/pushes.ts): a `lead` push to one user leaves before the rest of
 * the batch it was drained with, and a push that `replaces` a key takes the place of the
 * earlier event with that key in the same frame.
 */
import type { ServiceBroker } from 'moleculer';
import type { PushManyParams } from '../connector/types';
import { jsonBytes, REPLY_BUDGET_BYTES } from '../commands/reply-budget';
import { deliveryDirectoryOf } from '../presence/client';

export interface FanOutResult {
  nodes: number;
  devices: number;
}

export interface GroupPush {
  users: string[];
  servcmd: string;
  body: object;
  /**
   * May leave ahead of the pushes drained with it (never ahead of those of an earlier batch):
   * for a push to a user or two whose order against the others does not matter, so that it does
   * not split their run. Lead pushes to the same users keep their order; those to different
   * users go out side by side.
   */
  lead?: boolean;
  /**
   * A one-event push that carries the whole current state of something (a reaction's summary):
   * a later push with the same key in the same merged frame takes this one's event's place.
   */
  replaces?: string;
}

/**
 * At most this many events, and REPLY_BUDGET_BYTES of them, in one merged frame: a group
 * message is at most 12 KB, and a socket with more than 512 KiB queued is cut off as a slow
 * reader (services/connector).
 */
const MAX_MERGED_EVENTS = 16;

interface Entry {
  push: GroupPush;
  resolve(result: FanOutResult): void;
  reject(err: unknown): void;
}

/** Per broker (tests run several in one process): pushes waiting per `app:groupId`. */
const queues = new WeakMap<ServiceBroker, Map<string, Entry[]>>();

/** Queues one command's pushes behind the group's earlier ones; resolves once each went out. */
export function deliverInOrder(broker: ServiceBroker, app: number, groupId: string, pushes: GroupPush[]): Promise<FanOutResult[]> {
  let byGroup = queues.get(broker);
  if (!byGroup) queues.set(broker, (byGroup = new Map()));
  const key = `${app}:${groupId}`;
  const entries: Entry[] = [];
  const results = pushes.map((push) => new Promise<FanOutResult>((resolve, reject) => entries.push({ push, resolve, reject })));
  const queue = byGroup.get(key);
  if (queue) queue.push(...entries);
  else {
    byGroup.set(key, entries);
    void drain(broker, app, byGroup, key, entries);
  }
  return Promise.all(results);
}

async function drain(broker: ServiceBroker, app: number, byGroup: Map<string, Entry[]>, key: string, queue: Entry[]): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, queue.length);
    await Promise.all([...leadsByUsers(batch)].map(async (leads) => {
      for (const run of merged(leads)) await send(broker, app, run);
    }));
    for (const run of merged(batch.filter((e) => !e.push.lead))) await send(broker, app, run);
  }
  byGroup.delete(key);
}

async function send(broker: ServiceBroker, app: number, run: { push: GroupPush; entries: Entry[] }): Promise<void> {
  try {
    const result = await deliverToMembers(broker, app, run.push.users, run.push.servcmd, run.push.body);
    for (const e of run.entries) e.resolve(result);
  } catch (err) {
    for (const e of run.entries) e.reject(err);
  }
}

/** A batch's lead pushes per recipient list, each list's in order. */
function leadsByUsers(batch: Entry[]): Iterable<Entry[]> {
  const by = new Map<string, Entry[]>();
  for (const e of batch) {
    if (!e.push.lead) continue;
    const users = e.push.users.join('\n');
    const list = by.get(users);
    if (list) list.push(e);
    else by.set(users, [e]);
  }
  return by.values();
}

type EventBody = { EventArray: Record<string, unknown>[] };
const isEventBody = (body: object): body is EventBody => Array.isArray((body as Partial<EventBody>).EventArray) && Object.keys(body).length === 1;

function sameUsers(a: string[], b: string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Consecutive pushes to the same recipients with the same servcmd, as one push each. */
export function merged(entries: Entry[]): { push: GroupPush; entries: Entry[] }[] {
  // `bytes` is measured only once a push could join the run: a lone push costs no serialising here.
  const runs: { push: GroupPush; entries: Entry[]; events: number; bytes?: number; keys?: Map<string, { at: number; bytes?: number }> }[] = [];
  for (const e of entries) {
    const last = runs[runs.length - 1];
    const body = e.push.body;
    const key = e.push.replaces !== undefined && isEventBody(body) && body.EventArray.length === 1 ? e.push.replaces : undefined;
    if (last && isEventBody(last.push.body) && isEventBody(body) && last.push.servcmd === e.push.servcmd && sameUsers(last.push.users, e.push.users)) {
      const earlier = key === undefined ? undefined : last.keys?.get(key);
      if (earlier || last.events + body.EventArray.length <= MAX_MERGED_EVENTS) {
        last.bytes ??= jsonBytes(last.push.body);
        const bytes = jsonBytes(body);
        // A replaced event's size is known once it was itself merged; the first one's stays counted.
        const freed = earlier?.bytes ?? 0;
        if (last.bytes - freed + bytes <= REPLY_BUDGET_BYTES) {
          const events = [...last.push.body.EventArray];
          if (earlier) {
            events[earlier.at] = body.EventArray[0];
            earlier.bytes = bytes;
          } else {
            if (key !== undefined) (last.keys ??= new Map()).set(key, { at: events.length, bytes });
            events.push(...body.EventArray);
            last.events += body.EventArray.length;
          }
          last.push = { ...last.push, body: { EventArray: events } };
          last.bytes += bytes - freed;
          last.entries.push(e);
          continue;
        }
      }
    }
    runs.push({ push: e.push, entries: [e], events: isEventBody(body) ? body.EventArray.length : MAX_MERGED_EVENTS, ...(key !== undefined ? { keys: new Map([[key, { at: 0 }]]) } : {}) });
  }
  return runs;
}

/** Which node holds which of the users' Online devices: this node's directory, else presence's. */
async function placement(broker: ServiceBroker, app: number, users: string[]): Promise<Map<string, string[]>> {
  const directory = deliveryDirectoryOf(broker);
  if (directory) return directory.placement(app, users);
  return new Map(Object.entries(await broker.call<Record<string, string[]>, object>('presence.placement', { app, users })));
}

export async function deliverToMembers(broker: ServiceBroker, app: number, users: string[], servcmd: string, body: object): Promise<FanOutResult> {
  if (users.length === 0) return { nodes: 0, devices: 0 };
  const byNode = await placement(broker, app, users);
  const counts = await Promise.all([...byNode].map(([nodeID, userIds]) => pushTo(broker, nodeID, { app, userIds, servcmd, body })));
  return { nodes: byNode.size, devices: counts.reduce((a, b) => a + b, 0) };
}

/**
 * Users per pushMany on this node. The call runs on this event loop and writes to every socket
 * before it returns; in slices, acknowledgements and appends go on between them, and the
 * group's next pushes queue up meanwhile to leave merged. Each slice serialises the frame
 * again, a few microseconds against hundreds of socket writes. Measured on a 2,000-member
 * group (bench/groups.ts): 250 merged more under a flood (closed loop), 500 kept a steady
 * 20 messages/s at about a third of 250's p99; whole (no slices), 20/s fell behind for good.
 */
const LOCAL_SLICE = 500;

async function pushTo(broker: ServiceBroker, nodeID: string, params: PushManyParams): Promise<number> {
  const call = (userIds: string[]) =>
    broker
      .call<number, PushManyParams>('connector.pushMany', { ...params, userIds }, { nodeID })
      // A node that died since the directory was written: its devices sync when they reconnect.
      .catch(() => 0);
  if (nodeID !== broker.nodeID || params.userIds.length <= LOCAL_SLICE) return call(params.userIds);
  let sent = 0;
  for (let i = 0; i < params.userIds.length; i += LOCAL_SLICE) {
    if (i > 0) await new Promise(setImmediate);
    sent += await call(params.userIds.slice(i, i + LOCAL_SLICE));
  }
  return sent;
}
