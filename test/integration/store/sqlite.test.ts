import { SqliteBackend } from '../../../store/sqlite';
import { sqliteBackend, tempDir } from '../../support/stores';
import { eventLogContract } from './contract';

let dir = '';

eventLogContract('SQLite', {
  backend: () => sqliteBackend((dir = tempDir())),
  reopen: () => sqliteBackend(dir),
  async toFirstVersion(backend) {
    const db = (backend as SqliteBackend).database;
    db.exec('DROP TABLE event_index; DROP TABLE indexed_types');
    db.pragma('user_version = 1');
  },
  async corrupt(backend, stream, version) {
    (backend as SqliteBackend).database
      .prepare('UPDATE events SET data = ? WHERE stream = ? AND version = ?')
      .run(Buffer.from([0xff, 0xff, 0xff]), stream, version);
  },
});
