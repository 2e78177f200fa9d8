import { expect } from 'chai';
import type { PostgresBackend } from '../../../store/postgres';
import { dropSchema, openStore, postgresBackend, uniqueSchema } from '../../support/stores';
import { eventLogContract } from './contract';

const schemas: string[] = [];

eventLogContract('PostgreSQL', {
  backend() {
    const schema = uniqueSchema('contract');
    schemas.push(schema);
    return postgresBackend(schema);
  },
  reopen: () => postgresBackend(schemas[schemas.length - 1]),
  async toFirstVersion(backend) {
    await (backend as PostgresBackend).pool.query('DROP TABLE event_index, indexed_types; DELETE FROM parley_migrations WHERE id > 1');
  },
  async corrupt(backend, stream, version) {
    await (backend as PostgresBackend).pool.query('UPDATE events SET data = $1 WHERE stream = $2 AND version = $3', [
      Buffer.from([0xff, 0xff, 0xff]),
      stream,
      version,
    ]);
  },
  async cleanup() {
    await Promise.all(schemas.splice(0).map(dropSchema));
  },
});

describe('PostgreSQL migrations', () => {
  it('create the schema on first open and are a no-op when several nodes open at once', async () => {
    const schema = uniqueSchema('migrate');
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore(postgresBackend(schema))));
      const { rows } = await (stores[0].backend as PostgresBackend).pool.query('SELECT id FROM parley_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).to.deep.equal([1, 2]);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });
});
