import type { Queryable } from '../common/queryable';
import { countersWithPrefix, readCounters, type CampaignCounters } from './campaign-counters';
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

/** Headline figures from the campaign's counters: a few rows, whatever the number of leads. */
export async function computeHeadline(
  db: Queryable,
  campaignId: string,
): Promise<CampaignHeadline> {
  return headlineFromCounters(
    (await readCounters(db, [campaignId])).get(campaignId) ?? new Map<string, number>(),
  );
}

/** The headline figures a campaign's counters give. */
export function headlineFromCounters(c: CampaignCounters): CampaignHeadline {
  const byStatus = countersWithPrefix(c, 'status:');
  const callsByOutcome = countersWithPrefix(c, 'calls:');
  const byOutcome = countersWithPrefix(c, 'last_outcome:');
  const leads = Object.values(byStatus).reduce((n, v) => n + v, 0);
  const calls = Object.values(callsByOutcome).reduce((n, v) => n + v, 0);
  const dialled = c.get('dialled') ?? 0;
  const reached = c.get('reached') ?? 0;
  const qualified = c.get('qualified:true') ?? 0;
  if (leads - dialled > 0) byOutcome.not_called = leads - dialled;

  return {
    leads,
    dialled,
    reached,
    qualified,
    not_qualified: c.get('qualified:false') ?? 0,
    qualification_rate: reached > 0 ? roundOrNull(qualified / reached, 4) : null,
    reach_rate: dialled > 0 ? roundOrNull(reached / dialled, 4) : null,
    total_cost: roundOrNull(c.get('cost') ?? 0, 6) ?? 0,
    total_duration_seconds: roundOrNull(c.get('duration') ?? 0, 3) ?? 0,
    by_outcome: byOutcome,
    by_status: byStatus,
    calls: { total: calls, by_outcome: callsByOutcome },
  };
}
