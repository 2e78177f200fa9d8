/**
 * After-callbacks: queue into the app's durable outbox and return once the item is in the
 * event log. Calls to one outbox shard from this node are coalesced while one is in flight
 * (one enqueue command and one append for all of them), the way the store group-commits.
 */
import type { ServiceBroker } from 'moleculer';
import { callbackEnabled, familyOf } from '../../config/callbacks';
import { outboxKeyOf, type NewOutboxItem, type OutboxReply } from '../../actors/outbox';
import { routerOf } from '../actors/router';
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
  if (familyOf(p.command) !== 'after') throw new TypeError(`${p.command} is not an after-callback`);
  const settings = appCallbackSettings(broker, p.app);
  if (!settings || !callbackEnabled(settings, p.command) || forbidden(p.command, p.forbid)) return { queued: false };
  const item: NewOutboxItem = {
    command: p.command,
    orderKey: p.orderKey,
    body: callbackBody(p.command, p.body),
    platform: optPlatform(p.command, p.platform),
    clientIp: p.clientIp ?? '',
  };
  return { queued: true, id: await enqueuer(broker).enqueue(outboxKeyOf(p.app, p.orderKey), item) };
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
