import { MigrationInterface, QueryRunner } from 'typeorm';

/** The core tables: API keys, campaigns, lead imports, leads and the do-not-call list. */
export class Foundation1763769600000 implements MigrationInterface {
  name = 'Foundation1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        agent_id uuid NOT NULL,
        from_numbers text[] NOT NULL,
        timezone text NOT NULL DEFAULT 'UTC',
        calling_window jsonb NOT NULL,
        max_concurrent_calls int NOT NULL DEFAULT 10 CHECK (max_concurrent_calls > 0),
        max_calls_per_minute int NOT NULL DEFAULT 60 CHECK (max_calls_per_minute > 0),
        retry jsonb NOT NULL,
        schedule jsonb,
        default_country text,
        qualification jsonb,
        variables jsonb NOT NULL DEFAULT '{}',
        questions jsonb,
        questions_fetched_at timestamptz,
        webhook_url text,
        webhook_secret text,
        status text NOT NULL DEFAULT 'draft',
        next_from_index int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX campaigns_status_idx ON campaigns (status)`);
    await q.query(`
      CREATE TABLE lead_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        file_name text,
        status text NOT NULL DEFAULT 'running',
        rows int NOT NULL DEFAULT 0,
        accepted int NOT NULL DEFAULT 0,
        rejected int NOT NULL DEFAULT 0,
        duplicates int NOT NULL DEFAULT 0,
        suppressed int NOT NULL DEFAULT 0,
        error_count int NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        missing_variables jsonb NOT NULL DEFAULT '[]',
        options jsonb NOT NULL DEFAULT '{}',
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX lead_imports_campaign_idx ON lead_imports (campaign_id)`);
    await q.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        import_id uuid REFERENCES lead_imports(id) ON DELETE SET NULL,
        row_number int,
        phone text NOT NULL,
        timezone text,
        variables jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        last_call_id text,
        last_call_status text,
        next_attempt_at timestamptz,
        outcome text,
        status_reason text,
        answers jsonb,
        qualified boolean,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT leads_campaign_phone_uniq UNIQUE (campaign_id, phone)
      )`);
    await q.query(
      `CREATE INDEX leads_campaign_status_idx ON leads (campaign_id, status, next_attempt_at)`,
    );
    await q.query(`CREATE INDEX leads_phone_idx ON leads (phone)`);
    await q.query(`
      CREATE TABLE suppressions (
        phone text PRIMARY KEY,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE suppressions`);
    await q.query(`DROP TABLE leads`);
    await q.query(`DROP TABLE lead_imports`);
    await q.query(`DROP TABLE campaigns`);
    await q.query(`DROP TABLE api_keys`);
  }
}
