import { Injectable } from '@nestjs/common';
import { SLOT_STATES_SQL } from '../common/attempt-states';
import type { Queryable } from '../common/queryable';
import { queryRows } from '../common/sql';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The raw statements on a campaign and its calls that the campaign services and the engine
 * share; settings and status moves go through the `Campaign` entity. Each takes the caller's
 * transaction (or pool).
 */
@Injectable()
export class CampaignsRepository {
  /**
   * Locks the campaign's row until the transaction ends (serialises claims and status moves),
   * FOR NO KEY UPDATE: foreign-key checks on the campaign (FOR KEY SHARE) do not wait for it.
   */
  async lock(q: Queryable, campaignId: string): Promise<void> {
    await q.query('SELECT 1 FROM campaigns WHERE id = $1 FOR NO KEY UPDATE', [campaignId]);
  }

  /** The campaign's attempts in a slot state (calls starting, unconfirmed or live). */
  async callsInProgress(q: Queryable, campaignId: string): Promise<number> {
    const [{ live }] = await q.query<{ live: number }[]>(
      `SELECT count(*)::int AS live FROM call_attempts WHERE campaign_id = $1 AND state IN ${SLOT_STATES_SQL}`,
      [campaignId],
    );
    return live;
  }

  /**
   * Marks the campaign's live calls as being terminated (the engine's sweep then leaves them to
   * us) and answers them.
   */
  async markLiveCallsForTermination(
    q: DataSource | EntityManager,
    campaignId: string,
    now: Date,
  ): Promise<{ id: string; call_id: string }[]> {
    return queryRows(
      q,
      `UPDATE call_attempts SET terminate_requested_at = $2, updated_at = now()
          WHERE campaign_id = $1 AND state = 'live' AND call_id IS NOT NULL AND terminate_requested_at IS NULL
          RETURNING id, call_id`,
      [campaignId, now],
    );
  }

  /** A termination request failed: the engine's sweep tries that call again. */
  async clearTerminationMark(q: Queryable, attemptId: string): Promise<void> {
    await q.query(
      `UPDATE call_attempts SET terminate_requested_at = NULL WHERE id = $1 AND state = 'live'`,
      [attemptId],
    );
  }
}
