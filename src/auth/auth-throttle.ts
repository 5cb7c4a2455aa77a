import type { DataSource } from 'typeorm';

/**
 * Failed authentications per client address and minute, in PostgreSQL so that every instance
 * counts the same failures. A fixed window: simple, one row per address and minute.
 */
export async function recordAuthFailure(
  db: DataSource,
  client: string,
  now: Date,
): Promise<number> {
  const [{ failures }]: { failures: number }[] = await db.query(
    `INSERT INTO auth_failures (client, minute, failures) VALUES ($1, date_trunc('minute', $2::timestamptz), 1)
     ON CONFLICT (client, minute) DO UPDATE SET failures = auth_failures.failures + 1
     RETURNING failures`,
    [client, now],
  );
  // A new window: a good moment to forget old ones (cheap: the minute index).
  if (failures === 1)
    await db.query(`DELETE FROM auth_failures WHERE minute < $1::timestamptz - interval '1 hour'`, [
      now,
    ]);
  return failures;
}

/** Seconds until the current minute's window closes (at least 1). */
export function secondsLeftInMinute(now: Date): number {
  return Math.max(1, 60 - now.getUTCSeconds());
}
