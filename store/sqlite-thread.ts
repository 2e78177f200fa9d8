/**
 * SQLite with its writes on a worker thread: the embedded node's other core commits the event
 * log while the main thread goes on with sockets and actors.
 *
 * Why: profiled under one-to-one load, better-sqlite3's statement runs were the largest single
 * cost of the embedded node's only busy thread (28% of its time, garbage collection aside), and
 * the second core sat mostly idle. Appends are already asynchronous at the port (the group
 * committer awaits each batch), so moving the transaction to a thread changes no caller.
 *
 * Reads stay on the main thread over a connection of its own: in WAL mode a read sees every
 * transaction committed before it started, and a write is only acknowledged once the worker has
 * committed it, so an actor reads back what it was told is stored. Every write (appends, and the
 * rare snapshot, index and schema writes) goes to the one writer, in order.
 * If the worker dies, the writes waiting on it fail (their commands are refused, nothing is
 * acknowledged) and the next write starts a new worker.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Snapshot } from '../runtime/eventlog';
import type { SchemaRecord } from '../schemas/codec';
import type { AppendOutcome, AppendRequest, EncodedEvent, IndexEntry } from './backend';
import { SqliteBackend } from './sqlite';
import type { WriterAnswer, WriterCall, WriterMethod, WriterSetup } from './sqlite-writer';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class SqliteThreadBackend extends SqliteBackend {
  override readonly name = 'sqlite';
  private worker: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(
    private readonly filePath: string,
    private readonly sync: 'FULL' | 'NORMAL' = 'FULL',
  ) {
    super(filePath, sync);
  }

  /** Migrations run here first, so the writer opens a file that is already current. */
  override async open(): Promise<void> {
    await super.open();
    await this.writer();
  }

  override appendBatch(batch: AppendRequest[]): Promise<AppendOutcome[]> {
    return this.call('appendBatch', [batch]) as Promise<AppendOutcome[]>;
  }

  override rewriteEvent(stream: string, version: number, event: EncodedEvent): Promise<boolean> {
    return this.call('rewriteEvent', [stream, version, event]) as Promise<boolean>;
  }

  override saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.call('saveSnapshot', [snapshot]) as Promise<void>;
  }

  override addIndexEntries(entries: IndexEntry[]): Promise<void> {
    return this.call('addIndexEntries', [entries]) as Promise<void>;
  }

  override removeIndexEntries(types: string[]): Promise<void> {
    return this.call('removeIndexEntries', [types]) as Promise<void>;
  }

  override markIndexed(specs: Map<string, string>, dropped: string[]): Promise<void> {
    return this.call('markIndexed', [specs, dropped]) as Promise<void>;
  }

  override saveSchemas(records: SchemaRecord[]): Promise<void> {
    return this.call('saveSchemas', [records]) as Promise<void>;
  }

  override async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker.catch(() => undefined))?.terminate();
    await super.close();
  }

  private async call(method: WriterMethod, args: unknown[]): Promise<unknown> {
    const worker = await this.writer();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WriterCall);
    });
  }

  private writer(): Promise<Worker> {
    return (this.worker ??= this.start());
  }

  private start(): Promise<Worker> {
    // Built, the writer is dist/store/sqlite-writer.js; from the sources (tests, benches under
    // tsx) it registers tsx's CommonJS hook first, as mocha does (services/webhooks/http.ts too).
    const ext = path.extname(__filename);
    const entry = path.join(__dirname, `sqlite-writer${ext}`);
    const script = ext === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});` : `require(${JSON.stringify(entry)});`;
    const worker = new Worker(script, { eval: true, execArgv: [], workerData: { file: this.filePath, synchronous: this.sync } satisfies WriterSetup });
    const lost = (why: string) => {
      this.worker = undefined;
      const err = new Error(`event-log writer thread ${why}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    return new Promise<Worker>((resolve, reject) => {
      worker.once('error', (err) => {
        reject(err);
        lost(`failed: ${err.message}`);
      });
      worker.once('exit', (code) => {
        reject(new Error(`event-log writer thread exited with ${code} while starting`));
        lost(`exited with ${code}`);
      });
      worker.on('message', (a: WriterAnswer) => {
        if (a.id === 0) return resolve(worker);
        const p = this.pending.get(a.id);
        if (!p) return;
        this.pending.delete(a.id);
        if (a.error !== undefined) p.reject(new Error(a.error));
        else p.resolve(a.result);
      });
    });
  }
}
