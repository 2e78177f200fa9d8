/**
 * What other contexts read of this node's connector, without a call: who is connected here
 * (statistics' online samples, the metrics' gauges). Undefined where no connector runs.
 */
import type { ServiceBroker } from 'moleculer';
import type { Gateway } from './gateway';

export interface LocalSockets {
  /** Open WebSocket connections, logged in or not. */
  connections: number;
  /** Logged-in sessions. */
  sessions: number;
  /** Distinct logged-in users per app. */
  usersByApp: Map<number, number>;
}

export function localSockets(broker: ServiceBroker): LocalSockets | undefined {
  const gateway = (broker.getLocalService('connector') as { gateway?: Gateway } | undefined)?.gateway;
  if (!gateway) return undefined;
  return { connections: gateway.size, sessions: gateway.loggedIn, usersByApp: gateway.usersByApp() };
}
