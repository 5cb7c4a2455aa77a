import { Queryable, runAll } from '../common/queryable';
import { roundOrNull } from '../common/numbers';

/** The campaign's headline figures (see docs/REPORT.md for the definitions). */
export interface CampaignHeadline {
  /** Every lead of the campaign, whatever its status. */
  leads: number;
  /** Leads with at least one attempt that created a platform call. */
  dialled: number;
  /** Leads with at least one call that completed (someone answered and the call ran its course). */
  reached: number;
  /** Leads whose rules held on their last completed call. */
  qualified: number;
  /** Reached leads whose rules did not hold. */
  not_qualified: number;
  /** qualified ÷ reached, 0..1, 4 decimals; null before anyone was reached. */
  qualification_rate: number | null;
  /** reached ÷ dialled, 0..1, 4 decimals; null before anyone was dialled. */
  reach_rate: number | null;
  /** Sum of every call's cost, in the platform account's currency. */
  total_cost: number;
  /** Sum of every call's duration. */
  total_duration_seconds: number;
  /** Leads by their last call's outcome; `not_called` for leads with no call, `in_progress` for a live one. */
  by_outcome: Record<string, number>;
  /** Leads by status. */
  by_status: Record<string, number>;
  /** Platform calls: how many, and how each ended. */
  calls: { total: number; by_outcome: Record<string, number> };
}

/** Headline figures with three aggregate queries; nothing is loaded lead by lead. */
export async function computeHeadline(
  db: Queryable,
  campaignId: string,
): Promise<CampaignHeadline> {
  const [leadGroups, callGroups, perLead] = await runAll(db, [
    () =>
      db.query<{ status: string; qualified: boolean | null; n: number }[]>(
        `SELECT status, qualified, count(*)::int AS n FROM leads WHERE campaign_id = $1 GROUP BY 1, 2`,
        [campaignId],
      ),
    () =>
      db.query<{ outcome: string; n: number; cost: number; duration: number }[]>(
        `SELECT coalesce(outcome, 'in_progress') AS outcome, count(*)::int AS n,
              coalesce(sum(cost), 0)::float8 AS cost,
              coalesce(sum(duration_seconds), 0)::float8 AS duration
         FROM call_attempts
        WHERE campaign_id = $1 AND call_id IS NOT NULL
        GROUP BY 1`,
        [campaignId],
      ),
    () =>
      db.query<{ outcome: string; n: number; reached: number }[]>(
        `SELECT coalesce(last_outcome, 'in_progress') AS outcome, count(*)::int AS n,
              count(*) FILTER (WHERE reached)::int AS reached
         FROM (SELECT (array_agg(outcome ORDER BY attempt_number DESC))[1] AS last_outcome,
                      bool_or(outcome = 'completed') AS reached
                 FROM call_attempts
                WHERE campaign_id = $1 AND call_id IS NOT NULL
                GROUP BY lead_id) per_lead
        GROUP BY 1`,
        [campaignId],
      ),
  ]);

  const byStatus: Record<string, number> = {};
  let leads = 0;
  let qualified = 0;
  let notQualified = 0;
  for (const g of leadGroups) {
    leads += g.n;
    byStatus[g.status] = (byStatus[g.status] ?? 0) + g.n;
    if (g.qualified === true) qualified += g.n;
    if (g.qualified === false) notQualified += g.n;
  }
  const callsByOutcome: Record<string, number> = {};
  let calls = 0;
  let cost = 0;
  let duration = 0;
  for (const g of callGroups) {
    callsByOutcome[g.outcome] = g.n;
    calls += g.n;
    cost += g.cost;
    duration += g.duration;
  }
  const byOutcome: Record<string, number> = {};
  let dialled = 0;
  let reached = 0;
  for (const g of perLead) {
    byOutcome[g.outcome] = g.n;
    dialled += g.n;
    reached += g.reached;
  }
  if (leads - dialled > 0) byOutcome.not_called = leads - dialled;

  return {
    leads,
    dialled,
    reached,
    qualified,
    not_qualified: notQualified,
    qualification_rate: reached > 0 ? roundOrNull(qualified / reached, 4) : null,
    reach_rate: dialled > 0 ? roundOrNull(reached / dialled, 4) : null,
    total_cost: roundOrNull(cost, 6) ?? 0,
    total_duration_seconds: roundOrNull(duration, 3) ?? 0,
    by_outcome: byOutcome,
    by_status: byStatus,
    calls: { total: calls, by_outcome: callsByOutcome },
  };
}
