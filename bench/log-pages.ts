/**
 * What one durable one-to-one message costs the SQLite event log, by the shape of what is written
 * and the size of the group commit: CPU per message, and WAL bytes per message (pages written).
 *
 * A message is what the c2c actor appends: one MessageSent event with its two index keys (seq,
 * time) on the conversation's stream, and a MessageRef on each participant's inbox stream (the
 * per-user sync sequence, DESIGN.md). Shapes leave parts out to show what each costs:
 *   full     the message as Parley writes it
 *   nokeys   without the two index keys
 *   nofeeds  without the two inbox references
 *   bare     one event row and its stream's version, nothing else
 * Conversations are spread as the load bench spreads them (`--pairs` pairs, each its own
 * conversation). The WAL is never checkpointed during a run, so its size is every frame written.
 * `--lags` compares where the indexes by stream are written: `behind` (the default of an
 * embedded node, store/sqlite-tail.ts) or `inline`, in each commit's own transaction (as the
 * writer thread does, and as every commit did before); a run ends with the tail indexed, so
 * both count every page.
 *
 * Usage: npx tsx bench/log-pages.ts [--messages 20000] [--pairs 50] [--batches 10,50,200,1000]
 *   [--shapes full,nokeys,nofeeds,bare] [--sync NORMAL|FULL] [--lags behind,inline] [--runs 1]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_INDEX_LAG, SqliteBackend } from '../store/sqlite';
import { median } from './stats';
import type { AppendRequest } from '../store/backend';

type Shape = 'full' | 'nokeys' | 'nofeeds' | 'bare';
type Lag = 'behind' | 'inline';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    pairs: { type: 'string', default: '50' },
    batches: { type: 'string', default: '10,50,200,1000' },
    shapes: { type: 'string', default: 'full,nokeys,nofeeds,bare' },
    sync: { type: 'string', default: 'FULL' },
    lags: { type: 'string', default: 'behind,inline' },
    runs: { type: 'string', default: '1' },
  },
});

const MESSAGE = Buffer.alloc(180, 7); // a short text message, Avro-encoded, is about this size
const REF = Buffer.alloc(60, 3);

function message(n: number, pairs: number, version: number, shape: Shape): AppendRequest {
  const from = `user${n % pairs}`;
  const to = `peer${n % pairs}`;
  const time = Date.now();
  const keys = shape === 'full' || shape === 'nofeeds' ? [{ index: 'seq', key: version + 1 }, { index: 'time', key: time }] : [];
  const feeds = shape === 'full' || shape === 'nokeys' ? [from, to].map((u) => ({ stream: `inbox:1400000000:${u}`, events: [{ type: 'parley.inbox.MessageRef', fingerprint: 'ref', data: REF }] })) : [];
  return { stream: `c2c:1400000000:${from}|${to}`, expectedVersion: version, time, events: [{ type: 'parley.c2c.MessageSent', fingerprint: 'msg', data: MESSAGE, keys }], feeds };
}

async function run(shape: Shape, batch: number, total: number, pairs: number, sync: 'FULL' | 'NORMAL', lag: Lag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-log-pages-'));
  const backend = new SqliteBackend(path.join(dir, 'log.sqlite'), sync, lag === 'behind' ? DEFAULT_INDEX_LAG : null);
  await backend.open();
  backend.database.pragma('wal_autocheckpoint = 0');
  const versions = new Map<string, number>();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let n = 0; n < total; ) {
    const requests: AppendRequest[] = [];
    for (let i = 0; i < batch && n < total; i++, n++) {
      const r = message(n, pairs, versions.get(`c2c:1400000000:user${n % pairs}|peer${n % pairs}`) ?? 0, shape);
      versions.set(r.stream, r.expectedVersion + 1);
      requests.push(r);
    }
    await backend.appendBatch(requests);
  }
  backend.flushIndexes();
  const wall = Number(process.hrtime.bigint() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const walBytes = fs.statSync(path.join(dir, 'log.sqlite-wal')).size;
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { cpu: (used.user + used.system) / total, sys: used.system / total, wall: wall / total, wal: walBytes / total };
}

async function main(): Promise<void> {
  const total = Number(values.messages);
  const pairs = Number(values.pairs);
  const runs = Number(values.runs);
  const sync = values.sync === 'NORMAL' ? 'NORMAL' : 'FULL';
  console.log(`SQLite event log, ${total} one-to-one messages over ${pairs} conversations, synchronous=${sync}, medians of ${runs} alternating runs`);
  console.log('shape    indexes   batch  CPU µs/msg  of which kernel  wall µs/msg  WAL KB/msg');
  for (const batch of values.batches.split(',').map(Number)) {
    for (const shape of values.shapes.split(',') as Shape[]) {
      const lags = values.lags.split(',') as Lag[];
      const results = new Map<Lag, Awaited<ReturnType<typeof run>>[]>(lags.map((l) => [l, []]));
      for (let i = 0; i < runs; i++) for (const lag of lags) results.get(lag)!.push(await run(shape, batch, total, pairs, sync, lag));
      for (const [lag, rs] of results) {
        const m = (f: (r: (typeof rs)[number]) => number) => median(rs.map(f));
        console.log(
          `${shape.padEnd(8)} ${lag.padEnd(7)} ${String(batch).padStart(6)} ${m((r) => r.cpu).toFixed(1).padStart(11)} ${m((r) => r.sys).toFixed(1).padStart(16)} ${m((r) => r.wall).toFixed(1).padStart(12)} ${(m((r) => r.wal) / 1024).toFixed(2).padStart(11)}`,
        );
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
