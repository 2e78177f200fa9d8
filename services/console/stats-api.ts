/**
 * The console's statistics: the stats context's daily series and live figures, for the
 * signed-in app only (the app comes from the sign-in, never from the request).
 */
import type { ServiceBroker } from 'moleculer';
import { REST, Refusal } from '../rest/admin-auth';

export async function statsAnswer(broker: ServiceBroker, app: number, resource: string, query: URLSearchParams): Promise<Record<string, unknown>> {
  if (resource === 'stats/live') return { Live: await broker.call('stats.live', { app }) };
  const raw = query.get('days') ?? '30';
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 366) throw new Refusal(REST.BAD_URL, 'days must be a whole number from 1 to 366');
  return { Days: await broker.call('stats.daily', { app, days: Number(raw) }) };
}
