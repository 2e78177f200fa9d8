/** Events of a push queue shard (schemas/pushq/*.avsc). */
export const QUEUED = 'parley.pushq.Queued';
export const SENT = 'parley.pushq.Sent';
export const DONE = 'parley.pushq.Done';
export const DROPPED = 'parley.pushq.Dropped';

export interface PushItem {
  id: number;
  /** Recipients of this shard (user ids); a user always hashes to the same shard. */
  users: string[];
  /** The push job as JSON (services/push/job.ts): what to show, and why it is pushed. */
  job: string;
  at: number;
}

export interface Queued {
  type: typeof QUEUED;
  data: PushItem;
}
/** Devices of an item already handed to their provider ("user/instId"), so a retry skips them. */
export interface Sent {
  type: typeof SENT;
  data: { id: number; devices: string[]; at: number };
}
export interface Done {
  type: typeof DONE;
  data: { ids: number[]; at: number };
}
export interface Dropped {
  type: typeof DROPPED;
  data: { id: number; reason: string; at: number };
}

export type PushqEvent = Queued | Sent | Done | Dropped;
