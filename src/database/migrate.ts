import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ADVISORY_LOCKS } from '../common/advisory-locks';

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so that instances starting
 * together take turns: the first migrates, the others find nothing left to do.
 * Returns the names of the migrations it applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url, application_name: 'callrounded-migrate-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations]);
    const ds = new DataSource({ ...dataSourceOptions(url), extra: { max: 2 } });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrations])
      .catch(() => undefined);
    await lock.end();
  }
}
