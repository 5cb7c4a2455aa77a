import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a statement and answers its rows. TypeORM answers `[rows, rowCount]` for UPDATE and
 * DELETE (even with RETURNING) and plain rows otherwise; this hides the difference.
 */
export async function queryRows<T>(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
