/**
 * What a node records for the statistics that no actor's events already tell: logins, how
 * many users its sockets hold, and the callbacks it sent. Each node appends these to its own
 * stream (`stats:<nodeID>`, services/stats/recorder.ts), batched, so the statistics stay a
 * projection of the log (rebuilt by replay) like every other read model. Not an actor: a
 * plain writer with one stream per node.
 */
export const ACTIVITY_RECORDED = 'parley.stats.ActivityRecorded';

export interface LoginRecord {
  app: number;
  user: string;
  platform: string;
  at: number;
}

export interface OnlineRecord {
  app: number;
  /** Distinct users with at least one logged-in socket on the recording node. */
  users: number;
}

export interface CallbackRecord {
  app: number;
  /** Requests sent (before- and after-callbacks, retries included). */
  sent: number;
  /** Requests the backend answered with HTTP 200 and JSON. */
  answered: number;
}

export interface ActivityRecorded {
  node: string;
  at: number;
  logins: LoginRecord[];
  /** This node's online users per app, when the batch carries a sample (empty otherwise). */
  online: OnlineRecord[];
  /** Whether `online` is a sample (an empty one means: nobody online here). */
  sampled: boolean;
  callbacks: CallbackRecord[];
}

export type StatsEvent = { type: typeof ACTIVITY_RECORDED; data: ActivityRecorded };
