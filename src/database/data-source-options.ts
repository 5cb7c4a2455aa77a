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
    extra: { max: 20, application_name: 'callrounded-campaigns' },
  };
}
