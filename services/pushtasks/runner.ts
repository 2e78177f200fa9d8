/**
 * Runs all_member_push tasks: walks the app's account directory (the AccountImported events of
 * its user streams, in log position order, up to the task's creation time) in batches, keeps
 * the accounts the Condition selects (their tags and attributes in pushreg), and sends each one
 * the task's message as a one-to-one message from From_Account through the messages context's
 * send path: online devices get it at once, offline ones a push job, as for any message;
 * MsgLifeTime 0 is online only. After each batch the position reached is recorded on the task
 * actor, so a crash or a move to another node resumes at the batch that was under way; that
 * batch is sent again with the same MsgRandom and MsgSeq, and the conversation actor answers a
 * stored resend (within five minutes) with the first result, storing nothing new.
 */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { isConditional, matches, type PushCondition, type PushtaskCommand, type PushtaskState, type RunningTask } from '../../actors/pushtask';
import { pushregKey, type PushregState } from '../../actors/pushreg';
import { ACCOUNT_IMPORTED, userKey } from '../../actors/user';
import type { EventLog } from '../../runtime/eventlog';
import { routerOf } from '../../runtime/moleculer/router';
import { DEVICES_SERVICE } from '../pushdevices/client';
import { sendToMany, type BatchSendBody } from '../messages/client';

export interface RunnerDeps {
  broker: ServiceBroker;
  store(): EventLog;
  call(app: number, command: PushtaskCommand): Promise<PushtaskState>;
  owns(app: number): boolean;
  log: LoggerInstance;
}

/** Accounts per batch: batchsendmsg's maximum. */
export const BATCH = 500;
const RETRY_PAUSE_MS = 1000;

export class TaskRunners {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** Starts the task unless it already runs on this node. */
  start(app: number, task: RunningTask): void {
    const key = `${app}:${task.taskId}`;
    if (this.stopped || this.running.has(key)) return;
    const run = this.run(app, task).finally(() => this.running.delete(key));
    this.running.set(key, run);
  }

  has(app: number, taskId: string): boolean {
    return this.running.has(`${app}:${taskId}`);
  }

  /** Resolves when every runner stopped (they stop between batches). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(app: number, task: RunningTask): Promise<void> {
    let { afterPosition, sent } = task;
    const message = JSON.parse(task.message) as Omit<BatchSendBody, 'To_Account'>;
    const condition = (task.condition ? JSON.parse(task.condition) : {}) as PushCondition;
    const prefix = `user:${userKey(app, '')}`;
    while (!this.stopped && this.deps.owns(app)) {
      try {
        const page = await this.deps.store().readByTime({ from: 0, to: task.at + 1, streamPrefix: prefix, afterPosition, limit: BATCH });
        const ids = [...new Set(page.filter((e) => e.type === ACCOUNT_IMPORTED).map((e) => e.stream.slice(prefix.length)))].filter((id) => id !== task.from);
        const chosen = isConditional(condition) ? await this.select(app, ids, condition) : ids;
        if (chosen.length > 0) {
          const answer = await sendToMany(this.deps.broker, app, { kind: 'admin', id: task.from }, { ...message, From_Account: task.from, To_Account: chosen });
          sent += chosen.length - answer.ErrorList.length;
        }
        if (page.length > 0) {
          afterPosition = page[page.length - 1].position;
          await this.deps.call(app, { op: 'progress', taskId: task.taskId, afterPosition, sent, now: Date.now() });
        }
        if (page.length < BATCH) {
          await this.deps.call(app, { op: 'finish', taskId: task.taskId, sent, now: Date.now() });
          this.deps.log.info(`push task ${app}/${task.taskId} finished: ${sent} accounts`);
          return;
        }
      } catch (err) {
        this.deps.log.warn(`push task ${app}/${task.taskId} paused at position ${afterPosition}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      }
    }
  }

  /** The accounts among `ids` whose tags or attributes the condition selects. */
  private async select(app: number, ids: string[], condition: PushCondition): Promise<string[]> {
    const router = routerOf(this.deps.broker);
    const states = await Promise.all(ids.map((id) => router.call<PushregState>(DEVICES_SERVICE, pushregKey(app, id), { op: 'get' })));
    return ids.filter((_, i) => matches(condition, states[i]));
  }
}
