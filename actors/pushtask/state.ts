import { TASK_CREATED, TASK_FINISHED, TASK_PROGRESSED, type PushtaskEvent } from './events';

export interface RunningTask {
  taskId: string;
  from: string;
  message: string;
  condition: string;
  at: number;
  afterPosition: number;
  sent: number;
}

export interface PushtaskState {
  /** Time of the last accepted task (the 1 s interval). */
  lastAt: number;
  /** The UTC day (days since the epoch) dayCount counts tasks of (the daily quota). */
  day: number;
  dayCount: number;
  /** Tasks not finished yet, with how far they got: a restarted runner resumes there. */
  running: Record<string, RunningTask>;
  /** Tasks finished, ever (for stats). */
  finished: number;
}

export const initialState = (): PushtaskState => ({ lastAt: 0, day: 0, dayCount: 0, running: {}, finished: 0 });

export const dayOf = (ms: number) => Math.floor(ms / 86_400_000);

export function evolve(state: PushtaskState, event: PushtaskEvent): PushtaskState {
  switch (event.type) {
    case TASK_CREATED: {
      const d = event.data;
      const day = dayOf(d.at);
      return {
        ...state,
        lastAt: d.at,
        day,
        dayCount: day === state.day ? state.dayCount + 1 : 1,
        running: { ...state.running, [d.taskId]: { ...d, afterPosition: 0, sent: 0 } },
      };
    }
    case TASK_PROGRESSED: {
      const task = state.running[event.data.taskId];
      if (!task) return state;
      return { ...state, running: { ...state.running, [task.taskId]: { ...task, afterPosition: event.data.afterPosition, sent: event.data.sent } } };
    }
    case TASK_FINISHED: {
      const running = { ...state.running };
      delete running[event.data.taskId];
      return { ...state, running, finished: state.finished + 1 };
    }
  }
  return state;
}
