/**
 * Routes a command to the one node that owns its actor key: consistent hashing over the
 * nodes hosting the actor's service, rebuilt whenever the service map changes. A command that
 * met a stale activation, a vanished node or a not-yet-known service is retried on the owner.
 */
import type { ServiceBroker } from 'moleculer';
import { HashRing } from '../ring';
import { toMoleculerError } from './errors';

/** Error types after which the command may run again on the key's (new) owner. */
interface ServiceEntry {
  name: string;
  fullName?: string;
  nodeID: string;
}

const RETRYABLE = new Set(['ACTOR_STALE', 'SERVICE_NOT_AVAILABLE', 'SERVICE_NOT_FOUND', 'REQUEST_REJECTED']);

export interface RouteOptions {
  /** Give up after this long in all, in ms. Default: the broker's request timeout or 10 s. */
  timeoutMs?: number;
  /** Caller context to link tracing and propagate the request id. */
  parentCtx?: unknown;
}

export class ActorRouter {
  private readonly rings = new Map<string, HashRing>();
  private readonly listeners: ((service: string) => void)[] = [];

  constructor(private readonly broker: ServiceBroker) {
    const reset = () => {
      this.rings.clear();
      for (const listener of this.listeners) listener('*');
    };
    broker.localBus.on('$services.changed', reset);
    broker.localBus.on('$node.disconnected', reset);
  }

  /** The ring of the nodes currently hosting `service`. */
  ring(service: string): HashRing {
    let ring = this.rings.get(service);
    if (ring === undefined) {
      // The catalogue lists one entry per (service, node); Moleculer's typings omit nodeID.
      const entries = this.broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as unknown as ServiceEntry[];
      const nodes = entries.filter((s) => s.fullName === service || s.name === service).map((s) => s.nodeID);
      ring = new HashRing(nodes);
      this.rings.set(service, ring);
    }
    return ring;
  }

  ownerOf(service: string, key: string): string | undefined {
    return this.ring(service).owner(key);
  }

  /** Called (with '*') whenever placement may have changed. */
  onChange(listener: (service: string) => void): void {
    this.listeners.push(listener);
  }

  call<R>(service: string, key: string, command: object, options: RouteOptions = {}): Promise<R> {
    const timeoutMs = options.timeoutMs ?? ((this.broker.options.requestTimeout || 10_000) as number);
    const deadline = Date.now() + timeoutMs;
    // The common case of an embedded node, without the retry loop's async frame: the key's
    // owner is this node. A retryable failure goes on in the loop, as it would have there.
    const host = this.ownerOf(service, key) === this.broker.nodeID ? localHost(this.broker, service) : undefined;
    if (!host) return this.route<R>(service, key, command, options, timeoutMs, deadline);
    return host.execute(key, command, deadline - expiryMargin(timeoutMs)).then(
      (result) => result.reply as R,
      (raw: unknown) => {
        const err = toMoleculerError(raw);
        const type = (err as { type?: string }).type ?? '';
        if (!RETRYABLE.has(type) || Date.now() + backoff(0) >= deadline) throw err;
        if (type !== 'ACTOR_STALE') this.rings.delete(service);
        return sleep(backoff(0)).then(() => this.route<R>(service, key, command, options, timeoutMs, deadline, 1));
      },
    );
  }

  private async route<R>(service: string, key: string, command: object, options: RouteOptions, timeoutMs: number, deadline: number, first = 0): Promise<R> {
    for (let attempt = first; ; attempt++) {
      const nodeID = this.ownerOf(service, key);
      try {
        if (nodeID === undefined) throw Object.assign(new Error(`no node hosts ${service}`), { type: 'SERVICE_NOT_AVAILABLE' });
        if (nodeID === this.broker.nodeID) {
          const host = localHost(this.broker, service);
          if (host) return await runLocally<R>(host, key, command, deadline - expiryMargin(timeoutMs));
        }
        return await this.broker.call<R, object>(
          `${service}.dispatch`,
          { key, command },
          { nodeID, timeout: Math.max(1, deadline - Date.now()), parentCtx: options.parentCtx as never },
        );
      } catch (err) {
        const type = (err as { type?: string }).type ?? '';
        if (!RETRYABLE.has(type) || Date.now() + backoff(attempt) >= deadline) throw err;
        if (type !== 'ACTOR_STALE') this.rings.delete(service);
        await sleep(backoff(attempt));
      }
    }
  }
}

interface LocalHost {
  execute(key: string, command: object, deadline?: number): Promise<{ reply: unknown }>;
}

/**
 * How long before the caller's deadline a command still in its actor's mailbox is given up
 * (runtime/host.ts): the caller's own timer started a little earlier than this call's, and the
 * command must not be run after the caller has answered that it failed.
 */
export const expiryMargin = (timeoutMs: number) => Math.min(1000, timeoutMs / 10);

/**
 * The host of `service` on this node, once started. Calling it directly rather than through
 * `broker.call(…dispatch)` spares a context, validation and the middleware chain on every
 * actor command of an embedded node (commands come from our own services, already checked).
 */
function localHost(broker: ServiceBroker, service: string): LocalHost | undefined {
  return (broker.getLocalService(service) as unknown as { actorHost?: LocalHost } | undefined)?.actorHost;
}

async function runLocally<R>(host: LocalHost, key: string, command: object, deadline: number): Promise<R> {
  try {
    return (await host.execute(key, command, deadline)).reply as R;
  } catch (err) {
    throw toMoleculerError(err);
  }
}

const backoff = (attempt: number) => Math.min(500, 10 * 2 ** attempt);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const routers = new WeakMap<ServiceBroker, ActorRouter>();

/** The router of a broker, created on first use. */
export function routerOf(broker: ServiceBroker): ActorRouter {
  let router = routers.get(broker);
  if (!router) {
    router = new ActorRouter(broker);
    routers.set(broker, router);
  }
  return router;
}
