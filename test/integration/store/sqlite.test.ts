import type { SqliteBackend } from '../../../store/sqlite';
import { sqliteBackend } from '../../support/stores';
import { eventLogContract } from './contract';

eventLogContract('SQLite', {
  backend: () => sqliteBackend(),
  async corrupt(backend, stream, version) {
    (backend as SqliteBackend).database
      .prepare('UPDATE events SET data = ? WHERE stream = ? AND version = ?')
      .run(Buffer.from([0xff, 0xff, 0xff]), stream, version);
  },
});
