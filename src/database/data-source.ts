import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (`npm run migration:run`): DATABASE_URL must be set. */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? ''));
