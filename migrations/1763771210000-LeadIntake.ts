import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CRM-grade intake (issue #12): an import remembers the lines after the data that were not
 * records (a report's "Grand Totals", "Confidential"), reported as `ignored_rows`.
 */
export class LeadIntake1763771210000 implements MigrationInterface {
  name = 'LeadIntake1763771210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lead_imports ADD COLUMN ignored_rows jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lead_imports DROP COLUMN ignored_rows`);
  }
}
