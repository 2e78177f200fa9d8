/**
 * Fast failover on NATS: a node killed without a goodbye is found gone from the transporter,
 * within a probe period, instead of after the heartbeat timeout (6 s by default).
 *
 * Each node answers requests on a subject of its own. When a node's process dies, the NATS
 * server closes its connection at once (the kernel closes the socket) and drops its
 * subscriptions, so a request to that subject fails straight away with "no responders" — a
 * fact from the transporter, not a guess from silence. Every node probes each peer that has
 * answered before; on "no responders" it tells Moleculer the peer is gone, which drops the
 * peer's services, rejects the requests pending on it (the actor router retries those on the
 * keys' new owners) and moves its actors. A peer that is merely slow times out and is left to
 * the heartbeat rule. Fencing by the event log keeps this safe if a node is ever declared gone
 * wrongly: its stale activations cannot append, and it comes back with its next heartbeat.
 *
 * Moleculer's own transporter offers no such signal, and a Moleculer packet sent to a dead
 * node is silently dropped; hence this probe beside it, on the transporter's own connection.
 */
import type { Middleware, ServiceBroker } from 'moleculer';

/** The subset of a nats.js v2 connection the probe uses. */
interface NatsLike {
  subscribe(subject: string, opts: { callback: (err: unknown, msg: { respond(data?: Uint8Array): boolean }) => void }): { unsubscribe(): void };
  request(subject: string, data: Uint8Array, opts: { timeout: number; noMux?: boolean }): Promise<unknown>;
}

interface RegistryLike {
  nodes: { disconnected(nodeID: string, unexpected: boolean): void; list(opts: { onlyAvailable: boolean }): { id: string; local: boolean }[] };
}

const NO_RESPONDERS = '503';

export function livenessMiddleware(probeMs: number): Middleware {
  let timer: NodeJS.Timeout | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  return {
    started(broker: ServiceBroker) {
      const nats = natsOf(broker);
      if (!nats || probeMs <= 0) return;
      const subject = (nodeID: string) => `parley.alive.${broker.namespace || '-'}.${nodeID}`;
      subscription = nats.subscribe(subject(broker.nodeID), { callback: (_err, msg) => void msg.respond() });
      /** Peers that answered a probe once: only these can be declared gone (a plain client never answers). */
      const answered = new Set<string>();
      const inFlight = new Set<string>();
      const registry = broker.registry as unknown as RegistryLike;
      timer = setInterval(() => {
        for (const node of registry.nodes.list({ onlyAvailable: true })) {
          if (node.local || inFlight.has(node.id)) continue;
          inFlight.add(node.id);
          nats
            .request(subject(node.id), new Uint8Array(0), { timeout: Math.max(probeMs * 2, 500), noMux: true })
            .then(() => void answered.add(node.id))
            .catch((err: { code?: string }) => {
              if (err?.code !== NO_RESPONDERS || !answered.has(node.id)) return broker.logger.debug(`liveness probe of ${node.id}: ${err?.code}`);
              answered.delete(node.id);
              broker.logger.warn(`node ${node.id} has left the transporter (seen from ${broker.nodeID}): its actors move now`);
              registry.nodes.disconnected(node.id, true);
            })
            .finally(() => inFlight.delete(node.id));
        }
      }, probeMs);
      timer.unref();
    },
    stopping() {
      clearInterval(timer);
      subscription?.unsubscribe();
    },
  } as Middleware;
}

/** The transporter's NATS connection, when the broker runs on NATS (nats.js v2). */
function natsOf(broker: ServiceBroker): NatsLike | undefined {
  const client = (broker as unknown as { transit?: { tx?: { client?: unknown } } }).transit?.tx?.client as Partial<NatsLike> | undefined;
  return client && typeof client.request === 'function' && typeof client.subscribe === 'function' ? (client as NatsLike) : undefined;
}
