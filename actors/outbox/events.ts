/** Events of an outbox shard (schemas/outbox/*.avsc). */
export const ENQUEUED = 'parley.outbox.Enqueued';
export const DELIVERED = 'parley.outbox.Delivered';
export const GAVE_UP = 'parley.outbox.GaveUp';

export interface OutboxItem {
  id: number;
  command: string;
  orderKey: string;
  /** JSON request body, CallbackCommand included. */
  body: string;
  platform: string;
  clientIp: string;
  at: number;
}

export interface Enqueued {
  type: typeof ENQUEUED;
  data: OutboxItem;
}
export interface Delivered {
  type: typeof DELIVERED;
  data: { ids: number[]; at: number };
}
export interface GaveUp {
  type: typeof GAVE_UP;
  data: { id: number; attempts: number; reason: string; at: number };
}

export type OutboxEvent = Enqueued | Delivered | GaveUp;
