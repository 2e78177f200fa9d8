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
 *
 * A node that finds a peer gone also tells the others (one publish on the namespace's `gone`
 * subject; only about a peer that answers probes, so never about a plain client). A node told so probes
 * that peer at once and drops it unless it answers: with several
 * nodes probing, one "no responders" is enough for all of them, even where another node's own
 * probes were timing out on a busy machine (seen: a node that learned of a kill only from the
 * heartbeat timeout, 9 s later, while the other had moved the actors in 200 ms).
 */
import type { Middleware, ServiceBroker } from 'moleculer';

/** The subset of a nats.js v2 connection the probe uses. */
interface NatsLike {
  subscribe(subject: string, opts: { callback: (err: unknown, msg: { data: Uint8Array; respond(data?: Uint8Array): boolean }) => void }): { unsubscribe(): void };
  publish(subject: string, data: Uint8Array): void;
  request(subject: string, data: Uint8Array, opts: { timeout: number; noMux?: boolean }): Promise<unknown>;
}

interface RegistryLike {
  nodes: {
    disconnected(nodeID: string, unexpected: boolean): void;
    list(opts: { onlyAvailable: boolean }): { id: string; local: boolean; metadata?: Record<string, unknown> }[];
  };
}

const NO_RESPONDERS = '503';

/** Node metadata key (moleculer.config.ts) of nodes that answer probes. */
export const LIVENESS_METADATA = 'parleyLiveness';

/**
 * How long after a probing node first lists a peer that declares it answers probes it takes "no
 * responders" as gone even if the peer never answered yet: the peer's INFO can arrive a moment
 * before its responder subscribes. A peer killed a second after joining, before any probe had
 * reached it, was otherwise only found by the heartbeat timeout (seen in 1 failover run of 14).
 */
const GRACE_MS = 1_000;

export function livenessMiddleware(probeMs: number): Middleware {
  let timer: NodeJS.Timeout | undefined;
  const subscriptions: { unsubscribe(): void }[] = [];
  return {
    started(broker: ServiceBroker) {
      const nats = natsOf(broker);
      if (!nats || probeMs <= 0) return;
      const ns = broker.namespace || '-';
      const subject = (nodeID: string) => `parley.alive.${ns}.${nodeID}`;
      const goneSubject = `parley.gone.${ns}`;
      const registry = broker.registry as unknown as RegistryLike;
      /** Peers that answered a probe once: only these can be declared gone (a plain client never answers). */
      const answered = new Set<string>();
      const inFlight = new Set<string>();
      const timeout = Math.max(probeMs * 2, 500);

      const drop = (nodeID: string, how: string) => {
        answered.delete(nodeID);
        listedAt.delete(nodeID);
        if (!registry.nodes.list({ onlyAvailable: true }).some((n) => n.id === nodeID)) return;
        broker.logger.warn(`node ${nodeID} has left the transporter (${how}, seen from ${broker.nodeID}): its actors move now`);
        registry.nodes.disconnected(nodeID, true);
      };
      /** When this node first listed each peer that says it answers probes. */
      const listedAt = new Map<string, number>();
      const known = (nodeID: string) => answered.has(nodeID) || Date.now() - (listedAt.get(nodeID) ?? Infinity) >= GRACE_MS;
      const probe = (nodeID: string, told: boolean) => {
        if (inFlight.has(nodeID)) return;
        inFlight.add(nodeID);
        nats
          .request(subject(nodeID), new Uint8Array(0), { timeout, noMux: true })
          .then(() => void answered.add(nodeID))
          .catch((err: { code?: string }) => {
            // Told by a peer that had seen it answer, a missing answer is enough; on our own, only
            // "no responders" from a peer that answered before is (a plain client never answers).
            if (told || (known(nodeID) && err?.code === NO_RESPONDERS)) {
              drop(nodeID, told ? 'told by a peer' : 'no responders');
              if (!told) nats.publish(goneSubject, new TextEncoder().encode(nodeID));
            } else broker.logger.debug(`liveness probe of ${nodeID}: ${err?.code}`);
          })
          .finally(() => inFlight.delete(nodeID));
      };

      subscriptions.push(nats.subscribe(subject(broker.nodeID), { callback: (_err, msg) => void msg.respond() }));
      subscriptions.push(
        nats.subscribe(goneSubject, {
          callback: (_err, msg) => {
            const nodeID = new TextDecoder().decode(msg.data);
            // Not only peers this node saw answer: one killed a second after it joined may never
            // have answered this node's first, slow probes (seen under load), yet the teller's.
            if (nodeID !== broker.nodeID) {
              inFlight.delete(nodeID); // a probe stuck on a timeout must not delay this one
              probe(nodeID, true);
            }
          },
        }),
      );
      timer = setInterval(() => {
        for (const node of registry.nodes.list({ onlyAvailable: true })) {
          if (node.local) continue;
          if (node.metadata?.[LIVENESS_METADATA] === true && !listedAt.has(node.id)) listedAt.set(node.id, Date.now());
          probe(node.id, false);
        }
      }, probeMs);
      timer.unref();
    },
    stopping() {
      clearInterval(timer);
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    },
  } as Middleware;
}

/** The transporter's NATS connection, when the broker runs on NATS (nats.js v2). */
function natsOf(broker: ServiceBroker): NatsLike | undefined {
  const client = (broker as unknown as { transit?: { tx?: { client?: unknown } } }).transit?.tx?.client as Partial<NatsLike> | undefined;
  return client && typeof client.request === 'function' && typeof client.subscribe === 'function' && typeof client.publish === 'function' ? (client as NatsLike) : undefined;
}
