import { MigrationInterface, QueryRunner } from 'typeorm';
import { attemptsCountStatement, countingFunctionSql } from './1763772200000-CampaignCounters';
import { leadsCountStatement } from './1763772210000-AnswerCounters';
import {
  budgetCountFunction,
  budgetCountStatement,
  transitionTables,
} from './1763773100000-BudgetCounters';

/**
 * The counters' triggers, cheaper per statement, same figures. On the campaign bench they were
 * most of PostgreSQL's time per call (call_attempts' two update triggers 5.8 ms, the leads' 1.7
 * ms, of 14 ms): each ran its whole counting statement (some sixty plan nodes) for every UPDATE,
 * although half of the engine's updates change no counted column (arming a start moves
 * `requested_at`, recording a call live sets the lead's `last_call_id`, typed answers, leases).
 * - An update trigger first checks, on the transition tables, that some row changed a counted
 *   column; else it returns at once.
 * - call_attempts has one trigger function per kind of statement, running the counters' and the
 *   budget's statements (BudgetCounters had a second trigger each: twice the transition tables).
 * - An UPDATE of one attempt (every step of a call) is counted by a short path, in the function's
 *   variables and one small INSERT; the same figures as the set-based statement, which still
 *   counts every other statement (several rows, or an attempt moved to another lead).
 */
export class CounterTriggersFastPath1763773300000 implements MigrationInterface {
  name = 'CounterTriggersFastPath1763773300000';

  async up(q: QueryRunner): Promise<void> {
    for (const op of OPS) {
      await q.query(`DROP TRIGGER call_attempts_budget_count_${op} ON call_attempts`);
      await q.query(`DROP FUNCTION call_attempts_budget_count_${op}()`);
    }
    for (const op of ['insert', 'delete'] as const) {
      await q.query(
        countingFunctionSql(
          `call_attempts_count_${op}`,
          [attemptsCountStatement(op), budgetCountStatement(op)],
          { replace: true },
        ),
      );
    }
    await q.query(attemptsUpdateFunction());
    await q.query(
      countingFunctionSql('leads_count_update', [leadsCountStatement('update')], {
        guard: unchangedGuard('leads', LEAD_COLUMNS),
        replace: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const replace = { replace: true };
    await q.query(
      countingFunctionSql('leads_count_update', [leadsCountStatement('update')], replace),
    );
    for (const op of OPS) {
      await q.query(
        countingFunctionSql(`call_attempts_count_${op}`, [attemptsCountStatement(op)], replace),
      );
      await q.query(budgetCountFunction(op));
      await q.query(`
        CREATE TRIGGER call_attempts_budget_count_${op} AFTER ${op.toUpperCase()} ON call_attempts
          REFERENCING ${transitionTables(op)}
          FOR EACH STATEMENT EXECUTE FUNCTION call_attempts_budget_count_${op}()`);
    }
  }
}

const OPS = ['insert', 'update', 'delete'] as const;

/** Every column a counting statement on call_attempts reads (counters' and budget's). */
const ATTEMPT_COLUMNS = [
  'state',
  'call_id',
  'outcome',
  'cost',
  'duration_seconds',
  'attempt_number',
  'lead_id',
  'campaign_id',
];
/** The columns the leads' counting statement reads. */
const LEAD_COLUMNS = ['status', 'qualified', 'answers'];

const columnsOf = (alias: string, columns: string[]) =>
  columns.map((c) => `${alias}.${c}`).join(', ');

/** Returns from the trigger when no row of the statement changed any of `columns`. */
function unchangedGuard(table: 'attempts' | 'leads', columns: string[]): string {
  return `
      IF NOT EXISTS (SELECT 1 FROM new_${table} n JOIN old_${table} o ON o.id = n.id
                      WHERE (${columnsOf('o', columns)}) IS DISTINCT FROM (${columnsOf('n', columns)})) THEN
        RETURN NULL;
      END IF;`;
}

/**
 * A lead's figures over its attempts with a call (dialled: any; reached: one completed; last
 * outcome: its highest attempt's), with attempt `row` in place of the table's row of that id.
 */
function leadFiguresSql(row: 'old_row' | 'new_row', into: string): string {
  return `
        SELECT count(*) > 0, coalesce(bool_or(outcome = 'completed'), false),
               (array_agg(coalesce(outcome, 'in_progress') ORDER BY attempt_number DESC))[1]
          INTO ${into}
          FROM (SELECT a.attempt_number, a.outcome FROM call_attempts a
                 WHERE a.lead_id = new_row.lead_id AND a.call_id IS NOT NULL AND a.id <> new_row.id
                UNION ALL
                SELECT ${row}.attempt_number, ${row}.outcome WHERE ${row}.call_id IS NOT NULL) s;`;
}

/** One attempt's contribution to every counter, signed: the VALUES rows of `row`. */
function attemptValuesSql(row: 'old_row' | 'new_row', sign: '1' | '-1'): string {
  const called = `${row}.call_id IS NOT NULL`;
  const priced = `${row}.state = 'ended' AND ${row}.cost IS NOT NULL`;
  return `
          (CASE WHEN ${called} THEN 'calls:' || coalesce(${row}.outcome, 'in_progress') END, ${sign}::numeric),
          (CASE WHEN ${called} THEN 'cost' END, ${sign} * coalesce(${row}.cost, 0)),
          (CASE WHEN ${called} THEN 'duration' END, ${sign} * coalesce(${row}.duration_seconds, 0)),
          (CASE WHEN ${priced} THEN 'spent' END, ${sign} * ${row}.cost),
          (CASE WHEN ${priced} THEN 'priced_calls' END, ${sign}::numeric),
          (CASE WHEN ${row}.state IN ('starting', 'ambiguous', 'live') THEN 'slots' END, ${sign}::numeric)`;
}

/**
 * call_attempts' UPDATE trigger: one changed attempt of a live campaign takes the short path
 * (its old row counted -1, its new row +1, its lead's figures before and after); any
 * other statement the set-based statements of CampaignCounters and BudgetCounters. (The row
 * variables are not named `o` and `n`: those are the statements' aliases of the transition tables.)
 */
function attemptsUpdateFunction(): string {
  const changed = `(${columnsOf('old_row', ATTEMPT_COLUMNS)}) IS DISTINCT FROM (${columnsOf('new_row', ATTEMPT_COLUMNS)})`;
  return `
    CREATE OR REPLACE FUNCTION call_attempts_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      old_row call_attempts%ROWTYPE;
      new_row call_attempts%ROWTYPE;
      then_dialled boolean; then_reached boolean; then_last text;
      now_dialled boolean; now_reached boolean; now_last text;
    BEGIN
      IF (SELECT count(*) FROM new_attempts) = 1 THEN
        SELECT * INTO new_row FROM new_attempts;
        SELECT * INTO old_row FROM old_attempts;
        IF NOT (${changed}) THEN
          RETURN NULL;
        END IF;
        IF old_row.id = new_row.id AND old_row.lead_id = new_row.lead_id
           AND old_row.campaign_id = new_row.campaign_id THEN
          IF NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = new_row.campaign_id) THEN
            RETURN NULL;
          END IF;
          ${leadFiguresSql('old_row', 'then_dialled, then_reached, then_last')}
          ${leadFiguresSql('new_row', 'now_dialled, now_reached, now_last')}
          INSERT INTO campaign_counters (campaign_id, key, value)
          SELECT new_row.campaign_id, d.key, sum(d.value) FROM (VALUES ${attemptValuesSql('new_row', '1')},
            ${attemptValuesSql('old_row', '-1')},
            ('dialled', now_dialled::int - then_dialled::int),
            ('reached', (now_dialled AND now_reached)::int - (then_dialled AND then_reached)::int),
            (CASE WHEN now_dialled THEN 'last_outcome:' || now_last END, 1),
            (CASE WHEN then_dialled THEN 'last_outcome:' || then_last END, -1)) d (key, value)
           WHERE d.key IS NOT NULL GROUP BY d.key HAVING sum(d.value) <> 0;
          RETURN NULL;
        END IF;
      END IF;${unchangedGuard('attempts', ATTEMPT_COLUMNS)}
      ${attemptsCountStatement('update')};
      ${budgetCountStatement('update')};
      RETURN NULL;
    END $$`;
}
