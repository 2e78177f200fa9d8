/** Events of an app's all_member_push tasks (schemas/pushtask/*.avsc). */
export const TASK_CREATED = 'parley.pushtask.TaskCreated';
export const TASK_PROGRESSED = 'parley.pushtask.TaskProgressed';
export const TASK_FINISHED = 'parley.pushtask.TaskFinished';

export interface TaskCreated {
  type: typeof TASK_CREATED;
  /**
   * message: the one-to-one message every selected user gets, as JSON of the sendmsg fields
   * (MsgRandom, MsgBody, MsgLifeTime, OfflinePushInfo…); condition: the Condition as JSON, '' = all.
   */
  data: { taskId: string; from: string; message: string; condition: string; at: number };
}
export interface TaskProgressed {
  type: typeof TASK_PROGRESSED;
  /** afterPosition: the event-log position of the account directory walked so far. */
  data: { taskId: string; afterPosition: number; sent: number; at: number };
}
export interface TaskFinished {
  type: typeof TASK_FINISHED;
  data: { taskId: string; sent: number; at: number };
}

export type PushtaskEvent = TaskCreated | TaskProgressed | TaskFinished;
