import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { WorkerLoop } from '../common/worker-loop';
import { CLOCK, RUNTIME, WORKER_TUNING } from '../core/runtime';
import type { Clock, Runtime, WorkerTuning } from '../core/runtime';

const DAY_MS = 24 * 60 * 60_000;
const DEFAULT_INTERVAL_MS = 60 * 60_000;

/**
 * DATA_RETENTION_DAYS (worker role): the lead variables and answers of campaigns finished
 * (completed or cancelled) longer ago than that are purged, with the answers of their call
 * attempts and the data of their lead CRM events. What stays: the leads' numbers, statuses,
 * verdicts, attempts, durations and costs, so the campaign's figures do not change. Each
 * campaign is purged once across instances (its row locked, SKIP LOCKED, and marked
 * `data_purged_at` in the same transaction), logged, and audited as `system`.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private loop?: WorkerLoop;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKER_TUNING) private readonly tuning: WorkerTuning,
    private readonly audit: AuditTrail,
  ) {}

  /** Started by WorkerLoops, in the worker roles only; idle without DATA_RETENTION_DAYS. */
  start(): void {
    if (!this.runtime.config.DATA_RETENTION_DAYS) return;
    const extra = this.tuning as Partial<{ retentionIntervalMs: number }>;
    this.loop = new WorkerLoop(
      'retention purge',
      extra.retentionIntervalMs ?? DEFAULT_INTERVAL_MS,
      async () => {
        await this.purgeExpired();
      },
      this.logger,
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** Purges every campaign past the retention period; answers how many were purged. */
  async purgeExpired(): Promise<number> {
    const days = this.runtime.config.DATA_RETENTION_DAYS;
    if (!days) return 0;
    let purged = 0;
    while (await this.purgeOne(days)) purged++;
    return purged;
  }

  private async purgeOne(days: number): Promise<boolean> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    return this.db.transaction(async (tx) => {
      const [c]: { id: string; name: string; completed_at: Date }[] = await tx.query(
        `SELECT id, name, completed_at FROM campaigns
          WHERE status IN ('completed', 'cancelled') AND completed_at < $1 AND data_purged_at IS NULL
          ORDER BY completed_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [cutoff],
      );
      if (!c) return false;
      const count = async (sql: string) => (await tx.query<[unknown[], number]>(sql, [c.id]))[1];
      const leads = await count(
        `UPDATE leads SET variables = '{}', answers = NULL WHERE campaign_id = $1 AND (variables <> '{}' OR answers IS NOT NULL)`,
      );
      const attempts = await count(
        `UPDATE call_attempts SET answers = NULL, post_call_answers = NULL
          WHERE campaign_id = $1 AND (answers IS NOT NULL OR post_call_answers IS NOT NULL)`,
      );
      const events = await count(
        `UPDATE webhook_events SET payload = jsonb_build_object('purged', true, 'lead_id', lead_id)
          WHERE campaign_id = $1 AND lead_id IS NOT NULL AND NOT payload ? 'purged'`,
      );
      // The rows kept for errors.csv and the test calls hold personal data too.
      const rejectedRows = await count(
        `DELETE FROM lead_import_rejects WHERE import_id IN (SELECT id FROM lead_imports WHERE campaign_id = $1)`,
      );
      const testCalls = await count(
        `UPDATE test_calls SET variables = '{}', answers = NULL
          WHERE campaign_id = $1 AND (variables <> '{}' OR answers IS NOT NULL)`,
      );
      await tx.query(`UPDATE campaigns SET data_purged_at = $2 WHERE id = $1`, [c.id, now]);
      const summary = {
        retention_days: days,
        completed_at: new Date(c.completed_at).toISOString(),
        leads,
        call_attempts: attempts,
        webhook_events: events,
        rejected_rows: rejectedRows,
        test_calls: testCalls,
      };
      await this.audit.record(tx, {
        action: 'retention.purge',
        targetType: 'campaign',
        targetId: c.id,
        summary,
      });
      this.logger.log(
        `Retention: purged the lead data of campaign ${c.id} (finished ${summary.completed_at}, over ${days} days ago): ` +
          `${leads} leads, ${attempts} call attempts, ${events} CRM events`,
      );
      return true;
    });
  }
}
