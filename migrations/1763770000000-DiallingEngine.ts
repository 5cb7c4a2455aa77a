import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the dialling engine adds to the dialling schema: a marker so that a cancelled campaign's
 * live call is terminated once (not by every instance on every tick), the wait for post-call
 * answers after a completed call has freed its slot, the time of the last platform 429 (so the
 * learned concurrency limit can grow back), one polling lease per agent (one instance polls an
 * agent's calls at a time) and the index the claim query walks.
 */
export class DiallingEngine1763770000000 implements MigrationInterface {
  name = 'DiallingEngine1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE call_attempts ADD COLUMN terminate_requested_at timestamptz`);
    await q.query(`ALTER TABLE call_attempts ADD COLUMN answers_due_until timestamptz`);
    await q.query(
      `CREATE INDEX call_attempts_tracked_idx ON call_attempts (agent_id) WHERE state = 'live' OR answers_due_until IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX call_attempts_unsettled_idx ON call_attempts (state, lease_expires_at) WHERE state IN ('starting', 'ambiguous')`,
    );
    await q.query(`ALTER TABLE platform_pause ADD COLUMN last_429_at timestamptz`);
    await q.query(`
      CREATE TABLE poll_leases (
        agent_id uuid PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    // The claim takes a campaign's dialable leads in import order; without this index it sorts
    // every pending lead of the campaign on each claim.
    await q.query(
      `CREATE INDEX leads_dialable_idx ON leads (campaign_id, seq) WHERE status IN ('pending', 'retry_scheduled')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX leads_dialable_idx`);
    await q.query(`DROP TABLE poll_leases`);
    await q.query(`ALTER TABLE platform_pause DROP COLUMN last_429_at`);
    await q.query(`DROP INDEX call_attempts_unsettled_idx`);
    await q.query(`DROP INDEX call_attempts_tracked_idx`);
    await q.query(`ALTER TABLE call_attempts DROP COLUMN answers_due_until`);
    await q.query(`ALTER TABLE call_attempts DROP COLUMN terminate_requested_at`);
  }
}
