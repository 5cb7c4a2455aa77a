import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calling laws (issue #11): each campaign's `compliance` setting (default: the law of each lead's
 * number, consumers), the consent evidence and contact type of each lead, where a do-not-call
 * entry came from, the refusals heard on calls (the cool-down spans campaigns), and an index that
 * makes "attempts to this number in the last N days, all campaigns" cheap.
 */
export class Compliance1763772000000 implements MigrationInterface {
  name = 'Compliance1763772000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE campaigns ADD COLUMN compliance jsonb NOT NULL DEFAULT '{"rules": "auto", "contact_type": "consumer", "refusal_question": null, "opt_out_question": null, "max_contacts": null, "conservative_holidays": true}'`,
    );
    await q.query(`ALTER TABLE leads ADD COLUMN consent_at timestamptz`);
    await q.query(`ALTER TABLE leads ADD COLUMN consent_source text`);
    await q.query(
      `ALTER TABLE leads ADD COLUMN contact_type text CHECK (contact_type IN ('consumer', 'business'))`,
    );
    await q.query(`ALTER TABLE suppressions ADD COLUMN source jsonb`);
    await q.query(`
      CREATE TABLE contact_refusals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phone text NOT NULL,
        refused_at timestamptz NOT NULL,
        campaign_id uuid,
        call_id text
      )`);
    await q.query(
      `CREATE INDEX contact_refusals_phone_idx ON contact_refusals (phone, refused_at)`,
    );
    await q.query(
      `CREATE INDEX call_attempts_number_requested_idx ON call_attempts (to_number, requested_at) WHERE state <> 'not_dialled'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX call_attempts_number_requested_idx`);
    await q.query(`DROP TABLE contact_refusals`);
    await q.query(`ALTER TABLE suppressions DROP COLUMN source`);
    await q.query(`ALTER TABLE leads DROP COLUMN contact_type`);
    await q.query(`ALTER TABLE leads DROP COLUMN consent_source`);
    await q.query(`ALTER TABLE leads DROP COLUMN consent_at`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN compliance`);
  }
}
