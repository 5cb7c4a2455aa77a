import { MigrationInterface, QueryRunner } from 'typeorm';
import { countingFunctionSql, LEADS_COUNT_FUNCTION } from './1763772200000-CampaignCounters';

/**
 * The report's answer distributions from `campaign_counters` too (src/reports/report-summary.ts),
 * so that a report's summary costs the same however many leads have answered. The leads'
 * triggers now also count, per lead whose `answers` is an object: `answers` (leads with answers),
 * and per answer entry, keyed by a JSON array so that any question name fits:
 * - `answer_type:["<question>","<json type>"]`: entries by JSON type (`null` included);
 * - `answer_value:["<question>","<value>"]`: booleans and strings, and each boolean or string
 *   element of a list, except for questions stored as text or number (free texts would make a
 *   key per distinct text; the report does not group them);
 * - `answer_number:["<question>","<number>"]`: numbers, by value (min, mean and max follow).
 * The triggers of CampaignCounters are replaced by one function per kind of statement; an
 * update counts only the rows whose status, verdict or answers changed (old −1, new +1).
 */
export class AnswerCounters1763772210000 implements MigrationInterface {
  name = 'AnswerCounters1763772210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION answer_values_grouped(questions jsonb, question text) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT NOT EXISTS (
          SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(questions) = 'array' THEN questions ELSE '[]' END) q
           WHERE q ->> 'name' = question
             AND regexp_replace(lower(trim(q ->> 'type')), '[\\s-]+', '_', 'g') IN (${FREE_TYPES}))
      $$`);
    for (const op of ['insert', 'update', 'delete'] as const) await q.query(leadsCountFunction(op));
    for (const op of ['insert', 'update', 'delete'] as const) {
      await q.query(`DROP TRIGGER leads_count_${op} ON leads`);
      await q.query(leadsTrigger(op, `leads_count_${op}`));
    }
    await q.query(`DROP FUNCTION leads_count()`);
    // The answers of the leads that already exist, counted once.
    await q.query(`
      INSERT INTO campaign_counters (campaign_id, key, value)
      WITH signed AS (
        SELECT campaign_id, status, qualified, answers, 1 AS sign FROM leads
         WHERE jsonb_typeof(answers) = 'object')
      ${answerDeltasSql()}
      SELECT campaign_id, key, sum(value) FROM answer_deltas GROUP BY 1, 2 HAVING sum(value) <> 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM campaign_counters WHERE key LIKE 'answer%'`);
    await q.query(LEADS_COUNT_FUNCTION);
    for (const op of ['insert', 'update', 'delete'] as const) {
      await q.query(`DROP TRIGGER leads_count_${op} ON leads`);
      await q.query(`DROP FUNCTION leads_count_${op}()`);
      await q.query(leadsTrigger(op, 'leads_count'));
    }
    await q.query(`DROP FUNCTION answer_values_grouped(jsonb, text)`);
  }
}

/** The platform types the report treats as text or number (see qualification/question-kind.ts). */
const FREE_TYPES = [
  'number',
  'numeric',
  'integer',
  'int',
  'float',
  'decimal',
  'text',
  'string',
  'free_text',
  'open',
]
  .map((t) => `'${t}'`)
  .join(', ');

/**
 * CTEs after `signed (campaign_id, status, qualified, answers, sign)`: `answer_deltas` holds the
 * answer counters' deltas (only the rows with object answers contribute).
 */
function answerDeltasSql(): string {
  return `,
      answered AS (
        SELECT s.campaign_id, s.sign, s.answers, c.questions FROM signed s
          JOIN campaigns c ON c.id = s.campaign_id
         WHERE jsonb_typeof(s.answers) = 'object'),
      entries AS (
        SELECT a.campaign_id, a.sign, a.questions, e.key AS question, e.value, jsonb_typeof(e.value) AS type
          FROM answered a CROSS JOIN LATERAL jsonb_each(a.answers) e),
      answer_deltas (campaign_id, key, value) AS (
        SELECT campaign_id, 'answers', sign::numeric FROM answered
        UNION ALL
        SELECT campaign_id, 'answer_type:' || jsonb_build_array(question, type)::text, sign FROM entries
        UNION ALL
        SELECT campaign_id, 'answer_number:' || jsonb_build_array(question, value::numeric::text)::text, sign
          FROM entries WHERE type = 'number'
        UNION ALL
        SELECT x.campaign_id, 'answer_value:' || jsonb_build_array(x.question, v #>> '{}')::text, x.sign
          FROM entries x
         CROSS JOIN LATERAL jsonb_array_elements(
                 CASE WHEN x.type = 'array' THEN x.value ELSE jsonb_build_array(x.value) END) v
         WHERE jsonb_typeof(v) IN ('boolean', 'string') AND answer_values_grouped(x.questions, x.question))`;
}

function leadsTrigger(op: 'insert' | 'update' | 'delete', fn: string): string {
  const tables = [
    op === 'insert' ? '' : 'OLD TABLE AS old_leads',
    op === 'delete' ? '' : 'NEW TABLE AS new_leads',
  ];
  return `CREATE TRIGGER leads_count_${op} AFTER ${op.toUpperCase()} ON leads
            REFERENCING ${tables.join(' ')} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
}

/** The counting statement of one kind of statement on leads. */
export function leadsCountStatement(op: 'insert' | 'update' | 'delete'): string {
  const columns = 'campaign_id, status, qualified, answers';
  const rows = (table: string, sign: number, where = '') =>
    `SELECT ${columns}, ${sign} AS sign FROM ${table}${where}`;
  const changed = `WHERE id IN (
        SELECT n.id FROM new_leads n JOIN old_leads o ON o.id = n.id
         WHERE (o.status, o.qualified, o.answers) IS DISTINCT FROM (n.status, n.qualified, n.answers))`;
  const signed =
    op === 'insert'
      ? rows('new_leads', 1)
      : op === 'delete'
        ? rows('old_leads', -1)
        : `${rows('new_leads', 1, ` ${changed}`)} UNION ALL ${rows('old_leads', -1, ` ${changed}`)}`;
  return `INSERT INTO campaign_counters (campaign_id, key, value)
      WITH signed AS (
        SELECT s.* FROM (${signed}) s
         WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = s.campaign_id))
      ${answerDeltasSql()},
      deltas (campaign_id, key, value) AS (
        SELECT campaign_id, 'status:' || status, sign::numeric FROM signed
        UNION ALL
        SELECT campaign_id, 'qualified:' || qualified, sign FROM signed WHERE qualified IS NOT NULL
        UNION ALL
        SELECT campaign_id, key, value FROM answer_deltas)
      SELECT campaign_id, key, sum(value) FROM deltas GROUP BY 1, 2 HAVING sum(value) <> 0`;
}

/** The trigger function of one kind of statement on leads. */
function leadsCountFunction(op: 'insert' | 'update' | 'delete'): string {
  return countingFunctionSql(`leads_count_${op}`, [leadsCountStatement(op)]);
}
