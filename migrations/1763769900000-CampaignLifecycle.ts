import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the campaign lifecycle needs beyond the foundation: the state a paused campaign resumes
 * to, the instant before which its schedule's fires are not run (set when it is started, resumed,
 * re-scheduled or a run ends, so that no stale fire starts a run), the statuses as a constraint,
 * and the index the newest-first listing walks.
 */
export class CampaignLifecycle1763769900000 implements MigrationInterface {
  name = 'CampaignLifecycle1763769900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN paused_from text`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN schedule_from timestamptz`);
    await q.query(`
      ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
        CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'))`);
    await q.query(`
      ALTER TABLE campaigns ADD CONSTRAINT campaigns_paused_from_check
        CHECK ((status = 'paused') = (paused_from IS NOT NULL) AND (paused_from IS NULL OR paused_from IN ('running', 'scheduled')))`);
    await q.query(`CREATE INDEX campaigns_created_idx ON campaigns (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX campaigns_created_idx`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_paused_from_check`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN schedule_from`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN paused_from`);
  }
}
