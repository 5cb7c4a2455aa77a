import { ADVISORY_LOCKS } from '../common/advisory-locks';
import type { Queryable } from '../common/queryable';
import type { ContactHistory } from './evaluate';

/** Takes the number's lock for the rest of the transaction; false: another claim holds it now. */
export async function tryLockNumber(tx: Queryable, phone: string): Promise<boolean> {
  const rows = await tx.query<{ locked: boolean }[]>(
    `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`,
    [ADVISORY_LOCKS.contactSpace, phone],
  );
  return rows[0]?.locked === true;
}

const DAY_MS = 86_400_000;

/**
 * The number's attempts that count (reached the platform or in flight: every state but a proven
 * `not_dialled`) over the last `attemptDays` days, all campaigns, and its latest refusal within
 * `refusalDays` days. Run after tryLockNumber in the claim, so no other claim adds one meanwhile.
 */
export async function contactHistory(
  db: Queryable,
  phone: string,
  now: Date,
  look: { attemptDays: number; refusalDays: number },
  excludeAttemptId: string | null = null,
): Promise<ContactHistory> {
  const rows: { attempts: Date[] | null; refused_at: Date | null }[] = await db.query(
    `SELECT array(SELECT requested_at FROM call_attempts
                   WHERE to_number = $1 AND state <> 'not_dialled' AND requested_at > $2
                     AND requested_at <= $5 AND id IS DISTINCT FROM $4::uuid) AS attempts,
            (SELECT max(refused_at) FROM contact_refusals WHERE phone = $1 AND refused_at > $3) AS refused_at`,
    [
      phone,
      new Date(now.getTime() - look.attemptDays * DAY_MS),
      new Date(now.getTime() - look.refusalDays * DAY_MS),
      excludeAttemptId,
      now,
    ],
  );
  const row = rows[0];
  return {
    attempts: (row?.attempts ?? []).map((d) => new Date(d)),
    refusedAt: row?.refused_at ? new Date(row.refused_at) : null,
  };
}
