/** What the report's SQL needs: a DataSource, an EntityManager or a transaction's manager. */
export interface Queryable {
  /** Name the rows' type (`query<Row[]>(…)`): untyped, the answer is `any`, as TypeORM's. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * Runs independent queries together on a pool, one after the other on a single connection (a
 * transaction's manager): pg refuses overlapping queries on one client.
 */
export async function runAll<T extends readonly unknown[]>(
  db: Queryable,
  thunks: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  const onOneConnection = (db as { queryRunner?: unknown }).queryRunner !== undefined;
  if (!onOneConnection) return Promise.all(thunks.map((t) => t())) as unknown as Promise<T>;
  const out: unknown[] = [];
  for (const t of thunks) out.push(await t());
  return out as unknown as T;
}
