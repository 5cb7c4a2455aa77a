import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SLOT_STATES_SQL } from '../../common/attempt-states';
import { queryRows } from '../../common/sql';

/**
 * The `call_attempts` statements the engine's stages share (slots, leases, the termination
 * marker, recorded call ids). The moves that hold or free a slot together with their lead are
 * AttemptLedger's; the claim's insert and the finalisation stay with their stage (one statement
 * each, measured by the benches).
 */
@Injectable()
export class CallAttemptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Slots held fleet-wide (attempts in a slot state). */
  async countSlotsHeld(): Promise<number> {
    const [{ n }] = await queryRows<{ n: string }>(
      this.db,
      `SELECT count(*) AS n FROM call_attempts WHERE state IN ${SLOT_STATES_SQL}`,
    );
    return Number(n);
  }

  /** Keeps these claimed-but-not-yet-recorded attempts of `owner` from looking abandoned. */
  async renewStartingLeases(ids: string[], until: Date, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE call_attempts SET lease_expires_at = $2
          WHERE id = ANY($1::uuid[]) AND state = 'starting' AND lease_owner = $3`,
      [ids, until, owner],
    );
  }

  /**
   * Marks every live call of a cancelled campaign not yet asked to end; answers them. The
   * marker makes each call terminated by one instance once.
   */
  async markCancelledCampaignsCalls(now: Date): Promise<{ id: string; call_id: string }[]> {
    return queryRows(
      this.db,
      `UPDATE call_attempts a SET terminate_requested_at = $1, updated_at = now()
         FROM campaigns c
        WHERE c.id = a.campaign_id AND c.status = 'cancelled'
          AND a.state = 'live' AND a.terminate_requested_at IS NULL
        RETURNING a.id, a.call_id`,
      [now],
    );
  }

  /** Marks one live call to be ended; answers its call id, or undefined when it is not ours to end. */
  async markForTermination(attemptId: string, now: Date): Promise<string | undefined> {
    const rows = await queryRows<{ call_id: string }>(
      this.db,
      `UPDATE call_attempts SET terminate_requested_at = $2, updated_at = now()
        WHERE id = $1 AND state = 'live' AND terminate_requested_at IS NULL RETURNING call_id`,
      [attemptId, now],
    );
    return rows[0]?.call_id;
  }

  /** Which of these platform call ids some attempt already recorded. */
  async recordedCallIds(callIds: string[]): Promise<Set<string>> {
    const known = await queryRows<{ call_id: string }>(
      this.db,
      `SELECT call_id FROM call_attempts WHERE call_id = ANY($1::text[])`,
      [callIds],
    );
    return new Set(known.map((k) => k.call_id));
  }
}
