/** PostgreSQL housekeeping the benchmarks (and the test support) share. */
import { Client } from 'pg';

/** Drops a schema and everything in it; a schema that is not there is no error. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
