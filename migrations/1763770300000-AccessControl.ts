import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may do what, and the record of what they did (issue #16):
 * - managed API keys: a name, a role, an optional expiry, last use and revocation (the keys
 *   already stored, the generated first key among them, become admin keys named "first key");
 * - `audit_events`: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), one row per
 *   committed state change, written in the change's own transaction;
 * - `auth_failures`: failed authentications per client address and minute, shared by every
 *   instance for the throttle;
 * - `leads.erased_at` (a privacy erasure) and `campaigns.data_purged_at` (the retention purge).
 */
export class AccessControl1763770300000 implements MigrationInterface {
  name = 'AccessControl1763770300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_keys
        ADD COLUMN name text NOT NULL DEFAULT 'first key',
        ADD COLUMN role text NOT NULL DEFAULT 'admin'
          CHECK (role IN ('admin', 'manager', 'viewer', 'compliance')),
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN last_used_at timestamptz,
        ADD COLUMN revoked_at timestamptz`);
    await q.query(
      `ALTER TABLE api_keys ALTER COLUMN name DROP DEFAULT, ALTER COLUMN role DROP DEFAULT`,
    );
    await q.query(`CREATE INDEX api_keys_created_idx ON api_keys (created_at, id)`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        key_id text,
        key_name text NOT NULL,
        role text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        summary jsonb NOT NULL DEFAULT '{}',
        client_address text,
        request_id text
      )`);
    await q.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await q.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, id)`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_id, id)`);
    await q.query(`CREATE INDEX audit_events_key_idx ON audit_events (key_id, id)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    await q.query(`
      CREATE TABLE auth_failures (
        client text NOT NULL,
        minute timestamptz NOT NULL,
        failures int NOT NULL,
        PRIMARY KEY (client, minute)
      )`);
    await q.query(`CREATE INDEX auth_failures_minute_idx ON auth_failures (minute)`);

    await q.query(`ALTER TABLE leads ADD COLUMN erased_at timestamptz`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN data_purged_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP COLUMN data_purged_at`);
    await q.query(`ALTER TABLE leads DROP COLUMN erased_at`);
    await q.query(`DROP TABLE auth_failures`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP INDEX api_keys_created_idx`);
    await q.query(`
      ALTER TABLE api_keys DROP COLUMN name, DROP COLUMN role, DROP COLUMN expires_at,
        DROP COLUMN last_used_at, DROP COLUMN revoked_at`);
  }
}
