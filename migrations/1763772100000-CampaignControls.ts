import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign controls (issue 13, part 3): end date, daily and budget caps, the circuit breaker,
 * why a campaign is paused, per-lead attempt limits raised by a requeue, and which attempts
 * failed at the platform (the breaker counts them in one query). Retry rules per outcome and per
 * status live inside the existing `retry` document.
 */
export class CampaignControls1763772100000 implements MigrationInterface {
  name = 'CampaignControls1763772100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns
        ADD COLUMN ends_at timestamptz,
        ADD COLUMN max_calls_per_day int CHECK (max_calls_per_day > 0),
        ADD COLUMN max_cost numeric CHECK (max_cost > 0),
        ADD COLUMN auto_pause jsonb NOT NULL
          DEFAULT '{"failure_rate": 0.5, "window_minutes": 2, "min_calls": 10}',
        ADD COLUMN paused_reason text CHECK (paused_reason IN
          ('manual', 'budget_reached', 'failure_rate', 'platform_auth', 'platform_rejected')),
        ADD COLUMN paused_detail jsonb,
        ADD COLUMN resumed_at timestamptz`);
    await q.query(`ALTER TABLE leads ADD COLUMN attempt_limit int CHECK (attempt_limit > 0)`);
    await q.query(
      `ALTER TABLE call_attempts ADD COLUMN platform_failed boolean NOT NULL DEFAULT false`,
    );
    await q.query(`ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check`);
    await q.query(`ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check
      CHECK (type IN ('lead.qualified', 'campaign.completed', 'campaign.paused'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM webhook_events WHERE type = 'campaign.paused'`);
    await q.query(`ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check`);
    await q.query(`ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check
      CHECK (type IN ('lead.qualified', 'campaign.completed'))`);
    await q.query(`ALTER TABLE call_attempts DROP COLUMN platform_failed`);
    await q.query(`ALTER TABLE leads DROP COLUMN attempt_limit`);
    await q.query(`
      ALTER TABLE campaigns
        DROP COLUMN ends_at, DROP COLUMN max_calls_per_day, DROP COLUMN max_cost,
        DROP COLUMN auto_pause, DROP COLUMN paused_reason, DROP COLUMN paused_detail,
        DROP COLUMN resumed_at`);
  }
}
