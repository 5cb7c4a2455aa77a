import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the dialer needs to keep its promises across crashes and instances: one row per call
 * attempt (which is also the concurrency slot while it is live), the shared platform pause and
 * the record of scheduled runs.
 */
export class Dialling1763769700000 implements MigrationInterface {
  name = 'Dialling1763769700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE call_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        attempt_number int NOT NULL,
        agent_id uuid NOT NULL,
        from_number text NOT NULL,
        to_number text NOT NULL,
        state text NOT NULL DEFAULT 'starting',
        call_id text UNIQUE,
        call_status text,
        outcome text,
        requested_at timestamptz NOT NULL,
        lease_owner text,
        lease_expires_at timestamptz,
        reconcile_until timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        finished_at timestamptz,
        duration_seconds numeric,
        cost numeric,
        post_call_answers jsonb,
        answers jsonb,
        error text,
        last_polled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT call_attempts_lead_attempt_uniq UNIQUE (lead_id, attempt_number)
      )`);
    // A slot is an attempt in a live state. These two indexes make "one live call per lead" and
    // "one live call per number, across campaigns" facts the database enforces, whatever crashed.
    await q.query(
      `CREATE UNIQUE INDEX call_attempts_one_live_per_lead ON call_attempts (lead_id) WHERE state IN ('starting', 'ambiguous', 'live')`,
    );
    await q.query(
      `CREATE UNIQUE INDEX call_attempts_one_live_per_number ON call_attempts (to_number) WHERE state IN ('starting', 'ambiguous', 'live')`,
    );
    await q.query(
      `CREATE INDEX call_attempts_live_idx ON call_attempts (campaign_id, state) WHERE state IN ('starting', 'ambiguous', 'live')`,
    );
    await q.query(
      `CREATE INDEX call_attempts_requested_idx ON call_attempts (campaign_id, requested_at)`,
    );
    await q.query(`CREATE INDEX call_attempts_lead_idx ON call_attempts (lead_id, attempt_number)`);
    await q.query(`
      CREATE TABLE platform_pause (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        paused_until timestamptz NOT NULL,
        consecutive_429 int NOT NULL DEFAULT 0,
        observed_limit int,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO platform_pause (id, paused_until) VALUES (1, to_timestamp(0))`);
    await q.query(`
      CREATE TABLE schedule_runs (
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        run_at timestamptz NOT NULL,
        claimed_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, run_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE schedule_runs`);
    await q.query(`DROP TABLE platform_pause`);
    await q.query(`DROP TABLE call_attempts`);
  }
}
