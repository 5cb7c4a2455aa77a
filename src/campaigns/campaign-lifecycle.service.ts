import { complianceOf } from '../compliance/compliance-settings';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { CallRoundedClient } from '../callrounded/callrounded.client';
import { CLOCK, type Clock } from '../core/runtime';
import { Campaign, type CampaignStatus, type PausedReason } from './campaign.entity';
import { CampaignEvents } from './campaign-events.service';
import { CampaignQuestions } from './campaign-questions';
import { CampaignsService } from './campaigns.service';
import { CampaignsRepository } from './campaigns.repository';
import { LeadsRepository } from '../leads/leads.repository';
import type { CampaignView } from './campaign.view';
import { SLOT_STATES_SQL } from '../common/attempt-states';
import { DIALABLE_LEAD_STATUSES_SQL, OPEN_LEAD_STATUSES_SQL } from '../leads/lead-statuses';

/** Terminations still running after this are left to finish in the background. */
const TERMINATE_WAIT_MS = 5_000;

interface SettleFacts {
  /** Attempts holding a slot (a call starting, being reconciled or live). */
  busy: boolean;
  /** Leads not final (pending, calling, retry_scheduled). */
  open: boolean;
  /** Leads being called, or waiting with no later time set (due now). */
  due: boolean;
}

/**
 * Every status move of a campaign, each in one transaction holding the campaign row FOR UPDATE so
 * that instances agree:
 *
 *   draft ──start──► running (no schedule) | scheduled (schedule)
 *   scheduled ──a schedule run fires (ScheduleRunner)──► running ──run over (settle)──► scheduled
 *   running | scheduled ──pause──► paused ──resume──► the status it was paused from
 *   running ──every lead final, no call in progress (settle)──► completed (the contract's rule,
 *     scheduled campaigns included; importing new leads into a completed scheduled campaign
 *     hands it back to its schedule)
 *   completed ──start, once new leads were imported──► running
 *   any but completed/cancelled ──cancel──► cancelled
 */
@Injectable()
export class CampaignLifecycle {
  private readonly logger = new Logger(CampaignLifecycle.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly questions: CampaignQuestions,
    private readonly events: CampaignEvents,
    private readonly platform: CallRoundedClient,
    private readonly audit: AuditTrail,
    private readonly campaignRows: CampaignsRepository,
    private readonly leadRows: LeadsRepository,
  ) {}

  /**
   * draft → running, or scheduled when it has a schedule. The agent's questions are fetched again
   * and the rules checked against them (409 when they name a question the agent lacks). Without
   * a schedule, a campaign with no lead to call is refused: it would complete at once.
   * A completed campaign into which new leads were imported starts again the same way.
   */
  async start(id: string): Promise<CampaignView> {
    const before = await this.campaigns.find(this.db.manager, id);
    // Fetched before the transaction (no lock held while the platform answers), when it can start.
    const startable = before.status === 'draft' || before.status === 'completed';
    const fetched = startable ? await this.questions.fetch(before.agentId) : null;
    return this.move(id, 'start', async (c, tx, now) => {
      const again = c.status === 'completed';
      if (c.status !== 'draft' && !again) {
        throw new ConflictException(
          c.status === 'paused'
            ? 'campaign is paused: resume it instead'
            : c.status === 'cancelled'
              ? 'campaign is cancelled: it cannot start again'
              : `campaign is already ${c.status}`,
        );
      }
      const questions = fetched ?? c.questions;
      if (c.qualification && c.qualification.rules.length > 0) {
        if (!questions) {
          throw new ServiceUnavailableException(
            `the post-call questions of agent ${c.agentId} could not be fetched from CallRounded to check the qualification rules; try again`,
          );
        }
        this.questions.assertRulesFitAtStart(c.qualification, questions);
      }
      if (questions)
        this.questions.assertComplianceQuestionsFitAtStart(complianceOf(c.compliance), questions);
      if (fetched) {
        c.questions = fetched;
        c.questionsFetchedAt = now;
      }
      if (!c.schedule || again) await this.assertSomethingToCall(tx, c.id, again);
      c.status = c.schedule ? 'scheduled' : 'running';
      c.scheduleFrom = c.schedule ? now : null;
      c.startedAt ??= now;
      c.completedAt = null;
    });
  }

  /** running | scheduled → paused: no new call starts; calls in progress are still tracked. */
  async pause(id: string): Promise<CampaignView> {
    return this.move(id, 'pause', async (c, tx) => {
      if (c.status !== 'running' && c.status !== 'scheduled') {
        throw new ConflictException(
          c.status === 'draft'
            ? 'campaign has not started yet: there is nothing to pause'
            : c.status === 'paused'
              ? 'campaign is already paused'
              : `campaign is ${c.status}: it can no longer be paused`,
        );
      }
      this.markPaused(c, 'manual', null);
      await this.events.paused(tx, c, this.clock.now());
      return { paused_reason: 'manual' };
    });
  }

  /**
   * A control pauses the campaign (budget, circuit breaker, the platform refusing its calls), in
   * the caller's transaction, which holds the campaign row FOR UPDATE. Answers false when it was
   * not running or scheduled (already paused, completed, cancelled): nothing changes then.
   */
  async pauseLocked(
    tx: EntityManager,
    c: Campaign,
    reason: Exclude<PausedReason, 'manual'>,
    detail: Record<string, unknown>,
  ): Promise<boolean> {
    if (c.status !== 'running' && c.status !== 'scheduled') return false;
    const from = c.status;
    this.markPaused(c, reason, detail);
    await tx.getRepository(Campaign).save(c);
    await this.events.paused(tx, c, this.clock.now());
    await this.audit.record(tx, {
      action: 'campaign.pause',
      targetType: 'campaign',
      targetId: c.id,
      summary: { status: { before: from, after: 'paused' }, paused_reason: reason, detail },
    });
    this.logger.warn(`campaign ${c.id} paused (${reason}): ${JSON.stringify(detail)}`);
    return true;
  }

  /** pauseLocked in a transaction of its own. */
  async pauseFor(
    id: string,
    reason: Exclude<PausedReason, 'manual'>,
    detail: Record<string, unknown>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const c = await tx
        .getRepository(Campaign)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      return c ? this.pauseLocked(tx, c, reason, detail) : false;
    });
  }

  private markPaused(
    c: Campaign,
    reason: PausedReason,
    detail: Record<string, unknown> | null,
  ): void {
    c.pausedFrom = c.status as 'running' | 'scheduled';
    c.status = 'paused';
    c.pausedReason = reason;
    c.pausedDetail = detail;
  }

  /**
   * paused → the status it was paused from. Schedule fires that fell during the pause are
   * skipped; a campaign whose schedule was removed meanwhile resumes running.
   */
  async resume(id: string): Promise<CampaignView> {
    return this.move(id, 'resume', (c, _tx, now) => {
      if (c.status !== 'paused') {
        throw new ConflictException(
          `campaign is ${c.status}, not paused: there is nothing to resume`,
        );
      }
      const target = c.pausedFrom === 'scheduled' && c.schedule ? 'scheduled' : 'running';
      if (c.schedule) c.scheduleFrom = now;
      c.status = target;
      c.pausedFrom = null;
      c.pausedReason = null;
      c.pausedDetail = null;
      // The circuit breaker counts only calls started from now on.
      c.resumedAt = now;
    });
  }

  /**
   * Any status but completed/cancelled → cancelled. Leads waiting for a call become `cancelled`
   * in the same transaction; leads being called end with their call. Live platform calls are
   * asked to terminate (best effort: the dialer's sweep retries failures, the poller records the
   * calls' ends).
   */
  async cancel(id: string): Promise<CampaignView> {
    let live: { id: string; call_id: string }[] = [];
    const view = await this.move(id, 'cancel', async (c, tx, now) => {
      if (c.status === 'completed' || c.status === 'cancelled') {
        throw new ConflictException(`campaign is already ${c.status}`);
      }
      const cancelled = await this.leadRows.cancelWaiting(tx, c.id);
      // The marker tells the dialer's sweep these calls are being terminated already.
      live = await this.campaignRows.markLiveCallsForTermination(tx, c.id, now);
      c.status = 'cancelled';
      c.pausedFrom = null;
      c.pausedReason = null;
      c.pausedDetail = null;
      c.completedAt = now;
      return { leads_cancelled: cancelled, calls_terminated: live.length };
    });
    await this.terminate(live);
    return view;
  }

  /**
   * Moves a campaign on when its leads say so, and answers the new status (null: unchanged):
   * - running without schedule, every lead final and no call in progress → completed (and
   *   CampaignEvents.completed in the same transaction);
   * - running with a schedule (a run): once no call is in progress and no lead is due now
   *   (pending or retry_scheduled with next_attempt_at unset or past: the dialer sets it to the
   *   window's next opening or the retry time) → back to scheduled; leads still waiting are
   *   dialled by a later run;
   * - cancelled: leads left waiting (their call ended after the cancel) → cancelled.
   * A campaign locked by another transaction is skipped: it will be looked at again.
   */
  async settle(id: string): Promise<CampaignStatus | null> {
    return this.db.transaction(async (tx) => {
      const c = await tx.getRepository(Campaign).findOne({
        where: { id },
        lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      });
      if (!c) return null;
      const now = this.clock.now();
      if (c.status === 'cancelled') {
        await this.leadRows.cancelWaiting(tx, id);
        return null;
      }
      if (c.status !== 'running') return null;
      const facts = await this.facts(tx, id, now);
      if (facts.busy) return null;
      // A run with leads still waiting (retry later, outside the window) hands back to the schedule.
      if (c.schedule && facts.open) {
        if (facts.due) return null;
        await this.save(tx, c, { status: 'scheduled', scheduleFrom: now });
        return 'scheduled';
      }
      if (facts.open) return null;
      await this.save(tx, c, { status: 'completed', completedAt: now });
      await this.events.completed(tx, c);
      return 'completed';
    });
  }

  /** Settles every campaign that may need it; answers how many moved. */
  async settleAll(): Promise<number> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM campaigns c
        WHERE c.status = 'running'
           OR (c.status = 'cancelled' AND EXISTS (
                SELECT 1 FROM leads l WHERE l.campaign_id = c.id AND l.status IN ${DIALABLE_LEAD_STATUSES_SQL}))`,
    );
    let moved = 0;
    for (const { id } of rows) if (await this.settle(id)) moved++;
    return moved;
  }

  private async facts(tx: EntityManager, id: string, now: Date): Promise<SettleFacts> {
    const [row]: SettleFacts[] = await tx.query(
      `SELECT
         EXISTS (SELECT 1 FROM call_attempts WHERE campaign_id = $1 AND state IN ${SLOT_STATES_SQL}) AS busy,
         EXISTS (SELECT 1 FROM leads WHERE campaign_id = $1 AND status IN ${OPEN_LEAD_STATUSES_SQL}) AS open,
         EXISTS (SELECT 1 FROM leads WHERE campaign_id = $1 AND (status = 'calling'
                   OR (status IN ${DIALABLE_LEAD_STATUSES_SQL} AND (next_attempt_at IS NULL OR next_attempt_at <= $2)))) AS due`,
      [id, now],
    );
    return row;
  }

  private async assertSomethingToCall(tx: EntityManager, id: string, again = false): Promise<void> {
    const [row]: { total: number; waiting: number }[] = await tx.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ${DIALABLE_LEAD_STATUSES_SQL})::int AS waiting
         FROM leads WHERE campaign_id = $1`,
      [id],
    );
    if (row.waiting > 0) return;
    throw new ConflictException(
      again
        ? 'campaign is completed: import new leads to run it again'
        : row.total === 0
          ? 'campaign has no leads to call: import leads first (POST /v1/campaigns/{id}/leads)'
          : `campaign has no leads to call: all ${row.total} of its leads are already final`,
    );
  }

  /** Locks the campaign, lets `change` check and edit it, saves it and answers its view. */
  private async move(
    id: string,
    action: 'start' | 'pause' | 'resume' | 'cancel',
    change: (
      c: Campaign,
      tx: EntityManager,
      now: Date,
    ) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>,
  ): Promise<CampaignView> {
    const saved = await this.db.transaction(async (tx) => {
      const c = await this.campaigns.find(tx, id, true);
      const from = c.status;
      const extra = await change(c, tx, this.clock.now());
      const row = await tx.getRepository(Campaign).save(c);
      await this.audit.record(tx, {
        action: `campaign.${action}`,
        targetType: 'campaign',
        targetId: id,
        summary: { status: { before: from, after: row.status }, ...(extra ?? {}) },
      });
      return row;
    });
    return this.campaigns.view(saved, this.db);
  }

  private async save(tx: EntityManager, c: Campaign, changes: Partial<Campaign>): Promise<void> {
    Object.assign(c, changes);
    await tx.getRepository(Campaign).save(c);
  }

  private async terminate(live: { id: string; call_id: string }[]): Promise<void> {
    if (live.length === 0) return;
    const all = Promise.all(
      live.map(async (a) => {
        try {
          await this.platform.terminateCall(a.call_id);
        } catch (e) {
          this.logger.warn(
            `terminate of call ${a.call_id} failed, the dialer's sweep retries it: ${String(e)}`,
          );
          await this.campaignRows.clearTerminationMark(this.db, a.id).catch(() => undefined);
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((resolve) => (timer = setTimeout(resolve, TERMINATE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }
}
