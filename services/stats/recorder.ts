/**
 * Writes what this node saw and no actor's events tell (logins, online users, callbacks sent)
 * to the node's own stream `stats:<nodeID>`, as one ActivityRecorded event per second at most:
 * a login costs an array entry, not a commit. A node is the only writer of its stream; after a
 * restart (or a second process under the same node id) a version conflict re-reads the version
 * and the batch is written on the next try. A batch that cannot be written within a few tries
 * is dropped with a warning (these are statistics, not messages).
 */
import type { LoggerInstance } from 'moleculer';
import { VersionConflictError, type EventLog } from '../../runtime/eventlog';
import { ACTIVITY_RECORDED, type ActivityRecorded, type CallbackRecord, type LoginRecord, type OnlineRecord } from '../../actors/stats/events';

const MAX_TRIES = 3;
/** Logins buffered at most between flushes; past it the oldest wait for the next flush. */
const MAX_LOGINS_PER_EVENT = 5000;

export class ActivityRecorder {
  private logins: LoginRecord[] = [];
  private callbacks = new Map<number, CallbackRecord>();
  private online: OnlineRecord[] | undefined;
  private version: number | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: EventLog,
    private readonly node: string,
    private readonly logger: LoggerInstance,
    private readonly now: () => number = Date.now,
  ) {}

  get stream(): string {
    return `stats:${this.node}`;
  }

  login(app: number, user: string, platform: string, at: number): void {
    this.logins.push({ app, user, platform, at });
  }

  callback(app: number, answered: boolean): void {
    let c = this.callbacks.get(app);
    if (!c) this.callbacks.set(app, (c = { app, sent: 0, answered: 0 }));
    c.sent++;
    if (answered) c.answered++;
  }

  /** This node's online users per app, written with the next flush. */
  sample(usersByApp: Map<number, number>): void {
    this.online = [...usersByApp].filter(([, users]) => users > 0).map(([app, users]) => ({ app, users }));
  }

  /** Writes what was gathered since the last flush, if anything; flushes run one after another. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    if (this.logins.length === 0 && this.callbacks.size === 0 && this.online === undefined) return;
    const event: ActivityRecorded = {
      node: this.node,
      at: this.now(),
      logins: this.logins.slice(0, MAX_LOGINS_PER_EVENT),
      online: this.online ?? [],
      sampled: this.online !== undefined,
      callbacks: [...this.callbacks.values()],
    };
    this.logins = this.logins.slice(event.logins.length);
    this.callbacks = new Map();
    this.online = undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        this.version ??= await this.log.version(this.stream);
        this.version = (await this.log.append(this.stream, this.version, [{ type: ACTIVITY_RECORDED, data: event }])).version;
        return;
      } catch (err) {
        this.version = undefined;
        if (!(err instanceof VersionConflictError) || attempt >= MAX_TRIES) {
          this.logger.warn(`statistics of ${event.logins.length} logins and ${event.callbacks.length} apps' callbacks not recorded: ${(err as Error).message}`);
          return;
        }
      }
    }
  }
}
