import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Test calls (POST /v1/campaigns/{id}/test-call): one real call with a campaign's agent to the
 * user's own phone, kept apart from leads and call attempts so that it never counts in the
 * campaign's progress, report or caps. The rows also carry the per-campaign hourly limit.
 */
export class TestCalls1763771230000 implements MigrationInterface {
  name = 'TestCalls1763771230000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE test_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        lead_id uuid,
        to_number text NOT NULL,
        from_number text NOT NULL,
        variables jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL,
        call_id text,
        answers jsonb,
        duration_seconds numeric,
        error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        -- Ended and its answers read (or given up on): no longer read from the platform.
        final boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX test_calls_campaign_idx ON test_calls (campaign_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_calls`);
  }
}
