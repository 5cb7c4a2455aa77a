import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper rows for the lead import, which now writes with COPY and time-ordered ids (see
 * LeadBatchWriter). Each change was measured on 1,000,000 imported rows
 * (bench/import/RESULTS.md):
 * - `seq` loses its unique index: it is an identity column, unique by construction, and every
 *   query that reads in import order goes through (campaign_id, seq);
 * - the foreign key from `leads` to `campaigns` becomes triggers that keep its guarantees: a
 *   statement-level check that every new lead's campaign exists (taking the same KEY SHARE lock
 *   the key took, so a campaign being deleted waits for the import or fails it), the cascade
 *   of a campaign's deletion to its leads, and a refusal to move a lead to another campaign. The key checked one row at a time (a lookup and a row
 *   lock per lead: about 3.5 s per million rows); the trigger checks a whole COPY at once.
 */
export class LeadBulkLoad1763770200000 implements MigrationInterface {
  name = 'LeadBulkLoad1763770200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads DROP CONSTRAINT leads_seq_key`);
    await q.query(`ALTER TABLE leads DROP CONSTRAINT leads_campaign_id_fkey`);
    await q.query(`
      CREATE FUNCTION leads_check_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        missing uuid;
      BEGIN
        SELECT n.campaign_id INTO missing
          FROM (SELECT DISTINCT campaign_id FROM new_leads) n
         WHERE NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = n.campaign_id FOR KEY SHARE)
         LIMIT 1;
        IF FOUND THEN
          RAISE foreign_key_violation USING MESSAGE = format('campaign %s does not exist', missing);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER leads_campaign_exists AFTER INSERT ON leads
        REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION leads_check_campaign()`);
    await q.query(`
      CREATE FUNCTION leads_keep_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE foreign_key_violation USING MESSAGE = 'a lead cannot move to another campaign';
      END $$`);
    await q.query(`
      CREATE TRIGGER leads_campaign_fixed BEFORE UPDATE OF campaign_id ON leads FOR EACH ROW
        WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id) EXECUTE FUNCTION leads_keep_campaign()`);
    await q.query(`
      CREATE FUNCTION campaigns_delete_leads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM leads WHERE campaign_id = OLD.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER campaigns_cascade_leads AFTER DELETE ON campaigns FOR EACH ROW
        EXECUTE FUNCTION campaigns_delete_leads()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER campaigns_cascade_leads ON campaigns`);
    await q.query(`DROP FUNCTION campaigns_delete_leads()`);
    await q.query(`DROP TRIGGER leads_campaign_fixed ON leads`);
    await q.query(`DROP FUNCTION leads_keep_campaign()`);
    await q.query(`DROP TRIGGER leads_campaign_exists ON leads`);
    await q.query(`DROP FUNCTION leads_check_campaign()`);
    await q.query(`
      ALTER TABLE leads ADD CONSTRAINT leads_campaign_id_fkey
        FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE leads ADD CONSTRAINT leads_seq_key UNIQUE (seq)`);
  }
}
