import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CRM hand-off's durable outbox: an event is written in the same transaction as the verdict
 * that causes it, then delivered (at least once) by the worker.
 */
export class WebhookOutbox1763770100000 implements MigrationInterface {
  name = 'WebhookOutbox1763770100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        lead_id uuid REFERENCES leads(id) ON DELETE SET NULL,
        type text NOT NULL CHECK (type IN ('lead.qualified', 'campaign.completed')),
        dedupe_key text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_attempt_at timestamptz,
        last_error text,
        last_status_code int,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX webhook_events_campaign_idx ON webhook_events (campaign_id, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_events`);
  }
}
