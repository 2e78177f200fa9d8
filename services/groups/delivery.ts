/**
 * Fan-out of one group push: the presence directory says which nodes hold which members'
 * Online devices; each such node gets one `connector.pushMany` with its members and the body,
 * which it serialises once and writes to every local socket of those members. A member on no
 * node costs nothing beyond the directory lookup.
 */
import type { ServiceBroker } from 'moleculer';
import type { PushManyParams } from '../connector.service';
import type { DeviceRecord } from '../presence/directory';

/** presence.query takes at most this many users per call. */
const QUERY_CHUNK = 500;

export interface FanOutResult {
  nodes: number;
  devices: number;
}

export async function deliverToMembers(broker: ServiceBroker, app: number, users: string[], servcmd: string, body: object): Promise<FanOutResult> {
  if (users.length === 0) return { nodes: 0, devices: 0 };
  const chunks: string[][] = [];
  for (let i = 0; i < users.length; i += QUERY_CHUNK) chunks.push(users.slice(i, i + QUERY_CHUNK));
  const found = await Promise.all(chunks.map((chunk) => broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users: chunk })));
  const byNode = new Map<string, Set<string>>();
  for (const part of found) {
    for (const [user, devices] of Object.entries(part)) {
      for (const d of devices) {
        if (d.status !== 'Online') continue;
        let set = byNode.get(d.nodeID);
        if (!set) byNode.set(d.nodeID, (set = new Set()));
        set.add(user);
      }
    }
  }
  const counts = await Promise.all(
    [...byNode].map(([nodeID, members]) =>
      broker
        .call<number, PushManyParams>('connector.pushMany', { app, userIds: [...members], servcmd, body }, { nodeID })
        // A node that died since the directory was written: its devices sync when they reconnect.
        .catch(() => 0),
    ),
  );
  return { nodes: byNode.size, devices: counts.reduce((a, b) => a + b, 0) };
}
