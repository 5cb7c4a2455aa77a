import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The learned platform limit becomes AIMD (see PlatformPauseService): it is lowered only on
 * evidence of a concurrency limit and grows back by one per so many successful starts.
 * - `growth_starts`: successful starts counted towards the next +1 of `observed_limit`;
 * - `unexplained_429_live`, `unexplained_429s`: a run of 429s whose message names no limit: the
 *   lowest live count one came at, and how many came at about that level with no start
 *   accepted at that level or above in between (repeated refusals at one level are the
 *   evidence of a concurrency limit).
 */
export class PlatformLimitAimd1763770310000 implements MigrationInterface {
  name = 'PlatformLimitAimd1763770310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_pause ADD COLUMN growth_starts int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE platform_pause ADD COLUMN unexplained_429_live int`);
    await q.query(`ALTER TABLE platform_pause ADD COLUMN unexplained_429s int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_pause DROP COLUMN unexplained_429s`);
    await q.query(`ALTER TABLE platform_pause DROP COLUMN unexplained_429_live`);
    await q.query(`ALTER TABLE platform_pause DROP COLUMN growth_starts`);
  }
}
