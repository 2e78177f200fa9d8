/**
 * The load of the chaos bench: one-to-one and group messages, each send with a MsgRandom
 * (Random) of its own and retried with that same random until acknowledged — as a client that
 * lost its answer would — so a retry that stored a second copy shows up as a duplicate.
 *
 * Streams (a conversation or a group) are sent to through one face each: REST as the app
 * administrator (a pool of workers over every REST stream, entering through any node a load
 * balancer would use), or the SDK's socket (one logged-in client per stream, which reconnects
 * to another node and logs in again when its node dies, as the SDK does). The ledger keeps every
 * acknowledgement and every failed attempt; recovery is read from it per kill.
 */
import { FrameClient } from './frame-client';
import type { Installation } from './installation';
import type { NodeProcess } from './node-process';

export type Face = 'rest' | 'ws';

export interface Stream {
  id: string;
  kind: 'c2c' | 'group';
  via: Face;
  /** c2c: [sender, receiver]; group: the members who send (over the socket: the first). */
  users: string[];
  groupId?: string;
  sends: Map<number, SendRecord>;
}

export interface SendRecord {
  random: number;
  from: string;
  attempts: number;
  firstAttemptAt: number;
  ackedAt?: number;
  /** The conversation or group sequence the acknowledgement named. */
  ackSeq?: number;
}

export interface KillWindow {
  victim: string;
  killAt: number;
  /** Sends acknowledged before the kill. */
  ackedBefore: number;
  readyAt?: number;
  firstAckAt?: number;
  /** First acknowledgement per stream of an attempt made after the kill. */
  streamAcks: Map<string, number>;
}

export interface LoadOptions {
  /** Workers over the REST streams. */
  workers: number;
  /** A send still unacknowledged this long after its first attempt is given up, ms. */
  giveUpMs: number;
  /** Timeout of one attempt, ms. */
  attemptTimeoutMs: number;
}

interface SendAnswer {
  ErrorCode?: number;
  ErrorInfo?: string;
  MsgKey?: string;
  MsgSeq?: number;
  MsgDropReason?: string;
}

/** One attempt: an answer, or an error (network, timeout, closed socket). */
type Attempt = (stream: Stream, body: Record<string, unknown>) => Promise<SendAnswer>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Load {
  readonly errors = new Map<string, number>();
  clientErrors = 0;
  readonly windows: KillWindow[] = [];
  /** Nodes a load balancer would send to now: up, and not known to be dead. */
  readonly available = new Set<string>();
  private stopping = false;
  /** Set when the run itself failed: sends in flight stop retrying too. */
  private aborted = false;
  private running: Promise<void>[] = [];
  private turn = 0;
  private entry = 0;
  private nextRandom = 1 + Math.floor(Math.random() * 1_000_000);

  constructor(
    private readonly installation: Installation,
    readonly streams: Stream[],
    private readonly options: LoadOptions,
  ) {
    for (const node of installation.nodes) this.available.add(node.name);
  }

  start(): void {
    const rest = this.streams.filter((s) => s.via === 'rest');
    const restAttempt: Attempt = (stream, body) => this.installation.rest<SendAnswer>(this.pickNode(), commandOf(stream).replace('.', '/'), body, this.options.attemptTimeoutMs);
    if (rest.length > 0) {
      for (let w = 0; w < this.options.workers; w++) {
        this.running.push(this.loop(() => rest[this.turn++ % rest.length], restAttempt, () => undefined));
      }
    }
    for (const stream of this.streams.filter((s) => s.via === 'ws')) {
      const socket = new SenderSocket(this.installation, stream.users[0], () => this.pickNode(), this.options.attemptTimeoutMs);
      this.running.push(this.loop(() => stream, (s, body) => socket.send(commandOf(s), body), () => socket.close()));
    }
  }

  /** Stops starting new sends; resolves once every send in flight is acknowledged or given up. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** Stops at once, sends in flight included (a run that failed midway). */
  abort(): void {
    this.aborted = this.stopping = true;
  }

  get acked(): number {
    let n = 0;
    for (const stream of this.streams) for (const send of stream.sends.values()) if (send.ackedAt !== undefined) n++;
    return n;
  }

  private async loop(next: () => Stream, attempt: Attempt, done: () => void): Promise<void> {
    while (!this.stopping) await this.sendUntilAcked(next(), attempt);
    done();
  }

  private async sendUntilAcked(stream: Stream, attempt: Attempt): Promise<void> {
    const random = this.nextRandom++ % 0xffffffff;
    const from = stream.via === 'ws' || stream.kind === 'c2c' ? stream.users[0] : stream.users[random % stream.users.length];
    const record: SendRecord = { random, from, attempts: 0, firstAttemptAt: Date.now() };
    stream.sends.set(random, record);
    const text = [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${stream.id} ${random}` } }];
    // Over the socket the sender is the logged-in user whatever From_Account says; REST names it.
    const body =
      stream.kind === 'c2c'
        ? { From_Account: from, To_Account: stream.users[1], MsgRandom: random, MsgBody: text }
        : { GroupId: stream.groupId, From_Account: from, Random: random, MsgBody: text };
    while (Date.now() - record.firstAttemptAt < this.options.giveUpMs && !this.aborted) {
      const startedAt = Date.now();
      record.attempts++;
      const answer = await attempt(stream, body).catch((err: Error) => err);
      if (!(answer instanceof Error) && (answer.ErrorCode ?? 0) === 0 && !answer.MsgDropReason) {
        record.ackedAt = Date.now();
        record.ackSeq = stream.kind === 'c2c' ? Number(String(answer.MsgKey).split('_')[0]) : answer.MsgSeq;
        this.noteAck(stream, startedAt, record.ackedAt);
        return;
      }
      const face = stream.via === 'ws' ? 'ws ' : '';
      this.noteError(face + (answer instanceof Error ? reasonOf(answer) : answer.MsgDropReason ? `dropped ${answer.MsgDropReason}` : `code ${answer.ErrorCode}`));
      await sleep(100);
    }
  }

  /** Round robin over the nodes a load balancer would use; all of them when none is (embedded restart). */
  private pickNode(): NodeProcess {
    const nodes = this.installation.nodes;
    const candidates = nodes.filter((node) => this.available.has(node.name));
    const from = candidates.length > 0 ? candidates : nodes;
    return from[this.entry++ % from.length];
  }

  private noteAck(stream: Stream, attemptAt: number, ackAt: number): void {
    for (const w of this.windows) {
      // An attempt made in the kill's millisecond may have been made before it, and answered by the victim.
      if (attemptAt <= w.killAt) continue;
      w.firstAckAt ??= ackAt;
      if (!w.streamAcks.has(stream.id)) w.streamAcks.set(stream.id, ackAt);
    }
  }

  private noteError(reason: string): void {
    this.clientErrors++;
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
  }
}

/** The command of a stream's sends, as a servcmd (`svc.cmd`); REST uses `svc/cmd`. */
const commandOf = (stream: Stream) => (stream.kind === 'c2c' ? 'openim.sendmsg' : 'group_open_http_svc.send_group_msg');

/** One user's socket, logged in, opened again through another node when it fails. */
class SenderSocket {
  private client: FrameClient | undefined;

  constructor(
    private readonly installation: Installation,
    private readonly userId: string,
    private readonly pickNode: () => NodeProcess,
    private readonly timeoutMs: number,
  ) {}

  async send(servcmd: string, body: Record<string, unknown>): Promise<SendAnswer> {
    try {
      const client = this.client?.open ? this.client : await this.connect();
      // Pushes to the sender's own device are not what this bench reads; keep none.
      client.pushes.length = 0;
      return (await client.request(servcmd, body, {}, this.timeoutMs)) as SendAnswer;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async connect(): Promise<FrameClient> {
    this.close();
    const client = await FrameClient.open(this.pickNode().baseUrl, this.installation.sdkAppId);
    this.client = client;
    const login = await client.login(this.userId, this.installation.sig(this.userId));
    if (login.ErrorCode !== 0) throw new Error(`login ${String(login.ErrorCode)}`);
    return client;
  }
}

/** A short name for a failed attempt: the network error's code, or what happened to the socket. */
function reasonOf(err: Error): string {
  const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
  if (code) return code;
  if (err.message.startsWith('socket closed')) return 'socket closed';
  if (err.message.startsWith('no reply')) return 'no reply';
  return err.message.slice(0, 60);
}
