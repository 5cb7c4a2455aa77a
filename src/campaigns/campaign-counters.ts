import { ADVISORY_LOCKS } from '../common/advisory-locks';
import type { Queryable } from '../common/queryable';

/**
 * A campaign's counters (table `campaign_counters`, kept by triggers on leads and call_attempts
 * in the transactions that change them; see migration CampaignCounters): key → value.
 * `status:<status>`, `qualified:true|false`, `calls:<outcome|in_progress>`, `cost`, `duration`,
 * `dialled`, `reached`, `last_outcome:<outcome|in_progress>`; for the budget cap (migration
 * BudgetCounters) `spent`, `priced_calls` (attempts ended with a cost) and `slots` (attempts
 * holding a slot). Absent keys are zero.
 */
export type CampaignCounters = Map<string, number>;

/**
 * The counters of several campaigns, one indexed SUM over their few delta rows; only `keys`
 * when given.
 */
export async function readCounters(
  db: Queryable,
  campaignIds: string[],
  keys?: readonly string[],
): Promise<Map<string, CampaignCounters>> {
  const out = new Map<string, CampaignCounters>(campaignIds.map((id) => [id, new Map()]));
  if (campaignIds.length === 0) return out;
  const rows: { campaign_id: string; key: string; value: string }[] = await db.query(
    `SELECT campaign_id, key, sum(value)::text AS value FROM campaign_counters
      WHERE campaign_id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR key = ANY($2::text[]))
      GROUP BY 1, 2 HAVING sum(value) <> 0`,
    [campaignIds, keys ?? null],
  );
  for (const row of rows) out.get(row.campaign_id)?.set(row.key, Number(row.value));
  return out;
}

/** The keys with `prefix`, without it: e.g. `status:` → counts by status. */
export function countersWithPrefix(
  counters: CampaignCounters,
  prefix: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of counters)
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

/** Sum of the values of `keys` (absent ones count zero). */
export function sumOf(counts: Record<string, number>, keys: readonly string[]): number {
  return keys.reduce((n, k) => n + (counts[k] ?? 0), 0);
}

/**
 * Folds the delta rows of each (campaign, key) into one, so reads stay a few rows per campaign.
 * Each figure is folded by one folder whole (a try-lock per campaign and key; rows another folder
 * holds are skipped), so two instances never fold a row twice nor split a figure between them;
 * a reader sees the rows before or after a fold, never a mix (one statement). Answers how many
 * rows were folded. Rows of campaigns deleted meanwhile are dropped.
 */
export async function foldCounters(db: Queryable, maxRows = 50_000): Promise<number> {
  const [{ folded }] = await db.query<{ folded: string }[]>(
    `WITH dup AS (
       SELECT campaign_id, key FROM campaign_counters GROUP BY 1, 2 HAVING count(*) > 1),
     -- A figure's rows go to one folder whole (its lock, held to the end of the statement), so
     -- two folders at once never leave a figure in two rows.
     mine AS MATERIALIZED (
       SELECT campaign_id, key FROM dup
        WHERE pg_try_advisory_xact_lock($2, hashtext(campaign_id::text || ':' || key))),
     picked AS (
       SELECT c.id FROM campaign_counters c JOIN mine USING (campaign_id, key)
        LIMIT $1 FOR UPDATE OF c SKIP LOCKED),
     gone AS (
       DELETE FROM campaign_counters c USING picked p WHERE c.id = p.id
       RETURNING c.campaign_id, c.key, c.value),
     kept AS (
       INSERT INTO campaign_counters (campaign_id, key, value)
       SELECT g.campaign_id, g.key, sum(g.value) FROM gone g
        WHERE EXISTS (SELECT 1 FROM campaigns x WHERE x.id = g.campaign_id)
        GROUP BY 1, 2 HAVING sum(g.value) <> 0
       RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::text AS folded`,
    [maxRows, ADVISORY_LOCKS.counterFoldSpace],
  );
  await db.query(
    `DELETE FROM campaign_counters c
      WHERE NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.id = c.campaign_id)`,
  );
  return Number(folded);
}
