import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index';

/**
 * TypeORM options shared by the app, the migration runner and the CLI. Entities are registered
 * by each feature module (autoLoadEntities) and migrations by an explicit list, so that the same
 * code runs compiled and under Jest. `synchronize` stays off: the schema is the migrations' job.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // A request waits at most 10 s for a pooled connection (503 with Retry-After past that),
    // instead of queueing forever behind slow work.
    extra: { max: 20, connectionTimeoutMillis: 10_000, application_name: 'callrounded-campaigns' },
  };
}
