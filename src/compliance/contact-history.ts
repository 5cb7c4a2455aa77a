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

/**
 * The claim's batch form of tryLockNumber + contactHistory: locks every number it can in one
 * statement (try-locks never wait, so two claims never deadlock), then reads the locked numbers'
 * histories in a second one (a new statement: it sees whatever the previous holder committed).
 * Numbers another claim holds are absent from the answer: their leads wait for the next pass.
 */
export async function lockAndReadHistories(
  db: Queryable,
  phones: string[],
  now: Date,
  look: { attemptDays: number; refusalDays: number },
): Promise<Map<string, ContactHistory>> {
  const out = new Map<string, ContactHistory>();
  if (phones.length === 0) return out;
  const locked = await db.query<{ phone: string }[]>(
    `SELECT p AS phone FROM unnest($1::text[]) AS p
      WHERE pg_try_advisory_xact_lock($2, hashtext(p))`,
    [[...new Set(phones)].sort(), ADVISORY_LOCKS.contactSpace],
  );
  if (locked.length === 0) return out;
  const rows = await db.query<
    { phone: string; attempts: Date[] | null; refused_at: Date | null }[]
  >(
    `SELECT p.phone,
            array(SELECT requested_at FROM call_attempts a
                   WHERE a.to_number = p.phone AND a.state <> 'not_dialled'
                     AND a.requested_at > $2 AND a.requested_at <= $4) AS attempts,
            (SELECT max(refused_at) FROM contact_refusals r WHERE r.phone = p.phone AND r.refused_at > $3) AS refused_at
       FROM unnest($1::text[]) AS p(phone)`,
    [
      locked.map((r) => r.phone),
      new Date(now.getTime() - look.attemptDays * DAY_MS),
      new Date(now.getTime() - look.refusalDays * DAY_MS),
      now,
    ],
  );
  for (const r of rows)
    out.set(r.phone, {
      attempts: (r.attempts ?? []).map((d) => new Date(d)),
      refusedAt: r.refused_at ? new Date(r.refused_at) : null,
    });
  return out;
}
