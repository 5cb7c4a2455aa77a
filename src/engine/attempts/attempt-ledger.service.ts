import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { queryRows } from '../../common/sql';
import { UNCONFIRMED_STATES_SQL } from '../../common/attempt-states';
import { DIALABLE_LEAD_STATUSES } from '../../leads/lead-statuses';

/** What happens to the lead when its attempt turns out never to have dialled. */
export type ReleaseLead =
  /** Back to the queue (`pending`, or `retry_scheduled` if it was called before), due at `nextAttemptAt`. */
  | { kind: 'requeue'; nextAttemptAt?: Date | null; reason?: string | null }
  /** Final: no retry can help (the platform refused the number). */
  | { kind: 'failed'; reason: string }
  /** Final: the number is on the do-not-call list. */
  | { kind: 'suppressed'; reason: string }
  /** Final: the law forbids calling this lead (e.g. no recorded consent). */
  | { kind: 'ineligible'; reason: string };

/** The platform itself refused the start (a 4xx other than 429): the circuit breaker counts it. */
export interface ReleaseOptions {
  platformFailed?: boolean;
}

export interface Released {
  leadId: string;
  campaignId: string;
  /** The lead reached a final status (failed, suppressed, ineligible, or cancelled with its campaign). */
  leadFinal: boolean;
}

export interface MadeLive {
  leadId: string;
  campaignId: string;
  campaignStatus: string;
}

/**
 * The state moves of an attempt that hold or free a slot, each a conditional UPDATE: whoever
 * moves a row first wins, so two instances (or a late answer and the reaper) never both act.
 * Time always comes from the caller's Clock, never from the database's now().
 */
@Injectable()
export class AttemptLedger {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
  ) {}

  /**
   * Proven never to have created a call (clean refusal, 429, window closed before the POST,
   * nothing found after the grace period): the slot is freed and the attempt does not count.
   */
  async release(
    attemptId: string,
    now: Date,
    error: string,
    lead: ReleaseLead,
    options: ReleaseOptions = {},
  ): Promise<Released | undefined> {
    // One statement: atomic without a transaction, one round trip.
    const rows = await queryRows<{ lead_id: string; campaign_id: string; status: string | null }>(
      this.db,
      `WITH a AS (
         UPDATE call_attempts SET state = 'not_dialled', error = $2, finished_at = $3, platform_failed = platform_failed OR $7,
                lease_owner = NULL, lease_expires_at = NULL, reconcile_until = NULL, updated_at = now()
          WHERE id = $1 AND state IN ${UNCONFIRMED_STATES_SQL}
          RETURNING lead_id, campaign_id),
       l AS (
         UPDATE leads SET
            attempts = greatest(leads.attempts - 1, 0),
            status = CASE
              WHEN $4 = 'failed' THEN 'failed'
              WHEN $4 = 'suppressed' THEN 'suppressed'
              WHEN $4 = 'ineligible' THEN 'ineligible'
              WHEN c.status = 'cancelled' THEN 'cancelled'
              WHEN leads.attempts - 1 > 0 THEN 'retry_scheduled'
              ELSE 'pending' END,
            next_attempt_at = CASE WHEN $4 = 'requeue' THEN $5::timestamptz ELSE NULL END,
            status_reason = $6,
            updated_at = now()
           FROM a, campaigns c
          WHERE leads.id = a.lead_id AND c.id = leads.campaign_id AND leads.status = 'calling'
          RETURNING leads.status)
       SELECT a.lead_id, a.campaign_id, (SELECT status FROM l) AS status FROM a`,
      [
        attemptId,
        error.slice(0, 2000),
        now,
        lead.kind,
        lead.kind === 'requeue' ? (lead.nextAttemptAt ?? null) : null,
        lead.reason ?? null,
        options.platformFailed ?? false,
      ],
    );
    if (rows.length === 0) return undefined;
    const { lead_id: leadId, campaign_id: campaignId, status } = rows[0];
    const leadFinal =
      status !== null && !(DIALABLE_LEAD_STATUSES as readonly string[]).includes(status);
    return { leadId, campaignId, leadFinal };
  }

  /** The POST's outcome is unknown: the slot stays held until reconciliation decides. */
  async markAmbiguous(
    attemptId: string,
    now: Date,
    error: string,
    platformFailed = false,
  ): Promise<boolean> {
    const rows: unknown[] = await queryRows(
      this.db,
      `UPDATE call_attempts SET state = 'ambiguous', reconcile_until = $2, error = $3, platform_failed = $4,
              lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND state = 'starting' RETURNING id`,
      [
        attemptId,
        new Date(now.getTime() + this.settings.reconcileGraceMs),
        error.slice(0, 2000),
        platformFailed,
      ],
    );
    return rows.length > 0;
  }

  /**
   * The call id is known (201, or found by reconciliation): the attempt is live and polled until
   * its call ends. Accepts `ambiguous` too: a reaper may have run while the POST was in flight.
   */
  async markLive(attemptId: string, callId: string, now: Date): Promise<MadeLive | undefined> {
    const rows = await queryRows<{ lead_id: string; campaign_id: string; status: string }>(
      this.db,
      `WITH a AS (
         UPDATE call_attempts SET state = 'live', call_id = $2, started_at = $3, lease_owner = NULL,
                lease_expires_at = NULL, reconcile_until = NULL, updated_at = now()
          WHERE id = $1 AND state IN ${UNCONFIRMED_STATES_SQL}
          RETURNING lead_id, campaign_id),
       l AS (
         UPDATE leads SET last_call_id = $2, updated_at = now() FROM a WHERE leads.id = a.lead_id RETURNING leads.id)
       SELECT a.lead_id, a.campaign_id, c.status, (SELECT count(*) FROM l) AS n
         FROM a JOIN campaigns c ON c.id = a.campaign_id`,
      [attemptId, callId, now],
    );
    if (rows.length === 0) return undefined;
    return {
      leadId: rows[0].lead_id,
      campaignId: rows[0].campaign_id,
      campaignStatus: rows[0].status,
    };
  }

  async callIdOf(attemptId: string): Promise<string | null> {
    const rows = await queryRows<{ call_id: string | null }>(
      this.db,
      `SELECT call_id FROM call_attempts WHERE id = $1`,
      [attemptId],
    );
    return rows[0]?.call_id ?? null;
  }

  /**
   * A call id that arrived after its attempt had already been declared never dialled (the
   * process stalled longer than lease + grace). The call is written on that attempt so it is
   * not lost; the caller terminates it.
   */
  async recordLateCall(attemptId: string, callId: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE call_attempts SET call_id = $2, outcome = 'cancelled', ended_at = $3, updated_at = now(),
              error = coalesce(error, '') || ' | call id arrived after release; call terminated'
        WHERE id = $1 AND call_id IS NULL`,
      [attemptId, callId, now],
    );
  }
}
