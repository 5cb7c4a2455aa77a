import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the lead import records beyond the foundation's counts (blank rows, warnings, why an
 * upload failed), the index that lists a campaign's leads page by page in import order, and a
 * cheaper lead insert.
 *
 * Every index and check on `leads` is paid once per imported row, and PostgreSQL's share is most
 * of a large import's time, so:
 * - one unique index on (phone, campaign_id) replaces the unique (campaign_id, phone) and the
 *   index on phone: it enforces one lead per number per campaign (ON CONFLICT (campaign_id,
 *   phone) still infers it) and serves lookups of a number across campaigns (do-not-call list,
 *   the dialer) by its leading column. About a fifth less CPU per imported row.
 * - `leads.import_id` loses its foreign key: checking it costs a lookup and a row lock per
 *   imported lead. It only records provenance, and an import record is never deleted on its
 *   own: it goes with its campaign, whose cascade deletes the leads too. The key on
 *   `campaign_id` stays.
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
    await q.query(`ALTER TABLE leads DROP CONSTRAINT leads_import_id_fkey`);
    await q.query(
      `ALTER TABLE leads ADD CONSTRAINT leads_phone_campaign_uniq UNIQUE (phone, campaign_id)`,
    );
    await q.query(`ALTER TABLE leads DROP CONSTRAINT leads_campaign_phone_uniq`);
    await q.query(`DROP INDEX leads_phone_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX leads_phone_idx ON leads (phone)`);
    await q.query(
      `ALTER TABLE leads ADD CONSTRAINT leads_campaign_phone_uniq UNIQUE (campaign_id, phone)`,
    );
    await q.query(`ALTER TABLE leads DROP CONSTRAINT leads_phone_campaign_uniq`);
    await q.query(`
      ALTER TABLE leads ADD CONSTRAINT leads_import_id_fkey
        FOREIGN KEY (import_id) REFERENCES lead_imports(id) ON DELETE SET NULL`);
    await q.query(`DROP INDEX leads_campaign_seq_idx`);
    await q.query(
      `ALTER TABLE lead_imports DROP COLUMN blank_rows, DROP COLUMN warnings, DROP COLUMN failure`,
    );
  }
}
