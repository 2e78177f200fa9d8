/**
 * Delivery to a user's devices anywhere in the cluster: the presence directory says which
 * nodes hold the user's Online devices, and exactly those nodes get one `connector.push` each
 * — never a broadcast to every node. A node writes the same serialised frame to each of its
 * sockets of the user.
 */
import type { ServiceBroker } from 'moleculer';
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
  const found = await broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users: [userId] });
  const byNode = new Map<string, string[]>();
  for (const d of found[userId] ?? []) {
    if (d.status !== 'Online' || d.instId === options.exceptInstId) continue;
    byNode.set(d.nodeID, [...(byNode.get(d.nodeID) ?? []), d.instId]);
  }
  const counts = await Promise.all(
    [...byNode].map(([nodeID, instIds]) =>
      broker
        .call<number, PushParams>('connector.push', { app, userId, servcmd, body, instIds }, { nodeID })
        // A node that died since the directory was written: its devices sync when they reconnect.
        .catch(() => 0),
    ),
  );
  return { nodes: byNode.size, devices: counts.reduce((a, b) => a + b, 0) };
}
