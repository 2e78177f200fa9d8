/**
 * Delivery to users' devices anywhere in the cluster: the presence directory says which nodes
 * hold their Online devices, and exactly those nodes get one push each — never a broadcast to
 * every node. A node writes the same serialised frame to each of its sockets of those users.
 */
import type { ServiceBroker } from 'moleculer';
import { deliveryDirectoryOf } from '../presence/client';
import type { DeviceRecord } from '../presence/directory';

export interface PushParams {
  app: number;
  userId: string;
  servcmd: string;
  body: object;
  /** Only these SDK instances (default: every device of the user on the node). */
  instIds?: string[];
}

export interface DeliverOptions {
  /** Skip this SDK instance (the sender's own device). */
  exceptInstId?: string;
}

export interface DeliveryResult {
  /** Nodes that were asked to push. */
  nodes: number;
  /** Sockets that took the frame. */
  devices: number;
}

export async function deliverToUser(
  broker: ServiceBroker,
  app: number,
  userId: string,
  servcmd: string,
  body: object,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  return deliverToUsers(broker, app, [{ userId, exceptInstId: options.exceptInstId }], servcmd, body);
}

/** A user whose Online devices get a push, but for one (the device that acted). */
export interface Recipient {
  userId: string;
  exceptInstId?: string;
}

/** What one node pushes: the devices of each user there, one frame for all. */
export interface PushToParams {
  app: number;
  servcmd: string;
  body: object;
  /** Each user's devices to reach; every local device of the user without `instIds`. */
  targets: { userId: string; instIds?: string[] }[];
}

/** What a node's connector service offers for a push from its own node, without a Moleculer call. */
export interface LocalPusher {
  pushTo(params: PushToParams): number;
}

/** Which nodes hold which Online devices of the recipients (the acting device left out). */
async function devicesByNode(broker: ServiceBroker, app: number, recipients: Recipient[]): Promise<Map<string, Map<string, string[]>>> {
  const userIds = [...new Set(recipients.map((r) => r.userId))];
  const directory = deliveryDirectoryOf(broker);
  const found = directory
    ? await directory.devicesOfMany(app, userIds)
    : new Map(Object.entries(await broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users: userIds })));
  const byNode = new Map<string, Map<string, string[]>>();
  for (const { userId, exceptInstId } of recipients) {
    for (const d of found.get(userId) ?? []) {
      if (d.status !== 'Online' || d.instId === exceptInstId) continue;
      let users = byNode.get(d.nodeID);
      if (!users) byNode.set(d.nodeID, (users = new Map()));
      const instIds = users.get(userId) ?? [];
      if (!instIds.includes(d.instId)) users.set(userId, [...instIds, d.instId]);
    }
  }
  return byNode;
}

const pushOf = (app: number, servcmd: string, body: object, users: Map<string, string[]>): PushToParams => ({
  app,
  servcmd,
  body,
  targets: [...users].map(([userId, instIds]) => ({ userId, instIds })),
});

const localPusher = (broker: ServiceBroker) => broker.getLocalService('connector') as unknown as Partial<LocalPusher> | undefined;

/**
 * One push to several users (a one-to-one message reaches the recipient and the sender's other
 * devices): one presence lookup for all of them, then one push per node holding any of their
 * devices, whose connector encodes the frame once for all its sockets. On the node itself the
 * directory and the connector are called directly: a Moleculer call would only add a context,
 * a validation pass and, in a cluster, nothing. Each node answers how many sockets took the
 * frame; a caller that does not need that count uses sendToUsers.
 */
export async function deliverToUsers(broker: ServiceBroker, app: number, recipients: Recipient[], servcmd: string, body: object): Promise<DeliveryResult> {
  const byNode = await devicesByNode(broker, app, recipients);
  const local = localPusher(broker);
  const counts = await Promise.all(
    [...byNode].map(async ([nodeID, users]) => {
      const params = pushOf(app, servcmd, body, users);
      if (nodeID === broker.nodeID && local?.pushTo) return local.pushTo(params);
      // A node that died since the directory was written: its devices sync when they reconnect.
      return broker.call<number, PushToParams>('connector.pushTo', params, { nodeID }).catch(() => 0);
    }),
  );
  return { nodes: byNode.size, devices: counts.reduce((a, b) => a + b, 0) };
}

/**
 * The event a node's connector takes one-way pushes on. It is named after the node, so an emit
 * reaches exactly that node (Moleculer 0.14's emit cannot address a node otherwise).
 */
export const pushEventOf = (nodeID: string) => `connector.push.${nodeID}`;

/**
 * deliverToUsers without the answer: another node gets its push as one Moleculer event, not a
 * request and its response, so a one-to-one message costs one packet less per remote node and
 * nothing waits on the remote sockets. Pushes are an optimisation (devices that miss one sync),
 * so nothing is lost by not hearing back; a node that died meanwhile has no listener and the
 * event goes nowhere. Answers how many nodes were sent a push.
 */
export async function sendToUsers(broker: ServiceBroker, app: number, recipients: Recipient[], servcmd: string, body: object): Promise<number> {
  const byNode = await devicesByNode(broker, app, recipients);
  const local = localPusher(broker);
  for (const [nodeID, users] of byNode) {
    const params = pushOf(app, servcmd, body, users);
    if (nodeID === broker.nodeID && local?.pushTo) local.pushTo(params);
    else void broker.emit(pushEventOf(nodeID), params);
  }
  return byNode.size;
}

/**
 * sendToUsers for many users at once when each needs its own body (a one-to-one message names
 * its recipient): one presence lookup for all of them instead of one each, then each user's
 * push to the node holding their devices (all_member_push, services/messages/broadcast.ts).
 * Answers how many users had an Online device.
 */
export async function sendEach(broker: ServiceBroker, app: number, items: { userId: string; body: object }[], servcmd: string): Promise<number> {
  if (items.length === 0) return 0;
  const bodies = new Map(items.map((i) => [i.userId, i.body]));
  const byNode = await devicesByNode(broker, app, items.map((i) => ({ userId: i.userId })));
  const local = localPusher(broker);
  const reached = new Set<string>();
  for (const [nodeID, users] of byNode) {
    for (const [userId, instIds] of users) {
      reached.add(userId);
      const params = pushOf(app, servcmd, bodies.get(userId)!, new Map([[userId, instIds]]));
      if (nodeID === broker.nodeID && local?.pushTo) local.pushTo(params);
      else void broker.emit(pushEventOf(nodeID), params);
    }
  }
  return reached.size;
}
