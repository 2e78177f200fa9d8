/**
 * The parent's handle on one Parley node child process (parley-child.ts): start it, SIGKILL it,
 * start it again on the same settings, ask it for its memory, and keep what it logged (error
 * lines are counted: an unexpected exception is logged at error level with its request id).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { ChildMessage, ChildRequest } from './parley-child';

const CHILD = path.join(__dirname, `parley-child${path.extname(__filename)}`);

export interface NodeProcessOptions {
  /** Copy the node's output to this process's stderr. Default false. */
  echo?: boolean;
  /** Run with --expose-gc, so memory() can measure after a full collection. Default false. */
  exposeGc?: boolean;
  /** More Node options for the node (--cpu-prof, --diagnostic-report-on-signal…). */
  nodeArgs?: string[];
}

export class NodeProcess {
  private child: ChildProcess | undefined;
  private readonly waiting = new Map<number, (msg: ChildMessage) => void>();
  private nextId = 1;
  /** Lines logged at ERROR or FATAL over every life of the node, and the first of them. */
  errorLines = 0;
  readonly firstErrors: string[] = [];
  /** Last lines of output, for a report when the node dies unexpectedly. */
  readonly tail: string[] = [];
  /** Called when the node exits without having been told to (a crash). */
  onCrash: ((code: number | null, signal: string | null) => void) | undefined;
  private expectingExit = false;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly options: NodeProcessOptions = {},
  ) {}

  get up(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the node; resolves once its broker has started (ms taken). */
  async start(timeoutMs = 120_000): Promise<number> {
    const began = Date.now();
    const tsx = path.extname(__filename) === '.ts' ? ['--require', 'tsx/cjs'] : [];
    // Only our PARLEY_* settings: a developer's shell must not point a bench node elsewhere.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_')));
    const child = fork(CHILD, [], {
      execArgv: [...tsx, ...(this.options.exposeGc ? ['--expose-gc'] : []), ...(this.options.nodeArgs ?? [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...inherited, ...this.env, PARLEY_PORT: String(this.port) },
    });
    this.child = child;
    this.expectingExit = false;
    for (const stream of [child.stdout, child.stderr]) if (stream) readline.createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'ready') return;
      this.waiting.get(msg.id)?.(msg);
      this.waiting.delete(msg.id);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within ${timeoutMs} ms`)), timeoutMs);
      const onReady = (msg: ChildMessage) => {
        if (msg.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onReady);
        resolve();
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code ?? signal} before it was ready:\n${this.tail.slice(-20).join('\n')}`));
      });
    });
    child.once('exit', (code, signal) => {
      if (!this.expectingExit) this.onCrash?.(code, signal);
    });
    return Date.now() - began;
  }

  /** SIGKILL: no graceful stop, nothing flushed, no goodbye to other nodes. Resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.up) return;
    this.expectingExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (graceful), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || !this.up) return;
    this.expectingExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** An action call from the node (set-up steps that have no REST command); `local` runs it on this node. */
  async call<T>(action: string, params: object, options: { local?: boolean; timeoutMs?: number } = {}): Promise<T> {
    const answer = await this.ask({ type: 'call', id: this.nextId++, action, params, local: options.local }, options.timeoutMs ?? 15_000);
    if (answer.type !== 'answer') throw new Error('unexpected answer');
    if (answer.error) throw new Error(`${action} on ${this.name}: ${answer.error}`);
    return answer.result as T;
  }

  /** Resident set and heap of the node, bytes; after a full GC when started with exposeGc and `gc`. */
  async memory(gc = false, timeoutMs = 10_000): Promise<{ rss: number; heapUsed: number }> {
    const answer = await this.ask({ type: 'memory', id: this.nextId++, gc }, timeoutMs);
    if (answer.type !== 'memory') throw new Error('unexpected answer');
    return { rss: answer.rss, heapUsed: answer.heapUsed };
  }

  private ask(request: ChildRequest, timeoutMs: number): Promise<ChildMessage> {
    const child = this.child;
    if (!child || !this.up) return Promise.reject(new Error(`${this.name} is not running`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request.id);
        reject(new Error(`${this.name} did not answer ${request.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(request.id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      child.send(request);
    });
  }

  private onLine(line: string): void {
    if (this.options.echo) process.stderr.write(`[${this.name}] ${line}\n`);
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.shift();
    if (/\b(ERROR|FATAL)\b/.test(line)) {
      this.errorLines++;
      if (this.firstErrors.length < 20) this.firstErrors.push(line);
    }
  }
}
