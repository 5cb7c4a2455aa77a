import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Campaign, type CampaignStatus } from '../../campaigns/campaign.entity';
import { DIALER_FAULTS, type DialerFaults } from '../dialer-faults';
import { EngineMetrics } from '../engine-metrics';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { queryRows } from '../../common/sql';
import { Lead } from '../../leads/lead.entity';
import { QualificationService } from '../../qualification/qualification.service';
import { recordCallAnswers } from '../../compliance/call-answers';
import { CallAttempt } from '../attempts/call-attempt.entity';
import { decideLeadAfterCall, type CallOutcome } from './call-outcome';
import type { PlatformCallView } from '../platform/voice-platform.port';

export interface Finalised {
  campaignId: string;
  /** The lead reached a final status (completed, failed, exhausted, cancelled). */
  leadFinal: boolean;
}

/** Post-call answers filled in: the platform has finished its post-call processing. */
export function answersReady(call: PlatformCallView | null | undefined): boolean {
  return Array.isArray(call?.answers) && call.answers.length > 0;
}

/**
 * After the `a` CTE (the attempt just updated, RETURNING *): the attempt in the entity's property
 * names, its lead locked FOR UPDATE (it is about to change) and its
 * campaign's current status, in the same round trip.
 */
const SELECT_ATTEMPT_AND_LEAD = `,
  l AS (SELECT * FROM leads WHERE id = (SELECT lead_id FROM a) FOR UPDATE)
  SELECT json_build_object(
           'id', a.id, 'leadId', a.lead_id, 'campaignId', a.campaign_id, 'attemptNumber', a.attempt_number,
           'agentId', a.agent_id, 'fromNumber', a.from_number, 'toNumber', a.to_number, 'state', a.state,
           'callId', a.call_id, 'callStatus', a.call_status, 'outcome', a.outcome,
           'requestedAt', a.requested_at, 'startedAt', a.started_at, 'endedAt', a.ended_at,
           'finishedAt', a.finished_at, 'durationSeconds', a.duration_seconds::text, 'cost', a.cost::text,
           'postCallAnswers', a.post_call_answers, 'answers', a.answers, 'error', a.error) AS attempt,
         (SELECT json_build_object(
           'id', l.id, 'campaignId', l.campaign_id, 'phone', l.phone, 'timezone', l.timezone,
           'variables', l.variables, 'status', l.status, 'attempts', l.attempts,
           'lastCallId', l.last_call_id, 'answers', l.answers, 'qualified', l.qualified,
           'attemptLimit', l.attempt_limit) FROM l) AS lead,
         (SELECT status FROM campaigns c WHERE c.id = a.campaign_id) AS campaign_status,
         (SELECT ends_at FROM campaigns c WHERE c.id = a.campaign_id) AS campaign_ends_at
    FROM a`;

interface AttemptAndLead {
  attempt: Omit<CallAttempt, 'requestedAt' | 'startedAt' | 'endedAt' | 'finishedAt'> & {
    requestedAt: string;
    startedAt: string | null;
    endedAt: string | null;
    finishedAt: string | null;
  };
  lead: Lead | null;
  campaign_status: CampaignStatus;
  campaign_ends_at: Date | null;
}

/**
 * Records the end of calls and what it means for their leads, each step guarded by the attempt's
 * state, so that two instances never finalise an attempt twice:
 * - one statement: the attempt gets the platform's final status, outcome, end time, duration,
 *   cost and raw post-call answers, and frees its slot, `answers_due_until` marking its lead as
 *   still to settle;
 * - one transaction: the lead becomes completed (typed answers and verdict from
 *   QualificationService), retry_scheduled, exhausted, failed or cancelled (see
 *   decideLeadAfterCall), and `answers_due_until` is cleared.
 * A completed call whose answers are not ready yet waits between the two, its lead in `calling`,
 * until the answers arrive or answersWaitMs passes; so does any lead whose process stopped
 * between them, until the tracker sees its attempt (the mark has then passed).
 */
@Injectable()
export class AttemptFinalizer {
  private readonly logger = new Logger(AttemptFinalizer.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    @Inject(DIALER_FAULTS) private readonly faults: DialerFaults,
    private readonly qualification: QualificationService,
    private readonly metrics: EngineMetrics,
  ) {}

  /**
   * The call is over (or given up on, outcome `unknown`). `campaign` is a recent copy of the
   * attempt's campaign (policy, questions, rules); its current status is read when the lead is
   * settled. Two steps, so that the slot is free after one round trip:
   * 1. one statement ends the attempt (its slot is free once it commits; `onSlotFreed` is then
   *    called) and leaves `answers_due_until` set: the lead is still to be settled;
   * 2. settle() settles the lead in a transaction, now, or once the post-call answers arrive
   *    (completed call, answers not ready), or, after a crash between the two, when the tracker
   *    finds the attempt ended with `answers_due_until` passed. Either way exactly once.
   */
  async finishCall(
    attemptId: string,
    campaign: Campaign,
    call: PlatformCallView | null,
    outcome: CallOutcome,
    now: Date,
    opts: { note?: string; onSlotFreed?: () => void } = {},
  ): Promise<Finalised | undefined> {
    const answers = call?.answers ?? [];
    const waitForAnswers =
      outcome === 'completed' && !answersReady(call) && !hasNoQuestions(campaign);
    const ended = await queryRows<{ id: string }>(
      this.db,
      `UPDATE call_attempts SET state = 'ended', call_status = $2, outcome = $3, ended_at = $4,
              duration_seconds = $5, cost = $6, post_call_answers = $7::jsonb, answers_due_until = $8,
              finished_at = $9, error = coalesce($10, error), lease_owner = NULL,
              platform_failed = platform_failed OR $3 = 'failed',
              lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND state = 'live'
        RETURNING id`,
      [
        attemptId,
        call?.status ?? null,
        outcome,
        parseTime(call?.endedAt) ?? now,
        numberOrNull(call?.durationSeconds),
        numberOrNull(call?.cost),
        JSON.stringify(answers),
        waitForAnswers ? new Date(now.getTime() + this.settings.answersWaitMs) : now,
        now,
        opts.note ?? null,
      ],
    );
    if (ended.length === 0) return undefined;
    this.metrics.callsEnded.inc({ outcome });
    opts.onSlotFreed?.();
    if (waitForAnswers) return { campaignId: campaign.id, leadFinal: false };
    await this.faults.afterEndBeforeSettle?.(attemptId);
    const settled = await this.settle(attemptId, campaign, call, now, false);
    return settled ?? { campaignId: campaign.id, leadFinal: false };
  }

  /**
   * An ended attempt's lead still to settle (answers_due_until set): its answers arrived, or
   * stopped being waited for, or the process that ended it stopped before settling.
   */
  completeAnswers(
    attemptId: string,
    campaign: Campaign,
    call: PlatformCallView | null,
    now: Date,
  ): Promise<Finalised | undefined> {
    return this.settle(attemptId, campaign, call, now, !hasNoQuestions(campaign));
  }

  /**
   * Settles the lead of an ended attempt whose answers_due_until is set, with the attempt's own
   * outcome, in one transaction guarded by answers_due_until (so exactly once). `awaited`: a
   * completed call's answers were waited for; if they are still missing, the attempt says so.
   */
  private async settle(
    attemptId: string,
    campaign: Campaign,
    call: PlatformCallView | null,
    now: Date,
    awaited: boolean,
  ): Promise<Finalised | undefined> {
    const ready = answersReady(call);
    return this.withQualificationFallback(attemptId, (qualify) =>
      this.db.transaction(async (tx) => {
        const [row] = await queryRows<AttemptAndLead>(
          tx,
          `WITH a AS (
             UPDATE call_attempts SET answers_due_until = NULL, updated_at = now(),
                    post_call_answers = CASE WHEN $2 THEN $3::jsonb ELSE post_call_answers END,
                    error = CASE WHEN $2 OR NOT $4 OR outcome IS DISTINCT FROM 'completed' THEN error
                                 ELSE 'post-call answers did not arrive in time' END
              WHERE id = $1 AND state = 'ended' AND answers_due_until IS NOT NULL
              RETURNING *)
           ${SELECT_ATTEMPT_AND_LEAD}`,
          [attemptId, ready, JSON.stringify(call?.answers ?? []), awaited],
        );
        if (!row) return undefined;
        const outcome = (row.attempt.outcome ?? 'unknown') as CallOutcome;
        const answers = row.attempt.postCallAnswers ?? [];
        // Decided as of the call's end (a retry's delay counts from it), however late settled.
        const endedAt = toDate(row.attempt.finishedAt) ?? now;
        return this.settleLead(tx, campaign, row, outcome, answers, endedAt, qualify);
      }),
    );
  }

  /**
   * A failure inside QualificationService must not hold the lead (and its slot) hostage, tick
   * after tick: the finalisation is then done again without it, and the lead completes
   * unqualified. Costs nothing when all goes well (no savepoint round trips).
   */
  private async withQualificationFallback<T>(
    attemptId: string,
    run: (qualify: boolean) => Promise<T>,
  ): Promise<T> {
    try {
      return await run(true);
    } catch (e) {
      if (!(e instanceof QualificationFailed)) throw e;
      this.logger.error(
        `qualification failed for attempt ${attemptId}; its lead completes unqualified: ${String(e.cause)}`,
      );
      return run(false);
    }
  }

  private async settleLead(
    tx: EntityManager,
    campaign: Campaign,
    row: AttemptAndLead,
    outcome: CallOutcome,
    answers: unknown[],
    now: Date,
    qualify: boolean,
  ): Promise<Finalised> {
    const a = row.attempt;
    const attempt = Object.assign(new CallAttempt(), a, {
      requestedAt: new Date(a.requestedAt),
      startedAt: toDate(a.startedAt),
      endedAt: toDate(a.endedAt),
      finishedAt: toDate(a.finishedAt),
    });
    if (!row.lead) return { campaignId: campaign.id, leadFinal: false };
    const lead = Object.assign(new Lead(), row.lead);
    const decision = decideLeadAfterCall({
      outcome,
      attempts: lead.attempts,
      retry: campaign.retry,
      campaignStatus: row.campaign_status,
      now,
      callStatus: attempt.callStatus,
      attemptLimit: lead.attemptLimit,
      endsAt: row.campaign_ends_at,
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
    // The typed answers, for the attempt too (null: the attempt's are left as they are).
    let attemptAnswers: Record<string, unknown> | null = null;
    if (decision.status === 'completed') {
      verdict = { answers: null, qualified: null };
      if (qualify) {
        try {
          // Types the answers, evaluates the rules and queues the CRM event; stored just below.
          const current = { ...campaign, status: row.campaign_status };
          verdict = await this.qualification.qualify(tx, current, lead, attempt, answers);
          attemptAnswers = verdict.answers;
        } catch (e) {
          throw new QualificationFailed(e);
        }
      }
    }
    // One statement for the lead and the attempt's typed answers.
    await tx.query(
      `WITH typed AS (
         UPDATE call_attempts SET answers = $10::jsonb WHERE id = $9 AND $10::jsonb IS NOT NULL)
       UPDATE leads SET status = $2, outcome = $3, last_call_status = $4, next_attempt_at = $5,
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
        attempt.id,
        attemptAnswers === null ? null : JSON.stringify(attemptAnswers),
      ],
    );
    if (verdict.answers && attemptAnswers) {
      await recordCallAnswers(tx, campaign.compliance, verdict.answers, {
        phone: lead.phone,
        campaignId: campaign.id,
        callId: attempt.callId,
        at: now,
      });
    }
    return { campaignId: campaign.id, leadFinal: decision.status !== 'retry_scheduled' };
  }
}

class QualificationFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`qualification failed: ${String(cause)}`);
  }
}

/** The agent is known to ask nothing after calls: no answers to wait for. */
function hasNoQuestions(campaign: Campaign): boolean {
  return Array.isArray(campaign.questions) && campaign.questions.length === 0;
}

function toDate(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

function parseTime(text: string | null | undefined): Date | undefined {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
