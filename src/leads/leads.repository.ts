import { Injectable } from '@nestjs/common';
import type { Queryable } from '../common/queryable';
import { DIALABLE_LEAD_STATUSES_SQL, type LeadStatus } from './lead-statuses';

/** The final statuses a lead is closed with before any call (claim-time screening). */
export type ClosedBeforeCall = Extract<LeadStatus, 'suppressed' | 'ineligible' | 'failed'>;

/**
 * The `leads` statements the engine and the campaign lifecycle share. Each takes the caller's
 * transaction (or pool), so the move commits with the rest of its change.
 */
@Injectable()
export class LeadsRepository {
  /** The lead will not be dialled again: `status` with its reason, nothing due. */
  async close(
    q: Queryable,
    leadId: string,
    status: ClosedBeforeCall,
    reason: string,
  ): Promise<void> {
    await q.query(
      `UPDATE leads SET status = $3, status_reason = $2, next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
      [leadId, reason, status],
    );
  }

  /** The lead keeps its status and place, due again at `nextAttemptAt`. */
  async postpone(
    q: Queryable,
    leadId: string,
    nextAttemptAt: Date | null,
    reason: string,
  ): Promise<void> {
    await q.query(
      `UPDATE leads SET next_attempt_at = $2, status_reason = $3, updated_at = now() WHERE id = $1`,
      [leadId, nextAttemptAt, reason],
    );
  }

  /** Every lead of the campaign still waiting for a call becomes `cancelled`; answers how many. */
  async cancelWaiting(q: Queryable, campaignId: string): Promise<number> {
    const [, cancelled] = await q.query<[unknown, number]>(
      `UPDATE leads SET status = 'cancelled', status_reason = 'campaign cancelled', next_attempt_at = NULL, updated_at = now()
        WHERE campaign_id = $1 AND status IN ${DIALABLE_LEAD_STATUSES_SQL}`,
      [campaignId],
    );
    return cancelled;
  }
}
