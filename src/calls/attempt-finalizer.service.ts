import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformCall } from '../callrounded/callrounded.types';
import { Campaign } from '../campaigns/campaign.entity';
import { ENGINE_SETTINGS, type EngineSettings } from '../dialer/engine-settings';
import { EngineMetrics } from '../dialer/engine-metrics';
import { Lead } from '../leads/lead.entity';
import { QualificationService } from '../qualification/qualification.service';
import { CallAttempt } from './call-attempt.entity';
import { decideLeadAfterCall, type CallOutcome } from './call-outcome';

export interface Finalised {
  campaignId: string;
  /** The lead reached a final status (completed, failed, exhausted, cancelled). */
  leadFinal: boolean;
}

/** post_call_answers filled in: the platform has finished its post-call processing. */
export function answersReady(call: PlatformCall | null | undefined): boolean {
  return Array.isArray(call?.post_call_answers) && call.post_call_answers.length > 0;
}

/**
 * Records the end of calls and what it means for their leads, each in one transaction guarded
 * by the attempt's state, so that two instances never finalise an attempt twice:
 * - the attempt gets the platform's final status, outcome, end time, duration, cost and raw
 *   post-call answers, and frees its slot;
 * - the lead becomes completed (typed answers and verdict from QualificationService in the same
 *   transaction), retry_scheduled, exhausted, failed or cancelled (see decideLeadAfterCall).
 * A completed call whose answers are not ready yet frees its slot at once; its lead waits in
 * `calling` until the answers arrive or answersWaitMs passes.
 */
@Injectable()
export class AttemptFinalizer {
  private readonly logger = new Logger(AttemptFinalizer.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    private readonly qualification: QualificationService,
    private readonly metrics: EngineMetrics,
  ) {}

  /** The call is over (or given up on, outcome `unknown`). */
  async finishCall(
    attemptId: string,
    call: PlatformCall | null,
    outcome: CallOutcome,
    now: Date,
    note?: string,
  ): Promise<Finalised | undefined> {
    const result = await this.db.transaction(async (tx) => {
      const campaign = await this.campaignOfAttempt(tx, attemptId);
      if (!campaign) return undefined;
      const answers = call?.post_call_answers ?? [];
      const waitForAnswers =
        outcome === 'completed' && !answersReady(call) && !hasNoQuestions(campaign);
      const endedAt = parseTime(call?.end_time) ?? now;
      const rows: CallAttemptRow[] = await tx.query(
        `UPDATE call_attempts SET state = 'ended', call_status = $2, outcome = $3, ended_at = $4,
                duration_seconds = $5, cost = $6, post_call_answers = $7::jsonb, answers_due_until = $8,
                finished_at = $9, error = coalesce($10, error), lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
          WHERE id = $1 AND state = 'live'
          RETURNING id, lead_id, campaign_id`,
        [
          attemptId,
          call?.status ?? null,
          outcome,
          endedAt,
          numberOrNull(call?.duration_seconds),
          numberOrNull(call?.cost),
          JSON.stringify(answers),
          waitForAnswers ? new Date(now.getTime() + this.settings.answersWaitMs) : null,
          now,
          note ?? null,
        ],
      );
      if (rows.length === 0) return undefined;
      if (waitForAnswers) return { campaignId: campaign.id, leadFinal: false };
      return this.settleLead(tx, campaign, rows[0], outcome, answers, call?.status ?? null, now);
    });
    if (result) this.metrics.callsEnded.inc({ outcome });
    return result;
  }

  /** A completed call's answers arrived, or stopped being waited for: the lead completes. */
  async completeAnswers(
    attemptId: string,
    call: PlatformCall | null,
    now: Date,
  ): Promise<Finalised | undefined> {
    return this.db.transaction(async (tx) => {
      const campaign = await this.campaignOfAttempt(tx, attemptId);
      if (!campaign) return undefined;
      const ready = answersReady(call);
      const rows: CallAttemptRow[] = await tx.query(
        `UPDATE call_attempts SET answers_due_until = NULL, updated_at = now(),
                post_call_answers = CASE WHEN $2 THEN $3::jsonb ELSE post_call_answers END,
                error = CASE WHEN $2 THEN error ELSE 'post-call answers did not arrive in time' END
          WHERE id = $1 AND state = 'ended' AND answers_due_until IS NOT NULL
          RETURNING id, lead_id, campaign_id, post_call_answers, call_status`,
        [attemptId, ready, JSON.stringify(call?.post_call_answers ?? [])],
      );
      if (rows.length === 0) return undefined;
      const answers = (rows[0].post_call_answers as unknown[]) ?? [];
      return this.settleLead(tx, campaign, rows[0], 'completed', answers, rows[0].call_status ?? null, now);
    });
  }

  private async campaignOfAttempt(tx: EntityManager, attemptId: string): Promise<Campaign | null> {
    return tx
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .where('c.id = (SELECT campaign_id FROM call_attempts WHERE id = :id)', { id: attemptId })
      .getOne();
  }

  private async settleLead(
    tx: EntityManager,
    campaign: Campaign,
    attemptRow: CallAttemptRow,
    outcome: CallOutcome,
    answers: unknown[],
    callStatus: string | null,
    now: Date,
  ): Promise<Finalised> {
    const lead = await tx
      .getRepository(Lead)
      .findOne({ where: { id: attemptRow.lead_id }, lock: { mode: 'pessimistic_write' } });
    if (!lead) return { campaignId: campaign.id, leadFinal: false };
    const decision = decideLeadAfterCall({
      outcome,
      attempts: lead.attempts,
      retry: campaign.retry,
      campaignStatus: campaign.status,
      now,
    });
    // Someone else already moved the lead (e.g. a cancel that swept every lead): only a call
    // that really completed may still complete it.
    if (lead.status !== 'calling' && !(lead.status === 'cancelled' && decision.status === 'completed')) {
      return { campaignId: campaign.id, leadFinal: false };
    }
    let verdict: { answers: Record<string, unknown> | null; qualified: boolean | null } = {
      answers: lead.answers,
      qualified: lead.qualified,
    };
    if (decision.status === 'completed') {
      verdict = await this.qualify(tx, campaign, lead, attemptRow.id, answers);
    }
    await tx.query(
      `UPDATE leads SET status = $2, outcome = $3, last_call_status = $4, next_attempt_at = $5,
              status_reason = $6, answers = $7::jsonb, qualified = $8, updated_at = now()
        WHERE id = $1`,
      [
        lead.id,
        decision.status,
        outcome,
        callStatus,
        decision.nextAttemptAt,
        decision.reason,
        verdict.answers === null ? null : JSON.stringify(verdict.answers),
        verdict.qualified,
      ],
    );
    return { campaignId: campaign.id, leadFinal: decision.status !== 'retry_scheduled' };
  }

  /**
   * Typed answers and verdict, in this transaction. A failure there must not hold the lead (or
   * the transaction) hostage: it is rolled back to a savepoint and the lead completes unqualified.
   */
  private async qualify(
    tx: EntityManager,
    campaign: Campaign,
    lead: Lead,
    attemptId: string,
    answers: unknown[],
  ): Promise<{ answers: Record<string, unknown> | null; qualified: boolean | null }> {
    const attempt = await tx.getRepository(CallAttempt).findOneByOrFail({ id: attemptId });
    await tx.query('SAVEPOINT qualification');
    try {
      const result = await this.qualification.onLeadCompleted(tx, campaign, lead, attempt, answers);
      await tx.query('RELEASE SAVEPOINT qualification');
      await tx.query(`UPDATE call_attempts SET answers = $2::jsonb WHERE id = $1`, [
        attemptId,
        JSON.stringify(result.answers ?? {}),
      ]);
      return { answers: result.answers ?? {}, qualified: result.qualified };
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT qualification');
      this.logger.error(`qualification of lead ${lead.id} failed; completed unqualified: ${String(e)}`);
      return { answers: null, qualified: null };
    }
  }
}

interface CallAttemptRow {
  id: string;
  lead_id: string;
  campaign_id: string;
  post_call_answers?: unknown;
  call_status?: string | null;
}

/** The agent is known to ask nothing after calls: no answers to wait for. */
function hasNoQuestions(campaign: Campaign): boolean {
  return Array.isArray(campaign.questions) && campaign.questions.length === 0;
}

function parseTime(text: string | null | undefined): Date | undefined {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
