import { SqliteBackend } from '../../../store/sqlite';
import { sqliteBackend, tempDir, toFirstSqliteVersion } from '../../support/stores';
import { eventLogContract } from './contract';

let dir = '';

eventLogContract('SQLite', {
  backend: () => sqliteBackend((dir = tempDir())),
  reopen: () => sqliteBackend(dir),
  async toFirstVersion(backend) {
    toFirstSqliteVersion(backend as SqliteBackend);
  },
  async corrupt(backend, stream, version) {
    (backend as SqliteBackend).database
      .prepare('UPDATE events SET data = ? WHERE stream = ? AND version = ?')
      .run(Buffer.from([0xff, 0xff, 0xff]), stream, version);
  },
});
