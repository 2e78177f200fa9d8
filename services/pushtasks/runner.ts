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

/**
 * How hard a task may drive the node. A batch of 500 sends at once took over 90% of an embedded
 * node and starved its one-to-one traffic to a tenth (bench/push-all.ts): the SQLite appends
 * of a conversation and its feeds per recipient run on the node's event loop. So a batch goes
 * out in chunks of `chunk` recipients, and after each chunk the runner rests for as long as the
 * chunk took times (1 − share) / share, so that the task's own sends take about `share` of the
 * node's time. The share adapts to what else the node does: the event loop's utilisation while
 * the runner rests is the rest of the node's work (its traffic, and the task's own deliveries
 * and pushes); below `idleBelow` the share doubles, up to `maxShare` (an idle node runs the
 * task at 4/5 of full speed, still measuring), above `busyAbove` it halves, down to `minShare`
 * (a busy node keeps about 80% of its send rate, bench/push-all.ts). A mutable object so that a bench can compare settings; not an app setting.
 */
export const PACING = { chunk: 50, minShare: 0.1, maxShare: 0.8, idleBelow: 0.3, busyAbove: 0.5 };

export class TaskRunners {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  /** The share of the node's time the tasks' sends take now (PACING); starts low, grows while the node is idle. */
  private share = PACING.minShare;

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
        sent += await this.sendPaced(app, task.from, message, chosen, page.length < BATCH);
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

  /**
   * Sends the task's message to `to` in chunks, resting after each but the task's last (PACING);
   * answers how many accepted it. SyncOtherMachine 2: the sender's own devices and conversation list get no copy
   * — a list of 100,000 one-message conversations helps no one, and leaving it out spares one
   * inbox append per recipient on a single, ever-growing inbox.
   */
  private async sendPaced(app: number, from: string, message: Omit<BatchSendBody, 'To_Account'>, to: string[], lastPage: boolean): Promise<number> {
    let accepted = 0;
    for (let i = 0; i < to.length && !this.stopped; i += PACING.chunk) {
      const chunk = to.slice(i, i + PACING.chunk);
      const began = performance.now();
      const answer = await sendToMany(this.deps.broker, app, { kind: 'admin', id: from }, { ...message, From_Account: from, To_Account: chunk, SyncOtherMachine: 2 });
      accepted += chunk.length - answer.ErrorList.length;
      if (lastPage && i + PACING.chunk >= to.length) break;
      const share = (this.share = Math.min(PACING.maxShare, Math.max(PACING.minShare, this.share)));
      const resting = performance.eventLoopUtilization();
      await new Promise((r) => setTimeout(r, ((performance.now() - began) * (1 - share)) / share));
      const others = performance.eventLoopUtilization(resting).utilization;
      if (others < PACING.idleBelow) this.share = Math.min(PACING.maxShare, this.share * 2);
      else if (others > PACING.busyAbove) this.share = Math.max(PACING.minShare, this.share / 2);
    }
    return accepted;
  }

  /** The accounts among `ids` whose tags or attributes the condition selects. */
  private async select(app: number, ids: string[], condition: PushCondition): Promise<string[]> {
    const router = routerOf(this.deps.broker);
    const states = await Promise.all(ids.map((id) => router.call<PushregState>(DEVICES_SERVICE, pushregKey(app, id), { op: 'get' })));
    return ids.filter((_, i) => matches(condition, states[i]));
  }
}
