import { MigrationInterface, QueryRunner } from 'typeorm';
import { countingFunctionSql } from './1763772200000-CampaignCounters';

/**
 * The budget cap's figures in `campaign_counters`, so that the claim's check (CampaignLimits)
 * costs the same at a thousand calls or a million. Per campaign, from its call attempts:
 * - `spent`: the cost of the attempts `ended` with a cost;
 * - `priced_calls`: how many such attempts (the mean cost's divisor);
 * - `slots`: the attempts holding a concurrency slot (`starting`, `ambiguous`, `live`).
 * Same design as CampaignCounters: statement-level triggers with transition tables append the
 * statement's deltas in its own transaction (exact through crashes, retries and any number of
 * instances), and the fold keeps a few rows per key. These figures depend on an attempt's own
 * state and cost only, so a statement's delta is its new rows minus its old ones.
 */
export class BudgetCounters1763773100000 implements MigrationInterface {
  name = 'BudgetCounters1763773100000';

  async up(q: QueryRunner): Promise<void> {
    for (const op of OPS) {
      await q.query(budgetCountFunction(op));
      await q.query(`
        CREATE TRIGGER call_attempts_budget_count_${op} AFTER ${op.toUpperCase()} ON call_attempts
          REFERENCING ${transitionTables(op)}
          FOR EACH STATEMENT EXECUTE FUNCTION call_attempts_budget_count_${op}()`);
    }
    // The figures of the attempts that already exist, counted once.
    await q.query(`
      INSERT INTO campaign_counters (campaign_id, key, value)
      WITH signed AS (SELECT campaign_id, state, cost, 1 AS sign FROM call_attempts)
      ${budgetDeltasSql()}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of OPS) {
      await q.query(`DROP TRIGGER call_attempts_budget_count_${op} ON call_attempts`);
      await q.query(`DROP FUNCTION call_attempts_budget_count_${op}()`);
    }
    await q.query(`DELETE FROM campaign_counters WHERE key IN ('spent', 'priced_calls', 'slots')`);
  }
}

const OPS = ['insert', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

export function transitionTables(op: Op): string {
  if (op === 'insert') return 'NEW TABLE AS new_attempts';
  if (op === 'delete') return 'OLD TABLE AS old_attempts';
  return 'OLD TABLE AS old_attempts NEW TABLE AS new_attempts';
}

/** After `signed (campaign_id, state, cost, sign)`: the deltas, summed per (campaign, key). */
function budgetDeltasSql(): string {
  return `,
      deltas (campaign_id, key, value) AS (
        SELECT campaign_id, 'spent', sign * cost FROM signed
         WHERE state = 'ended' AND cost IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'priced_calls', sign::numeric FROM signed
         WHERE state = 'ended' AND cost IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'slots', sign::numeric FROM signed
         WHERE state IN ('starting', 'ambiguous', 'live'))
      SELECT campaign_id, key, sum(value) FROM deltas GROUP BY 1, 2 HAVING sum(value) <> 0`;
}

/** The budget counters' statement of one kind of statement on call_attempts. */
export function budgetCountStatement(op: Op): string {
  const rows = (table: string, sign: number) =>
    `SELECT campaign_id, state, cost, ${sign} AS sign FROM ${table}`;
  // An update counts only the rows whose counted columns changed (most updates touch others).
  const changedOnly = `
         WHERE id IN (SELECT n.id FROM new_attempts n JOIN old_attempts o ON o.id = n.id
                       WHERE (o.state, o.cost, o.campaign_id) IS DISTINCT FROM (n.state, n.cost, n.campaign_id))`;
  const signed =
    op === 'insert'
      ? rows('new_attempts', 1)
      : op === 'delete'
        ? rows('old_attempts', -1)
        : `${rows('new_attempts', 1)}${changedOnly} UNION ALL ${rows('old_attempts', -1)}${changedOnly}`;
  return `INSERT INTO campaign_counters (campaign_id, key, value)
      WITH signed AS (
        SELECT s.* FROM (${signed}) s
         WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = s.campaign_id))
      ${budgetDeltasSql()}`;
}

export function budgetCountFunction(op: Op): string {
  return countingFunctionSql(`call_attempts_budget_count_${op}`, [budgetCountStatement(op)]);
}
