import type { LeadStatus } from '../leads/lead-statuses';
import type { TypedAnswer } from '../qualification/answer-typing';
import type { Queryable } from '../common/queryable';
import { roundOrNull } from '../common/numbers';

/** Which leads a report lists (the JSON page, the CSV and the XLSX alike). */
export interface LeadFilter {
  /** true, false, or null for "no verdict" (never reached, or no rules); undefined: all. */
  qualified?: boolean | null;
  /** Any of these statuses; undefined or empty: all. */
  statuses?: LeadStatus[];
}

/** One lead's report fields. */
export interface ExportRow {
  phone: string;
  variables: Record<string, unknown>;
  status: string;
  attempts: number;
  last_call_id: string | null;
  last_call_status: string | null;
  /** Talk time over all the lead's calls, in seconds. */
  duration_seconds: number | null;
  /** Cost over all the lead's calls, in the platform account's currency. */
  cost: number | null;
  /** Typed answers of the last completed call, by question name. */
  answers: Record<string, TypedAnswer> | null;
  qualified: boolean | null;
  /** Why the lead waits or ended as it did (a holiday, a cap, no consent…). */
  status_reason: string | null;
  contact_type: string | null;
  /** ISO instant of the recorded consent. */
  consent_at: string | null;
  consent_source: string | null;
}

/** One lead as the JSON report shows it. */
export interface LeadReportRow extends ExportRow {
  id: string;
  /** Insertion order; the cursor. Not part of the answer. */
  seq: string;
}

/**
 * The lead's columns and its call totals, in the order ExportRow lists them. Cost and duration
 * add up every call the lead had; the last call comes from the lead, else from its latest
 * attempt that created a call. Shared by the JSON pages and the streamed exports.
 */
export const LEAD_ROW_COLUMNS = `l.phone, l.variables, l.status, l.attempts,
       coalesce(l.last_call_id, c.last_call_id) AS last_call_id,
       coalesce(l.last_call_status, c.last_call_status) AS last_call_status,
       c.duration_seconds, c.cost, l.answers, l.qualified, l.status_reason, l.contact_type,
       to_char(l.consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS consent_at, l.consent_source`;

export const LEAD_ROW_FROM = `leads l
  LEFT JOIN LATERAL (
    SELECT sum(a.duration_seconds) AS duration_seconds, sum(a.cost) AS cost,
           (array_agg(a.call_id ORDER BY a.attempt_number DESC))[1] AS last_call_id,
           (array_agg(a.call_status ORDER BY a.attempt_number DESC))[1] AS last_call_status
      FROM call_attempts a
     WHERE a.lead_id = l.id AND a.call_id IS NOT NULL
  ) c ON true`;

/**
 * The WHERE conditions of a filter. `bind` turns a value into SQL: a `$n` placeholder for
 * parameterised queries, an escaped literal for COPY (which takes no parameters).
 */
export function leadFilterSql(campaignId: string, filter: LeadFilter, bind: (value: unknown) => string): string[] {
  const where = [`l.campaign_id = ${bind(campaignId)}::uuid`];
  if (filter.statuses && filter.statuses.length > 0) where.push(`l.status = ANY(${bind(filter.statuses)}::text[])`);
  if (filter.qualified === null) where.push('l.qualified IS NULL');
  else if (filter.qualified !== undefined) where.push(`l.qualified = ${filter.qualified ? 'true' : 'false'}`);
  return where;
}

/**
 * One page of leads in insertion order, after `afterSeq` (keyset pagination on the
 * (campaign_id, seq) index: each page costs the same however deep it is).
 */
export async function fetchLeadRows(
  db: Queryable,
  campaignId: string,
  filter: LeadFilter,
  afterSeq: string | null,
  limit: number,
): Promise<LeadReportRow[]> {
  const params: unknown[] = [];
  const bind = (v: unknown) => `$${params.push(v)}`;
  const where = leadFilterSql(campaignId, filter, bind);
  where.push(`l.seq > ${bind(afterSeq ?? '0')}::bigint`);
  const rows = await db.query<(Omit<LeadReportRow, 'duration_seconds' | 'cost'> & { duration_seconds: string | null; cost: string | null })[]>(
      `SELECT l.id, l.seq::text AS seq, ${LEAD_ROW_COLUMNS}
         FROM ${LEAD_ROW_FROM}
        WHERE ${where.join(' AND ')}
        ORDER BY l.seq
        LIMIT ${bind(limit)}`,
      params,
    );
  return rows.map((r) => ({
    ...r,
    variables: r.variables ?? {},
    duration_seconds: toNumber(r.duration_seconds, 3),
    cost: toNumber(r.cost, 6),
  }));
}

/** A numeric sum (exact in PostgreSQL, text on the wire) as a JavaScript number. */
export function toNumber(text: string | null | undefined, decimals: number): number | null {
  if (text === null || text === undefined) return null;
  return roundOrNull(Number(text), decimals);
}

/**
 * The lead's own columns: every variable key of the campaign's leads. Keys an import declared
 * (`lead_imports.options.variable_keys`, the file's header order) come first, import by import;
 * then the others in the order leads first show them (jsonb keeps no key order, so ties are
 * alphabetical).
 */
export async function fetchVariableKeys(db: Queryable, campaignId: string): Promise<string[]> {
  const rows = await db.query<{ key: string }[]>(
    `WITH seen AS (
       SELECT k, min(l.seq) AS first
         FROM leads l CROSS JOIN LATERAL jsonb_object_keys(l.variables) k
        WHERE l.campaign_id = $1 AND jsonb_typeof(l.variables) = 'object'
        GROUP BY k
     ), declared AS (
       SELECT d.k, min(i.started_at) AS imported_at, min(d.n) AS position
         FROM lead_imports i
        CROSS JOIN LATERAL jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(i.options -> 'variable_keys') = 'array'
                     THEN i.options -> 'variable_keys' ELSE '[]'::jsonb END) WITH ORDINALITY AS d(k, n)
        WHERE i.campaign_id = $1
        GROUP BY d.k
     )
     SELECT seen.k AS key
       FROM seen LEFT JOIN declared ON declared.k = seen.k
      ORDER BY declared.imported_at NULLS LAST, declared.position NULLS LAST, seen.first, seen.k`,
    [campaignId],
  );
  return rows.map((r) => r.key);
}

/** Answer keys found on the campaign's leads, in first-seen order (for questions not stored). */
export async function fetchAnswerKeys(db: Queryable, campaignId: string): Promise<string[]> {
  const rows = await db.query<{ key: string }[]>(
    `SELECT k AS key
       FROM leads l CROSS JOIN LATERAL jsonb_object_keys(l.answers) k
      WHERE l.campaign_id = $1 AND jsonb_typeof(l.answers) = 'object'
      GROUP BY k
      ORDER BY min(l.seq), k`,
    [campaignId],
  );
  return rows.map((r) => r.key);
}
