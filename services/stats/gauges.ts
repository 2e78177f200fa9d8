/**
 * This node's share of the process-wide metrics (runtime/metrics.ts): gauges read from the
 * connector and the actor hosts when scraped, and counters of logins and callbacks.
 */
import type { ServiceBroker } from 'moleculer';
import { addGaugeSource, callbacksSent, logins } from '../../runtime/metrics';
import { localSockets } from '../connector/client';
import { LOCAL, type CallbackSent } from '../events';

interface HostLike {
  actorHost?: { activeKeys(): string[] };
  name: string;
}

/** Starts reporting; the returned function stops it. */
export function reportMetrics(broker: ServiceBroker): { login(): void; stop(): void } {
  const removeSource = addGaugeSource({
    connections: () => localSockets(broker)?.connections ?? 0,
    sessions: () => localSockets(broker)?.sessions ?? 0,
    online: () => localSockets(broker)?.usersByApp ?? new Map(),
    actors: () => {
      const kinds = new Map<string, number>();
      for (const s of broker.services as unknown as HostLike[]) if (s.actorHost) kinds.set(s.name, (kinds.get(s.name) ?? 0) + s.actorHost.activeKeys().length);
      return kinds;
    },
  });
  const onCallback = (c: CallbackSent) => callbacksSent.inc({ outcome: c.answered ? 'answered' : 'failed' });
  broker.localBus.on(LOCAL.CALLBACK_SENT, onCallback);
  return {
    login: () => logins.inc(),
    stop: () => {
      removeSource();
      broker.localBus.off(LOCAL.CALLBACK_SENT, onCallback);
    },
  };
}
