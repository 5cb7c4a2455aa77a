import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startLeadsEnv, type LeadsTestEnv } from '../leads/support';

interface TableColumn {
  table: string;
  column: string;
  data_type: string;
  nullable: boolean;
  has_default: boolean;
}

/**
 * synchronize stays off and the schema is the migrations' alone (indexes, checks and defaults
 * live there), so the entities must at least describe the migrated tables' columns exactly:
 * each mapped column exists with its type and nullability, and no required column is unmapped
 * (an insert through TypeORM would fail on it).
 */
describe('the entities and the migrated schema', () => {
  let env: LeadsTestEnv;
  let db: DataSource;
  let columns: TableColumn[];

  beforeAll(async () => {
    env = await startLeadsEnv();
    db = env.app.get(DataSource);
    columns = (
      await env.pg.query<TableColumn>(
        `SELECT table_name AS table, column_name AS column, data_type, is_nullable = 'YES' AS nullable,
                column_default IS NOT NULL OR is_identity = 'YES' AS has_default
           FROM information_schema.columns WHERE table_schema = 'public'`,
      )
    ).rows;
  });

  afterAll(async () => {
    await env?.close();
  });

  it('map the engine tables', () => {
    expect(db.entityMetadatas.map((m) => m.tableName)).toEqual(
      expect.arrayContaining(['call_attempts', 'campaigns', 'leads']),
    );
  });

  it('name every column with the type and nullability the migrations gave it', () => {
    const problems: string[] = [];
    for (const entity of db.entityMetadatas) {
      const table = columns.filter((c) => c.table === entity.tableName);
      if (table.length === 0) problems.push(`${entity.tableName}: no such table`);
      for (const col of entity.columns) {
        const actual = table.find((c) => c.column === col.databaseName);
        const where = `${entity.tableName}.${col.databaseName}`;
        if (!actual) {
          problems.push(`${where}: not in the schema`);
          continue;
        }
        const expected = col.isArray ? 'ARRAY' : db.driver.normalizeType(col);
        if (actual.data_type !== expected)
          problems.push(`${where}: entity says ${expected}, schema has ${actual.data_type}`);
        if (actual.nullable !== col.isNullable)
          problems.push(`${where}: entity nullable=${col.isNullable}, schema ${actual.nullable}`);
      }
      for (const c of table) {
        const mapped = entity.columns.some((col) => col.databaseName === c.column);
        if (!mapped && !c.nullable && !c.has_default)
          problems.push(
            `${entity.tableName}.${c.column}: required in the schema, unknown to the entity`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});
