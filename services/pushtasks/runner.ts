/**
 * Runs all_member_push tasks: walks the app's account directory (the AccountImported events of
 * its user streams, in log position order, up to the task's creation time) in batches, keeps
 * the accounts the Condition selects (their tags and attributes in pushreg), and sends each
 * batch the task's message as one-to-one messages from From_Account through the messages
 * context's broadcast (services/messages/broadcast.ts): stored per recipient, online devices at
 * once; MsgLifeTime 0 is online only. After each batch the position reached is recorded on the
 * task actor, and the batch's push jobs (its recipients with a push device) are written in that
 * same append (pushtasks.service.ts sideFeeds), so a crash or a move to another node resumes at
 * the batch that was under way; that batch is sent again with the same MsgRandom and MsgSeq,
 * the conversation actor answers a stored resend (within five minutes) with the first result,
 * storing nothing new, and its jobs, never written, are written once with its progress.
 */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { isConditional, matches, type PushCondition, type PushtaskCommand, type PushtaskState, type RunningTask } from '../../actors/pushtask';
import { pushregKey, type PushregState } from '../../actors/pushreg';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, userKey } from '../../actors/user';
import type { EventLog } from '../../runtime/eventlog';
import { routerOf } from '../../runtime/moleculer/router';
import { DEVICES_SERVICE } from '../pushdevices/client';
import { broadcastTo, validateMsgBody, type BroadcastAnswer, type BroadcastParams } from '../messages/client';
import { registeredAmong, type BroadcastMessage } from '../push/client';

export interface RunnerDeps {
  broker: ServiceBroker;
  store(): EventLog;
  call(app: number, command: PushtaskCommand): Promise<PushtaskState>;
  owns(app: number): boolean;
  log: LoggerInstance;
}

/** Accounts per batch (one progress record, one push-job append): batchsendmsg's maximum. */
export const BATCH = 500;
/**
 * Directory events read at once. The import events are picked by type in the query: a page of
 * 500 events of the accounts' streams (imports, profiles, kicks) was one query per batch.
 */
const PAGE = 5000;
const RETRY_PAUSE_MS = 1000;

/**
 * How hard a task may drive the node. A batch of 500 sends at once took over 90% of an embedded
 * node and starved its one-to-one traffic to a tenth (bench/push-all.ts): each recipient's
 * conversation append and sync feed are written on the node's event loop. So a batch goes out in
 * chunks of `chunk` recipients, and after each chunk the runner rests for as long as the chunk
 * took times (1 − share) / share, so that the task's own sends take about `share` of the node's
 * time. The share adapts to what else the node does: the event loop's utilisation while the
 * runner rests is the rest of the node's work (its traffic, and the task's own deliveries and
 * pushes); below `idleBelow` the share doubles, up to `maxShare` (an idle node runs the task at
 * 4/5 of full speed, still measuring), above `busyAbove` it halves, down to `minShare`. A chunk is
 * the whole batch: a chunk's time is mostly waiting for the commits its sends join, about the
 * same for 50 recipients as for 500, so chunks of 50 rested nearly as long per chunk and ran
 * the task at half the speed for the same send ratio (10,000 accounts under load: 177 s, ratio
 * 0.58, against 83 s, 0.81; bench/push-all.ts --chunk). A mutable object so that a bench can
 * compare settings; not an app setting.
 */
export const PACING = { chunk: 500, minShare: 0.1, maxShare: 0.8, idleBelow: 0.3, busyAbove: 0.5 };

/** The task's message as the pushtasks service recorded it (pushtasks.service.ts). */
type TaskMessage = BroadcastParams['body'] & { MsgSeq: number; MsgLifeTime: number };

const prefixOf = (app: number) => `user:${userKey(app, '')}`;
const idOf = (app: number, stream: string) => stream.slice(prefixOf(app).length);

/**
 * Events of one type after a position, of every app, in log order. Asked without a time range
 * or stream prefix, the store walks the log by position and picks the type; with them, SQLite
 * chose its time index, read every event before the task and sorted them, for each page (130–220
 * ms a page at 65,000 events, blocking the node). The caller keeps its app's events up to the task.
 */
const byType = (store: EventLog, type: string, afterPosition: number) => store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, types: [type], afterPosition, limit: PAGE });
const directoryPage = (store: EventLog, afterPosition: number) => byType(store, ACCOUNT_IMPORTED, afterPosition);

/** The last deletion (log position) of each account deleted before the task: rare, read once per run. */
async function deletions(store: EventLog, app: number, at: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let afterPosition = 0; ; ) {
    const page = await byType(store, ACCOUNT_DELETED, afterPosition);
    for (const e of page) if (e.stream.startsWith(prefixOf(app)) && e.time <= at) out.set(idOf(app, e.stream), e.position);
    if (page.length < PAGE) return out;
    afterPosition = page[page.length - 1].position;
  }
}

/** MsgKey and time of a batch whose copies were all stored by an earlier attempt (a resend after a crash). */
const fallbackKey = (m: TaskMessage, at: number) => ({ msgKey: `${m.MsgSeq}_${m.MsgRandom}_${Math.floor(at / 1000)}`, time: Math.floor(at / 1000) });

/** What the push jobs of a batch say: the task's message, with the MsgKey and time of a copy. */
export function pushedMessage(task: RunningTask, push: { msgKey: string; time: number }): BroadcastMessage {
  const m = JSON.parse(task.message) as TaskMessage;
  const offline = m.OfflinePushInfo;
  return { from: task.from, clientSeq: m.MsgSeq, msgKey: push.msgKey, body: validateMsgBody(m.MsgBody, ''), offlinePush: offline ? JSON.stringify(offline) : null, ttlSec: m.MsgLifeTime, sentAt: push.time * 1000 };
}

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
    const message = JSON.parse(task.message) as TaskMessage;
    const condition = (task.condition ? JSON.parse(task.condition) : {}) as PushCondition;
    const store = () => this.deps.store();
    let deleted: Map<string, number> | undefined;
    // An account imported again (a new nick) has two import events: it gets one copy per run.
    const seen = new Set<string>();
    while (!this.stopped && this.deps.owns(app)) {
      try {
        deleted ??= await deletions(store(), app, task.at);
        const page = await directoryPage(store(), afterPosition);
        for (let i = 0; i < page.length && !this.stopped && this.deps.owns(app); i += BATCH) {
          const slice = page.slice(i, i + BATCH).filter((e) => e.stream.startsWith(prefixOf(app)) && e.time <= task.at);
          // Progress goes to the end of the slice, past other apps' and later accounts too.
          const end = page[Math.min(i + BATCH, page.length) - 1].position;
          // An import followed by a deletion (before the task) is no account; a later import is.
          const ids = [...new Set(slice.filter((e) => (deleted!.get(idOf(app, e.stream)) ?? 0) < e.position).map((e) => idOf(app, e.stream)))].filter((id) => id !== task.from && !seen.has(id));
          const chosen = isConditional(condition) ? await this.select(app, ids, condition) : ids;
          const last = page.length < PAGE && i + BATCH >= page.length;
          const batch = await this.sendPaced(app, task.from, message, chosen, last);
          // Stopped inside the batch: it is not done, and the next runner sends it again.
          if (this.stopped) return;
          // MsgLifeTime 0 is online only: nothing stored, nothing to push offline. Jobs only for who has a device.
          const pushable = message.MsgLifeTime > 0 && batch.delivered.length > 0 ? await registeredAmong(this.deps.broker, app, batch.delivered) : new Set<string>();
          const push = pushable.size > 0 ? { users: [...pushable], ...(batch.stored ?? fallbackKey(message, task.at)) } : undefined;
          await this.deps.call(app, { op: 'progress', taskId: task.taskId, afterPosition: end, sent: sent + batch.delivered.length, now: Date.now(), ...(push ? { push } : {}) });
          afterPosition = end;
          sent += batch.delivered.length;
          for (const id of ids) seen.add(id);
        }
        if (page.length < PAGE && !this.stopped && this.deps.owns(app)) {
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
   * answers who has it. SyncOtherMachine 2: the sender's own devices and conversation list get no copy
   * — a list of 100,000 one-message conversations helps no one, and leaving it out spares one
   * inbox append per recipient on a single, ever-growing inbox.
   */
  private async sendPaced(app: number, from: string, message: TaskMessage, to: string[], lastPage: boolean): Promise<Pick<BroadcastAnswer, 'delivered' | 'stored'>> {
    const delivered: string[] = [];
    let stored: BroadcastAnswer['stored'];
    for (let i = 0; i < to.length && !this.stopped; i += PACING.chunk) {
      const chunk = to.slice(i, i + PACING.chunk);
      const began = performance.now();
      const answer = await broadcastTo(this.deps.broker, { app, from, to: chunk, body: { ...message, SyncOtherMachine: 2 } });
      delivered.push(...answer.delivered);
      stored ??= answer.stored;
      if (lastPage && i + PACING.chunk >= to.length) break;
      const share = (this.share = Math.min(PACING.maxShare, Math.max(PACING.minShare, this.share)));
      const resting = performance.eventLoopUtilization();
      await new Promise((r) => setTimeout(r, ((performance.now() - began) * (1 - share)) / share));
      const others = performance.eventLoopUtilization(resting).utilization;
      if (others < PACING.idleBelow) this.share = Math.min(PACING.maxShare, this.share * 2);
      else if (others > PACING.busyAbove) this.share = Math.max(PACING.minShare, this.share / 2);
    }
    return { delivered, ...(stored ? { stored } : {}) };
  }

  /** The accounts among `ids` whose tags or attributes the condition selects. */
  private async select(app: number, ids: string[], condition: PushCondition): Promise<string[]> {
    const router = routerOf(this.deps.broker);
    const states = await Promise.all(ids.map((id) => router.call<PushregState>(DEVICES_SERVICE, pushregKey(app, id), { op: 'get' })));
    return ids.filter((_, i) => matches(condition, states[i]));
  }
}
