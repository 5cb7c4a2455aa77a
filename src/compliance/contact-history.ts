import type { Queryable } from '../common/queryable';
import type { ContactHistory } from './evaluate';

const DAY_MS = 86_400_000;

/**
 * The two columns of a number's history, for a SELECT whose phone expression and parameters are
 * given: `attempts`, the number's attempts that count (reached the platform or in flight: every
 * state but a proven `not_dialled`), all campaigns, after `attemptsSince` and up to `until`
 * (other than `exclude`), and `refused_at`, its latest refusal after `refusalsSince`.
 */
export function historyColumnsSql(
  phone: string,
  p: { attemptsSince: string; refusalsSince: string; until: string; exclude?: string },
): string {
  const other = p.exclude ? ` AND h.id IS DISTINCT FROM ${p.exclude}::uuid` : '';
  return `array(SELECT h.requested_at FROM call_attempts h
                 WHERE h.to_number = ${phone} AND h.state <> 'not_dialled'
                   AND h.requested_at > ${p.attemptsSince} AND h.requested_at <= ${p.until}${other}) AS attempts,
          (SELECT max(r.refused_at) FROM contact_refusals r
            WHERE r.phone = ${phone} AND r.refused_at > ${p.refusalsSince}) AS refused_at`;
}

/** The `attemptsSince` and `refusalsSince` of historyColumnsSql for a look-back from `now`. */
export function historySince(
  now: Date,
  look: { attemptDays: number; refusalDays: number },
): [Date, Date] {
  return [
    new Date(now.getTime() - look.attemptDays * DAY_MS),
    new Date(now.getTime() - look.refusalDays * DAY_MS),
  ];
}

/** A row holding historyColumnsSql's columns, as a ContactHistory. */
export function historyOf(
  row: { attempts: Date[] | null; refused_at: Date | null } | undefined,
): ContactHistory {
  return {
    attempts: (row?.attempts ?? []).map((d) => new Date(d)),
    refusedAt: row?.refused_at ? new Date(row.refused_at) : null,
  };
}

/**
 * The number's history over the last `attemptDays` days (attempts) and `refusalDays` days
 * (refusals), read outside the claim (test calls).
 */
export async function contactHistory(
  db: Queryable,
  phone: string,
  now: Date,
  look: { attemptDays: number; refusalDays: number },
  excludeAttemptId: string | null = null,
): Promise<ContactHistory> {
  const columns = historyColumnsSql('$1', {
    attemptsSince: '$2',
    refusalsSince: '$3',
    exclude: '$4',
    until: '$5',
  });
  const rows: { attempts: Date[] | null; refused_at: Date | null }[] = await db.query(
    `SELECT ${columns}`,
    [phone, ...historySince(now, look), excludeAttemptId, now],
  );
  return historyOf(rows[0]);
}

/**
 * The number's lock as a column of the claim's candidates statement: a try-lock never waits, so
 * two claims never deadlock; `false`, another claim holds the number now (its lead waits for the
 * next pass). `space` is the parameter holding ADVISORY_LOCKS.contactSpace.
 */
export function tryLockNumberSql(phone: string, space: string): string {
  return `pg_try_advisory_xact_lock(${space}, hashtext(${phone}))`;
}

/**
 * The histories of numbers the claim has locked (tryLockNumberSql, in an earlier statement: this
 * one sees whatever the previous holder committed), in one statement for the whole batch.
 */
export async function readLockedHistories(
  db: Queryable,
  phones: string[],
  now: Date,
  look: { attemptDays: number; refusalDays: number },
): Promise<Map<string, ContactHistory>> {
  const out = new Map<string, ContactHistory>();
  if (phones.length === 0) return out;
  const columns = historyColumnsSql('p.phone', {
    attemptsSince: '$2',
    refusalsSince: '$3',
    until: '$4',
  });
  const rows = await db.query<
    { phone: string; attempts: Date[] | null; refused_at: Date | null }[]
  >(`SELECT p.phone, ${columns} FROM unnest($1::text[]) AS p(phone)`, [
    [...new Set(phones)],
    ...historySince(now, look),
    now,
  ]);
  for (const r of rows) out.set(r.phone, historyOf(r));
  return out;
}
