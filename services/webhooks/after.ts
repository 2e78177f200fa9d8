/**
 * After-callbacks into the app's durable outbox, two ways:
 * - `afterFeeds`: as items written in the same transaction as the events that caused them
 *   (an actor host's side feeds), so a crash can never keep the one without the other;
 * - `callAfter`: as an enqueue command of its own, answered once the item is in the event
 *   log, for causes that are not an append (state changes) or span several actors. Calls to
 *   one outbox shard from this node are coalesced while one is in flight (one command, one
 *   append), the way the store group-commits.
 */
import type { ServiceBroker } from 'moleculer';
import type { SideFeeds } from '../../runtime/host';
import { callbackEnabled, familyOf } from '../../actors/apps/settings/callbacks';
import { ENQUEUED, outboxKeyOf, outboxKind, type NewOutboxItem, type OutboxReply } from '../../actors/outbox';
import type { FeedAppend } from '../../runtime/eventlog';
import { routerOf } from '../../runtime/moleculer/router';
import { callbackBody, optPlatform } from './request';
import { appCallbackSettings, forbidden } from './settings';

export interface AfterParams {
  app: number;
  /** An after CallbackCommand, e.g. C2C.CallbackAfterSendMsg. */
  command: string;
  /** The documented body, without CallbackCommand (added here). */
  body: Record<string, unknown>;
  /** Callbacks of one key are delivered in the order they were queued: conversation, group or user id. */
  orderKey: string;
  platform?: string;
  clientIp?: string;
  forbid?: string[];
}

export interface AfterResult {
  /** false when the app has no URL, the command is off, or ForbidCallbackControl suppressed it. */
  queued: boolean;
  id?: number;
}

/** The Moleculer service hosting the outbox actors. */
export const WEBHOOKS_SERVICE = 'webhooks';
const MAX_BATCH = 500;

export async function callAfter(broker: ServiceBroker, p: AfterParams): Promise<AfterResult> {
  const item = itemOf(broker, p);
  if (!item) return { queued: false };
  return { queued: true, id: await enqueuer(broker).enqueue(outboxKeyOf(p.app, p.orderKey), item) };
}

/**
 * `callAfter` for callers that cannot do anything about a failure but say so: it resolves once
 * the item is stored, or logs why it was not and resolves all the same.
 */
export function queueAfter(broker: ServiceBroker, p: AfterParams): Promise<void> {
  return callAfter(broker, p).then(
    () => undefined,
    (err: Error) => broker.logger.error(`app ${p.app}: ${p.command} for ${p.orderKey} not queued: ${err.message}`),
  );
}

/** The outbox item of an after-callback, or undefined when the app does not want it. */
function itemOf(broker: ServiceBroker, p: AfterParams): NewOutboxItem | undefined {
  if (familyOf(p.command) !== 'after') throw new TypeError(`${p.command} is not an after-callback`);
  const settings = appCallbackSettings(broker, p.app);
  if (!settings || !callbackEnabled(settings, p.command) || forbidden(p.command, p.forbid)) return undefined;
  return {
    command: p.command,
    orderKey: p.orderKey,
    body: callbackBody(p.command, p.body),
    platform: optPlatform(p.command, p.platform),
    clientIp: p.clientIp ?? '',
  };
}

/**
 * After-callbacks as side feeds of an actor's append: one Enqueued event per wanted callback
 * on its outbox shard's stream (id 0, numbered by the outbox in stream order), and, once the
 * append is durable, a wake-up for the shards' deliverers. Undefined when nothing is wanted.
 */
export function afterFeeds(broker: ServiceBroker, calls: AfterParams[]): SideFeeds | undefined {
  const byKey = new Map<string, FeedAppend>();
  const at = Date.now();
  for (const call of calls) {
    const item = itemOf(broker, call);
    if (!item) continue;
    const key = outboxKeyOf(call.app, call.orderKey);
    let feed = byKey.get(key);
    if (!feed) byKey.set(key, (feed = { stream: `${outboxKind.name}:${key}`, events: [] }));
    feed.events.push({ type: ENQUEUED, data: { ...item, id: 0, at } });
  }
  if (byKey.size === 0) return undefined;
  return { feeds: [...byKey.values()], then: () => waker(broker).wake(byKey.keys()) };
}

/** Wakes the deliverers of outbox shards on their owner nodes, at most once per shard per turn. */
class Waker {
  private readonly due = new Set<string>();

  constructor(private readonly broker: ServiceBroker) {}

  wake(keys: Iterable<string>): void {
    const first = this.due.size === 0;
    for (const key of keys) this.due.add(key);
    if (first && this.due.size > 0) setImmediate(() => this.flush());
  }

  private flush(): void {
    const keys = [...this.due];
    this.due.clear();
    const router = routerOf(this.broker);
    for (const key of keys) {
      const nodeID = router.ownerOf(WEBHOOKS_SERVICE, key);
      // No owner now: the deliverer starts when placement settles (webhooks.resume).
      if (nodeID === undefined) continue;
      this.broker.call(`${WEBHOOKS_SERVICE}.wake`, { key }, { nodeID }).catch((err: Error) => this.broker.logger.warn(`outbox ${key}: wake-up not delivered (${err.message}); it resumes on the next placement change`));
    }
  }
}

const wakers = new WeakMap<ServiceBroker, Waker>();
function waker(broker: ServiceBroker): Waker {
  let w = wakers.get(broker);
  if (!w) wakers.set(broker, (w = new Waker(broker)));
  return w;
}

interface Waiting {
  item: NewOutboxItem;
  resolve(id: number): void;
  reject(err: unknown): void;
}

class Enqueuer {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(private readonly broker: ServiceBroker) {}

  enqueue(key: string, item: NewOutboxItem): Promise<number> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) return void queue.push({ item, resolve, reject });
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  /** Sends what is queued for `key`, one command at a time, until nothing is left. */
  private async drain(key: string): Promise<void> {
    for (let queue = this.queues.get(key)!; queue.length > 0; queue = this.queues.get(key)!) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const command = { op: 'enqueue', items: batch.map((w) => w.item), now: Date.now() };
        const reply = (await routerOf(this.broker).call<OutboxReply>(WEBHOOKS_SERVICE, key, command)) as { ids: number[] };
        batch.forEach((w, i) => w.resolve(reply.ids[i]));
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    this.queues.delete(key);
  }
}

const enqueuers = new WeakMap<ServiceBroker, Enqueuer>();
function enqueuer(broker: ServiceBroker): Enqueuer {
  let e = enqueuers.get(broker);
  if (!e) enqueuers.set(broker, (e = new Enqueuer(broker)));
  return e;
}
