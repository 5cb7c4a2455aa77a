import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the lead import records beyond the foundation's counts (blank rows, warnings, why an
 * upload failed), and the index that lists a campaign's leads page by page in import order.
 */
export class LeadImportDetails1763769800000 implements MigrationInterface {
  name = 'LeadImportDetails1763769800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE lead_imports
        ADD COLUMN blank_rows int NOT NULL DEFAULT 0,
        ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN failure text`);
    await q.query(`CREATE INDEX leads_campaign_seq_idx ON leads (campaign_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX leads_campaign_seq_idx`);
    await q.query(
      `ALTER TABLE lead_imports DROP COLUMN blank_rows, DROP COLUMN warnings, DROP COLUMN failure`,
    );
  }
}
