/**
 * Delivers the after-callbacks of the outbox shards this node owns (the loop itself is
 * runtime/queue-shard.ts): per round the oldest pending item of every orderKey is sent (so one
 * key never overtakes itself, while a slow key does not hold the others), successes are
 * acknowledged in one Delivered event, and failures retried with exponential backoff until the
 * app's retryMaxAgeMs, then GaveUp.
 * At least once: a crash between the backend's 200 and the Delivered append resends.
 */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { appOfOutboxKey, type OutboxCommand, type OutboxItem, type OutboxReply } from '../../actors/outbox';
import type { CallbackSettings } from '../../actors/apps/settings/callbacks';
import { QueueShards, type ShardOutcome, type ShardQueue } from '../../runtime/queue-shard';
import { postJson } from './http';
import { callbackTarget } from './request';
import { appCallbackSettings } from './settings';
import { LOCAL, type CallbackSent } from '../events';

export interface DelivererDeps {
  broker: ServiceBroker;
  call(key: string, command: OutboxCommand): Promise<OutboxReply>;
  owns(key: string): boolean;
  log: LoggerInstance;
}

/** Items read per round. */
const WINDOW = 1000;
const TUNING = {
  parallel: 64,
  actorErrorPauseMs: 1000,
  // A round usually sends one item at a low rate: writes wait up to 50 ms or 256 ids.
  ackDelayMs: 50,
  ackBatch: 256,
  // Delays an after-callback by at most roundPaceMs.
  roundPaceMs: 50,
  paceBelow: 16,
};

export class Deliverers extends QueueShards<OutboxItem, CallbackSettings> {
  constructor(deps: DelivererDeps) {
    super((key) => outboxQueue(key, deps));
  }
}

function outboxQueue(key: string, deps: DelivererDeps): ShardQueue<OutboxItem, CallbackSettings> {
  const app = appOfOutboxKey(key);
  const { broker, log } = deps;
  const request = (item: OutboxItem) => `webhook ${item.command} of app ${app} (request ${key}#${item.id})`;

  /** For the statistics and metrics of this node (services/events.ts LOCAL). */
  const counted = <T extends true | string>(item: OutboxItem, outcome: T): T => {
    broker.localBus.emit(LOCAL.CALLBACK_SENT, { app, command: item.command, answered: outcome === true } satisfies CallbackSent);
    return outcome;
  };

  /** true, or why it failed. Tencent: anything but HTTP 200 with JSON is a failure; the code inside is ignored. */
  const send = async (item: OutboxItem, s: CallbackSettings): Promise<true | string> => {
    try {
      const url = callbackTarget(s, { app, command: item.command, platform: item.platform, clientIp: item.clientIp });
      const answer = await postJson(url, item.body, s.timeoutMs, 'after');
      if (answer.status !== 200) return counted(item, `HTTP ${answer.status}`);
      JSON.parse(answer.text);
      return counted(item, true);
    } catch (err) {
      return counted(item, err instanceof SyntaxError ? 'answer is not JSON' : (err as Error).message);
    }
  };

  return {
    name: 'outbox',
    unackedName: 'deliveries',
    tuning: TUNING,
    log,
    owns: () => deps.owns(key),
    idOf: (item) => item.id,
    pending: async (delivered) => ((await deps.call(key, { op: 'pending', limit: WINDOW, delivered, now: Date.now() })) as { items: OutboxItem[] }).items,
    acknowledge: async (ids) => void (await deps.call(key, { op: 'delivered', ids, now: Date.now() })),
    settings: () => {
      const settings = appCallbackSettings(broker, app);
      return settings && settings.url !== '' ? settings : { off: 'webhooks are off for the app' };
    },
    candidates: headsOf,
    async deliver(item, earlier, s): Promise<ShardOutcome> {
      const sent = await send(item, s);
      if (sent === true) return 'done';
      const attempts = earlier + 1;
      if (Date.now() - item.at >= s.retryMaxAgeMs) return { giveUp: `${sent} after ${attempts} attempts`, attempts };
      return { retry: sent };
    },
    retrying(item, why, attempts, delay) {
      const line = `${request(item)} failed: ${why}; attempt ${attempts}, next in ${Math.round(delay)} ms`;
      if (attempts === 1) log.warn(line);
      else log.debug(line);
    },
    async giveUp(item, reason, attempts) {
      await deps.call(key, { op: 'giveUp', id: item.id, attempts, reason, now: Date.now() });
      log.error(`${request(item)} given up: ${reason}`);
    },
  };
}

/** The oldest pending item of each orderKey, oldest first. */
function headsOf(items: OutboxItem[]): OutboxItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.orderKey) && (seen.add(item.orderKey), true));
}
