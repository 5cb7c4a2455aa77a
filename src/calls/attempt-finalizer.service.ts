import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformCall } from '../callrounded/callrounded.types';
import { Campaign, type CampaignStatus } from '../campaigns/campaign.entity';
import { EngineMetrics } from '../dialer/engine-metrics';
import { ENGINE_SETTINGS, type EngineSettings } from '../dialer/engine-settings';
import { queryRows } from '../dialer/sql';
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

/** The attempt row as RETURNING gives it, in the entity's property names. */
const ATTEMPT_COLUMNS = `id, lead_id AS "leadId", campaign_id AS "campaignId", attempt_number AS "attemptNumber",
  agent_id AS "agentId", from_number AS "fromNumber", to_number AS "toNumber", state, call_id AS "callId",
  call_status AS "callStatus", outcome, requested_at AS "requestedAt", started_at AS "startedAt",
  ended_at AS "endedAt", finished_at AS "finishedAt", duration_seconds AS "durationSeconds", cost,
  post_call_answers AS "postCallAnswers", answers, error,
  (SELECT status FROM campaigns c WHERE c.id = call_attempts.campaign_id) AS "campaignStatus"`;

const LEAD_COLUMNS = `id, campaign_id AS "campaignId", phone, timezone, variables, status, attempts,
  last_call_id AS "lastCallId", answers, qualified`;

type AttemptRow = CallAttempt & { campaignStatus: CampaignStatus };

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

  /**
   * The call is over (or given up on, outcome `unknown`). `campaign` is a recent copy of the
   * attempt's campaign (policy, questions, rules); its current status is read in the transaction.
   */
  async finishCall(
    attemptId: string,
    campaign: Campaign,
    call: PlatformCall | null,
    outcome: CallOutcome,
    now: Date,
    note?: string,
  ): Promise<Finalised | undefined> {
    const answers = call?.post_call_answers ?? [];
    const waitForAnswers =
      outcome === 'completed' && !answersReady(call) && !hasNoQuestions(campaign);
    const result = await this.db.transaction(async (tx) => {
      const [attempt] = await queryRows<AttemptRow>(
        tx,
        `UPDATE call_attempts SET state = 'ended', call_status = $2, outcome = $3, ended_at = $4,
                duration_seconds = $5, cost = $6, post_call_answers = $7::jsonb, answers_due_until = $8,
                finished_at = $9, error = coalesce($10, error), lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
          WHERE id = $1 AND state = 'live'
          RETURNING ${ATTEMPT_COLUMNS}`,
        [
          attemptId,
          call?.status ?? null,
          outcome,
          parseTime(call?.end_time) ?? now,
          numberOrNull(call?.duration_seconds),
          numberOrNull(call?.cost),
          JSON.stringify(answers),
          waitForAnswers ? new Date(now.getTime() + this.settings.answersWaitMs) : null,
          now,
          note ?? null,
        ],
      );
      if (!attempt) return undefined;
      if (waitForAnswers) return { campaignId: campaign.id, leadFinal: false };
      return this.settleLead(tx, campaign, attempt, outcome, answers, now);
    });
    if (result) this.metrics.callsEnded.inc({ outcome });
    return result;
  }

  /** A completed call's answers arrived, or stopped being waited for: the lead completes. */
  async completeAnswers(
    attemptId: string,
    campaign: Campaign,
    call: PlatformCall | null,
    now: Date,
  ): Promise<Finalised | undefined> {
    const ready = answersReady(call);
    return this.db.transaction(async (tx) => {
      const [attempt] = await queryRows<AttemptRow>(
        tx,
        `UPDATE call_attempts SET answers_due_until = NULL, updated_at = now(),
                post_call_answers = CASE WHEN $2 THEN $3::jsonb ELSE post_call_answers END,
                error = CASE WHEN $2 THEN error ELSE 'post-call answers did not arrive in time' END
          WHERE id = $1 AND state = 'ended' AND answers_due_until IS NOT NULL
          RETURNING ${ATTEMPT_COLUMNS}`,
        [attemptId, ready, JSON.stringify(call?.post_call_answers ?? [])],
      );
      if (!attempt) return undefined;
      const answers = (attempt.postCallAnswers as unknown[] | null) ?? [];
      return this.settleLead(tx, campaign, attempt, 'completed', answers, now);
    });
  }

  private async settleLead(
    tx: EntityManager,
    campaign: Campaign,
    attemptRow: AttemptRow,
    outcome: CallOutcome,
    answers: unknown[],
    now: Date,
  ): Promise<Finalised> {
    const { campaignStatus, ...attemptFields } = attemptRow;
    const attempt = Object.assign(new CallAttempt(), attemptFields);
    const [leadRow] = await queryRows<Lead>(
      tx,
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = $1 FOR UPDATE`,
      [attempt.leadId],
    );
    if (!leadRow) return { campaignId: campaign.id, leadFinal: false };
    const lead = Object.assign(new Lead(), leadRow);
    const decision = decideLeadAfterCall({
      outcome,
      attempts: lead.attempts,
      retry: campaign.retry,
      campaignStatus,
      now,
    });
    // Someone else already moved the lead (e.g. a cancel that swept every lead): only a call
    // that really completed may still complete it.
    if (
      lead.status !== 'calling' &&
      !(lead.status === 'cancelled' && decision.status === 'completed')
    ) {
      return { campaignId: campaign.id, leadFinal: false };
    }
    let verdict: { answers: Record<string, unknown> | null; qualified: boolean | null } = {
      answers: lead.answers,
      qualified: lead.qualified,
    };
    if (decision.status === 'completed') {
      verdict = await this.qualify(
        tx,
        { ...campaign, status: campaignStatus },
        lead,
        attempt,
        answers,
      );
    }
    await tx.query(
      `UPDATE leads SET status = $2, outcome = $3, last_call_status = $4, next_attempt_at = $5,
              status_reason = $6, answers = $7::jsonb, qualified = $8, updated_at = now()
        WHERE id = $1`,
      [
        lead.id,
        decision.status,
        outcome,
        attempt.callStatus,
        decision.nextAttemptAt,
        decision.reason,
        verdict.answers === null ? null : JSON.stringify(verdict.answers),
        verdict.qualified,
      ],
    );
    return { campaignId: campaign.id, leadFinal: decision.status !== 'retry_scheduled' };
  }

  /**
   * Typed answers and verdict, in this transaction (QualificationService stores them on the
   * attempt and the lead, and queues the CRM event). A failure there must not hold the lead (or
   * the transaction) hostage: it is rolled back to a savepoint and the lead completes unqualified.
   */
  private async qualify(
    tx: EntityManager,
    campaign: Campaign,
    lead: Lead,
    attempt: CallAttempt,
    answers: unknown[],
  ): Promise<{ answers: Record<string, unknown> | null; qualified: boolean | null }> {
    await tx.query('SAVEPOINT qualification');
    try {
      const result = await this.qualification.onLeadCompleted(tx, campaign, lead, attempt, answers);
      await tx.query('RELEASE SAVEPOINT qualification');
      return { answers: result.answers ?? {}, qualified: result.qualified };
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT qualification');
      this.logger.error(
        `qualification of lead ${lead.id} failed; completed unqualified: ${String(e)}`,
      );
      return { answers: null, qualified: null };
    }
  }
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
