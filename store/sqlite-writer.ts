/**
 * The event log's writer thread (store/sqlite-thread.ts starts it): one SQLite connection that
 * runs every write of the node, one call at a time, in the order the main thread sent them.
 * Answers id 0 once the file is open.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteBackend } from './sqlite';

export type WriterMethod = 'appendBatch' | 'rewriteEvent' | 'saveSnapshot' | 'addIndexEntries' | 'removeIndexEntries' | 'markIndexed' | 'saveSchemas';

export interface WriterSetup {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
}

export interface WriterCall {
  id: number;
  method: WriterMethod;
  args: unknown[];
}

export type WriterAnswer = { id: number; result?: unknown; error?: string };

async function main(): Promise<void> {
  const setup = workerData as WriterSetup;
  // Indexes in each append's transaction: the main thread reads over a connection of its own,
  // which has no unindexed tail to answer from.
  const backend = new SqliteBackend(setup.file, setup.synchronous, null);
  await backend.open();
  const port = parentPort!;
  port.on('message', (call: WriterCall) => {
    // A call's promise settles synchronously inside better-sqlite3's transaction; the thread
    // takes the next message only after this one's answer is posted.
    const run = backend[call.method] as (...args: unknown[]) => Promise<unknown>;
    run.apply(backend, call.args).then(
      (result) => port.postMessage({ id: call.id, result } satisfies WriterAnswer),
      (err: Error) => port.postMessage({ id: call.id, error: err.message } satisfies WriterAnswer),
    );
  });
  port.postMessage({ id: 0 } satisfies WriterAnswer);
}

main().catch((err: Error) => {
  // Reported to the main thread as the worker's error; it refuses the writes waiting on it.
  throw err;
});
