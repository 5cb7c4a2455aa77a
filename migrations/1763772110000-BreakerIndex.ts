import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The circuit breaker (on by default) runs at every claim: its first question, "how many calls
 * of this campaign failed at the platform in the window?", reads this small partial index, so the
 * common case (none or few) costs next to nothing; the window's calls are counted only when
 * enough failed to matter.
 */
export class BreakerIndex1763772110000 implements MigrationInterface {
  name = 'BreakerIndex1763772110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX call_attempts_platform_failed_idx ON call_attempts (campaign_id, requested_at) WHERE platform_failed`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX call_attempts_platform_failed_idx`);
  }
}
