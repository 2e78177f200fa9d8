import { expect } from 'chai';
import path from 'node:path';
import { SqliteThreadBackend } from '../../../store/sqlite-thread';
import { tempDir, toFirstSqliteVersion } from '../../support/stores';
import { eventLogContract } from './contract';

let dir = '';
const threaded = () => new SqliteThreadBackend(path.join(dir, 'parley.sqlite'), 'NORMAL');

eventLogContract('SQLite with a writer thread', {
  backend: () => ((dir = tempDir()), threaded()),
  reopen: threaded,
  async toFirstVersion(backend) {
    toFirstSqliteVersion(backend as SqliteThreadBackend);
  },
  async corrupt(backend, stream, version) {
    (backend as SqliteThreadBackend).database
      .prepare('UPDATE events SET data = ? WHERE stream = ? AND version = ?')
      .run(Buffer.from([0xff, 0xff, 0xff]), stream, version);
  },
});

describe('SQLite writer thread', () => {
  it('refuses the writes waiting on a writer that died, and starts a new one for the next', async () => {
    dir = tempDir();
    const backend = threaded();
    await backend.open();
    const event = { type: 't', fingerprint: 'f', data: Buffer.from([1]) };
    const request = (stream: string) => ({ stream, expectedVersion: 0, time: 1, events: [event], feeds: [] });
    const writer = await (backend as unknown as { worker: Promise<import('node:worker_threads').Worker> }).worker;
    const waiting = backend.appendBatch([request('a')]);
    await writer.terminate();
    // Either the write committed before the thread ended, or it is refused; never left hanging.
    const outcome = await waiting.then((o) => o[0].ok, (err: Error) => err.message);
    expect([true, 'event-log writer thread exited with 1']).to.include(outcome);
    const [next] = await backend.appendBatch([request('b')]);
    expect(next.ok).to.equal(true);
    expect(await backend.streamVersion('b')).to.equal(1);
    await backend.close();
  });
});
