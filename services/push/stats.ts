/** Counters of this node's pushes per provider (push.stats, and Moleculer metrics when enabled). */
import type { ServiceBroker } from 'moleculer';
import type { SendOutcome } from './providers/port';

export const PUSH_METRIC = 'parley.push.sent';

export class PushStats {
  readonly byProvider: Record<string, { ok: number; failed: number; gone: number }> = {};

  constructor(private readonly broker: ServiceBroker) {
    if (broker.isMetricsEnabled()) broker.metrics.register({ name: PUSH_METRIC, type: 'counter', labelNames: ['provider', 'outcome'], description: 'Pushes handed to providers, by outcome' });
  }

  count(provider: string, o: SendOutcome): void {
    const c = (this.byProvider[provider] ??= { ok: 0, failed: 0, gone: 0 });
    const outcome = o.ok ? 'ok' : o.gone ? 'gone' : 'failed';
    c[outcome]++;
    if (this.broker.isMetricsEnabled()) this.broker.metrics.increment(PUSH_METRIC, { provider, outcome });
  }
}
