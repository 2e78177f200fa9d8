/**
 * Rules of an app's all_member_push tasks: at least 1 s between two tasks (90024), at most
 * `dailyLimit` a UTC day (90047, Tencent's default 100), and a valid Condition (condition.ts).
 * Time arrives in the command.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { checkCondition, TASK_CODES, type PushCondition } from './condition';
import { TASK_CREATED, TASK_FINISHED, TASK_PROGRESSED, type PushtaskEvent } from './events';
import { dayOf, type PushtaskState } from './state';

export const MIN_INTERVAL_MS = 1000;
export const DAILY_LIMIT = 100;

export type PushtaskCommand =
  | { op: 'create'; taskId: string; from: string; message: string; condition: PushCondition; attrNames: string[]; dailyLimit?: number; now: number }
  /**
   * `push`: the recipients of the batch just sent, and its MsgKey and time (s): the service writes
   * their push jobs with this progress, in its append (services/pushtasks/runner.ts). Not stored.
   */
  | { op: 'progress'; taskId: string; afterPosition: number; sent: number; now: number; push?: { users: string[]; msgKey: string; time: number } }
  | { op: 'finish'; taskId: string; sent: number; now: number }
  | { op: 'get' };

export type PushtaskReply = PushtaskState;

export function decide(state: PushtaskState, command: PushtaskCommand): Decision<PushtaskEvent, PushtaskReply> {
  const keep = (events: PushtaskEvent[]) => ({ events, reply: state });
  switch (command.op) {
    case 'create': {
      checkCondition(command.condition, command.attrNames);
      if (command.now - state.lastAt < MIN_INTERVAL_MS) throw new DomainError(TASK_CODES.TOO_FREQUENT, 'push to all at most once a second');
      if (dayOf(command.now) === state.day && state.dayCount >= (command.dailyLimit ?? DAILY_LIMIT)) throw new DomainError(TASK_CODES.DAILY_QUOTA, 'daily quota of push-to-all tasks used up');
      if (state.running[command.taskId]) throw new DomainError(TASK_CODES.INVALID, 'task id in use');
      const condition = JSON.stringify(command.condition);
      return keep([{ type: TASK_CREATED, data: { taskId: command.taskId, from: command.from, message: command.message, condition, at: command.now } }]);
    }
    case 'progress': {
      const task = state.running[command.taskId];
      // A stale runner (the task finished, or moved on) records nothing.
      if (!task || command.afterPosition <= task.afterPosition) return keep([]);
      return keep([{ type: TASK_PROGRESSED, data: { taskId: command.taskId, afterPosition: command.afterPosition, sent: command.sent, at: command.now } }]);
    }
    case 'finish':
      return keep(state.running[command.taskId] ? [{ type: TASK_FINISHED, data: { taskId: command.taskId, sent: command.sent, at: command.now } }] : []);
    case 'get':
      return keep([]);
    default: {
      const never: never = command;
      throw new DomainError(TASK_CODES.INVALID, `unknown push task command ${JSON.stringify(never)}`);
    }
  }
}
