import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, WORKER_TUNING, type Clock, type WorkerTuning } from '../core/runtime';
import { newInstanceId } from '../common/instance-id';
import { WorkerLoop } from '../common/worker-loop';
import { CATCH_UP_HORIZON_MS, latestFireBetween } from '../common/cron';
import { ADVISORY_LOCKS } from '../common/advisory-locks';

interface ScheduledCampaign {
  id: string;
  cron: string;
  timezone: string;
  schedule_from: Date | null;
}

/**
 * Starts the runs of scheduled campaigns (worker role). Every instance looks, so a run fires even
 * if some are down; each run is claimed once across instances: an advisory lock per campaign, the
 * campaign row locked and re-read, and a unique `schedule_runs (campaign_id, run_at)` row whose
 * insert decides. The cron is read in the campaign's zone (so 19:00 stays 19:00 across DST). A
 * fire missed while every instance was down fires once at restart if under 6 hours old; fires
 * before the campaign was started, resumed, re-scheduled or last ran are never run.
 */
@Injectable()
export class ScheduleRunner {
  private readonly logger = new Logger(ScheduleRunner.name);
  private readonly instanceId = newInstanceId();
  private loop?: WorkerLoop;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKER_TUNING) private readonly tuning: WorkerTuning,
  ) {}

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    this.loop = new WorkerLoop(
      'schedule runner',
      this.tuning.scheduleIntervalMs,
      async () => {
        await this.tick();
      },
      this.logger,
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** Claims every due run; answers the runs this instance started. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const campaigns: ScheduledCampaign[] = await this.db.query(
      `SELECT id, schedule->>'cron' AS cron, timezone, schedule_from
         FROM campaigns WHERE status = 'scheduled' AND schedule IS NOT NULL`,
    );
    let started = 0;
    for (const c of campaigns) {
      const runAt = this.dueRun(c, now);
      if (runAt && (await this.claim(c.id, runAt, now))) started++;
    }
    return started;
  }

  private dueRun(c: ScheduledCampaign, now: Date): Date | null {
    const horizon = now.getTime() - CATCH_UP_HORIZON_MS;
    const from = new Date(Math.max(horizon, c.schedule_from?.getTime() ?? horizon));
    try {
      return latestFireBetween(c.cron, c.timezone, from, now);
    } catch (e) {
      this.logger.error(`campaign ${c.id}: schedule "${c.cron}" could not be read: ${String(e)}`);
      return null;
    }
  }

  /**
   * "Run now": the run of a scheduled campaign starts at once, claimed like a clock fire (the
   * next fires stay as they were). False when the campaign is not waiting for a run.
   */
  async runNow(
    campaignId: string,
    inTransaction: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const now = this.clock.now();
    return this.claim(campaignId, now, now, inTransaction);
  }

  private async claim(
    campaignId: string,
    runAt: Date,
    now: Date,
    inTransaction?: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [{ locked }]: { locked: boolean }[] = await tx.query(
        `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`,
        [ADVISORY_LOCKS.scheduleClaimSpace, campaignId],
      );
      if (!locked) return false; // another instance is claiming it right now
      const [c]: { status: string; schedule_from: Date | null }[] = await tx.query(
        `SELECT status, schedule_from FROM campaigns WHERE id = $1 FOR UPDATE`,
        [campaignId],
      );
      // Re-read under the lock: paused, re-scheduled or already claimed meanwhile.
      if (!c || c.status !== 'scheduled' || (c.schedule_from && c.schedule_from >= runAt))
        return false;
      const inserted: unknown[] = await tx.query(
        `INSERT INTO schedule_runs (campaign_id, run_at, claimed_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING run_at`,
        [campaignId, runAt, this.instanceId],
      );
      if (inserted.length === 0) return false;
      await tx.query(`UPDATE campaigns SET status = 'running', updated_at = now() WHERE id = $1`, [
        campaignId,
      ]);
      await inTransaction?.(tx);
      this.logger.log(
        `campaign ${campaignId}: scheduled run of ${runAt.toISOString()} started (at ${now.toISOString()})`,
      );
      return true;
    });
  }
}
