import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-campaign counters, so that progress and report headlines never count the leads again
 * (src/campaigns/campaign-counters.ts reads them). `campaign_counters` holds delta rows
 * (campaign, key, value); a figure is the SUM of its key's rows. Statement-level triggers with
 * transition tables on `leads` and `call_attempts` append the deltas of each statement in the
 * statement's own transaction, so a figure is exact whatever commits, rolls back or crashes;
 * rows are only ever appended (no hot row that concurrent transactions would queue on), and the
 * worker folds them (CounterFolder, SKIP LOCKED). A COPY of a million leads adds one row per
 * (status, verdict) it contains.
 *
 * Keys: `status:<status>` (generic: a status added later counts without a change here),
 * `qualified:true|false`, and from the attempts that created a platform call (call_id set):
 * `calls:<outcome or in_progress>`, `cost`, `duration`, and per lead `dialled`, `reached`
 * (at least one completed call) and `last_outcome:<outcome or in_progress>` (its last call).
 * Deltas of a campaign being deleted are not written; its rows go with it. A partial index on
 * the leads that have answers lets the report's answer distributions skip the others.
 */
export class CampaignCounters1763772200000 implements MigrationInterface {
  name = 'CampaignCounters1763772200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_counters (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id uuid NOT NULL,
        key text NOT NULL,
        value numeric NOT NULL
      )`);
    await q.query(
      `CREATE INDEX campaign_counters_campaign_idx ON campaign_counters (campaign_id, key)`,
    );

    await q.query(LEADS_COUNT_FUNCTION);
    await q.query(`
      CREATE TRIGGER leads_count_insert AFTER INSERT ON leads
        REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION leads_count()`);
    await q.query(`
      CREATE TRIGGER leads_count_update AFTER UPDATE ON leads
        REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
        FOR EACH STATEMENT EXECUTE FUNCTION leads_count()`);
    await q.query(`
      CREATE TRIGGER leads_count_delete AFTER DELETE ON leads
        REFERENCING OLD TABLE AS old_leads FOR EACH STATEMENT EXECUTE FUNCTION leads_count()`);

    for (const op of ['insert', 'update', 'delete'] as const) {
      await q.query(attemptsCountFunction(op));
    }
    await q.query(`
      CREATE TRIGGER call_attempts_count_insert AFTER INSERT ON call_attempts
        REFERENCING NEW TABLE AS new_attempts
        FOR EACH STATEMENT EXECUTE FUNCTION call_attempts_count_insert()`);
    await q.query(`
      CREATE TRIGGER call_attempts_count_update AFTER UPDATE ON call_attempts
        REFERENCING OLD TABLE AS old_attempts NEW TABLE AS new_attempts
        FOR EACH STATEMENT EXECUTE FUNCTION call_attempts_count_update()`);
    await q.query(`
      CREATE TRIGGER call_attempts_count_delete AFTER DELETE ON call_attempts
        REFERENCING OLD TABLE AS old_attempts
        FOR EACH STATEMENT EXECUTE FUNCTION call_attempts_count_delete()`);

    await q.query(`
      CREATE FUNCTION campaigns_delete_counters() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM campaign_counters WHERE campaign_id = OLD.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER campaigns_delete_counters AFTER DELETE ON campaigns FOR EACH ROW
        EXECUTE FUNCTION campaigns_delete_counters()`);

    // The report's answer distributions read only the leads that have answers.
    await q.query(
      `CREATE INDEX leads_answered_idx ON leads (campaign_id) WHERE jsonb_typeof(answers) = 'object'`,
    );

    // The figures of the campaigns that already exist, counted once.
    await q.query(`
      INSERT INTO campaign_counters (campaign_id, key, value)
      SELECT campaign_id, 'status:' || status, count(*) FROM leads GROUP BY 1, 2
      UNION ALL
      SELECT campaign_id, 'qualified:' || qualified, count(*) FROM leads
       WHERE qualified IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT campaign_id, 'calls:' || coalesce(outcome, 'in_progress'), count(*) FROM call_attempts
       WHERE call_id IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT campaign_id, k.key, k.value FROM (
        SELECT campaign_id, coalesce(sum(cost), 0) AS cost, coalesce(sum(duration_seconds), 0) AS duration
          FROM call_attempts WHERE call_id IS NOT NULL GROUP BY 1) s
        CROSS JOIN LATERAL (VALUES ('cost', s.cost), ('duration', s.duration)) k(key, value)
       WHERE k.value <> 0
      UNION ALL
      SELECT campaign_id, k.key, k.value FROM (${perLeadSql('call_attempts')}) p
        CROSS JOIN LATERAL (VALUES ('dialled', 1), ('reached', CASE WHEN p.reached THEN 1 ELSE 0 END),
                                   ('last_outcome:' || p.last_outcome, 1)) k(key, value)
       WHERE k.value <> 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER campaigns_delete_counters ON campaigns`);
    await q.query(`DROP FUNCTION campaigns_delete_counters()`);
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER call_attempts_count_${op} ON call_attempts`);
      await q.query(`DROP FUNCTION call_attempts_count_${op}()`);
      await q.query(`DROP TRIGGER leads_count_${op} ON leads`);
    }
    await q.query(`DROP FUNCTION leads_count()`);
    await q.query(`DROP INDEX leads_answered_idx`);
    await q.query(`DROP TABLE campaign_counters`);
  }
}

/** The trigger function on leads (status and verdict); AnswerCounters replaces it. */
export const LEADS_COUNT_FUNCTION = `
      CREATE FUNCTION leads_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO campaign_counters (campaign_id, key, value)
          SELECT d.campaign_id, d.key, sum(d.n) FROM (
            SELECT campaign_id, 'status:' || status AS key, count(*) AS n FROM new_leads GROUP BY 1, 2
            UNION ALL
            SELECT campaign_id, 'qualified:' || qualified, count(*) FROM new_leads
             WHERE qualified IS NOT NULL GROUP BY 1, 2) d
          WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.campaign_id)
          GROUP BY 1, 2 HAVING sum(d.n) <> 0;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO campaign_counters (campaign_id, key, value)
          SELECT d.campaign_id, d.key, -sum(d.n) FROM (
            SELECT campaign_id, 'status:' || status AS key, count(*) AS n FROM old_leads GROUP BY 1, 2
            UNION ALL
            SELECT campaign_id, 'qualified:' || qualified, count(*) FROM old_leads
             WHERE qualified IS NOT NULL GROUP BY 1, 2) d
          WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.campaign_id)
          GROUP BY 1, 2 HAVING sum(d.n) <> 0;
        ELSE
          INSERT INTO campaign_counters (campaign_id, key, value)
          WITH changed AS (
            SELECT n.campaign_id, o.status AS old_status, n.status AS new_status,
                   o.qualified AS old_q, n.qualified AS new_q
              FROM old_leads o JOIN new_leads n ON n.id = o.id
             WHERE o.status IS DISTINCT FROM n.status OR o.qualified IS DISTINCT FROM n.qualified)
          SELECT d.campaign_id, d.key, sum(d.n) FROM (
            SELECT campaign_id, 'status:' || new_status AS key, 1 AS n FROM changed
             WHERE old_status IS DISTINCT FROM new_status
            UNION ALL
            SELECT campaign_id, 'status:' || old_status, -1 FROM changed
             WHERE old_status IS DISTINCT FROM new_status
            UNION ALL
            SELECT campaign_id, 'qualified:' || new_q, 1 FROM changed
             WHERE new_q IS NOT NULL AND old_q IS DISTINCT FROM new_q
            UNION ALL
            SELECT campaign_id, 'qualified:' || old_q, -1 FROM changed
             WHERE old_q IS NOT NULL AND old_q IS DISTINCT FROM new_q) d
          WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.campaign_id)
          GROUP BY 1, 2 HAVING sum(d.n) <> 0;
        END IF;
        RETURN NULL;
      END $$`;

/** Per lead of `source` (rows of call_attempts): its last call's outcome and whether one completed. */
function perLeadSql(source: string): string {
  return `SELECT lead_id, campaign_id,
                 (array_agg(coalesce(outcome, 'in_progress') ORDER BY attempt_number DESC))[1] AS last_outcome,
                 bool_or(outcome = 'completed') AS reached
            FROM ${source} WHERE call_id IS NOT NULL GROUP BY lead_id, campaign_id`;
}

/**
 * The counters' statement of one kind of statement on call_attempts. `plus` are the rows as the
 * statement left them, `minus` as they were, both limited to rows whose counted columns changed.
 * Per lead, the figures before the statement are recomputed from its other attempts and `minus`
 * (a lead has a few attempts; its row is locked by whoever changes them).
 */
export function attemptsCountStatement(op: 'insert' | 'update' | 'delete'): string {
  const live = `EXISTS (SELECT 1 FROM campaigns c WHERE c.id = t.campaign_id)`;
  const counted = 'call_id, outcome, cost, duration_seconds, attempt_number, lead_id, campaign_id';
  const changed =
    op === 'update'
      ? `SELECT n.id FROM new_attempts n JOIN old_attempts o ON o.id = n.id
          WHERE (o.call_id, o.outcome, o.cost, o.duration_seconds, o.attempt_number)
                IS DISTINCT FROM (n.call_id, n.outcome, n.cost, n.duration_seconds, n.attempt_number)`
      : null;
  const plus =
    op === 'delete'
      ? `SELECT NULL::uuid AS id, ${nullColumns()} WHERE false`
      : `SELECT t.id, ${counted.replace(/(\w+)/g, 't.$1')} FROM new_attempts t
          WHERE ${live}${changed ? ` AND t.id IN (SELECT id FROM changed)` : ''}`;
  const minus =
    op === 'insert'
      ? `SELECT NULL::uuid AS id, ${nullColumns()} WHERE false`
      : `SELECT t.id, ${counted.replace(/(\w+)/g, 't.$1')} FROM old_attempts t
          WHERE ${live}${changed ? ` AND t.id IN (SELECT id FROM changed)` : ''}`;
  return `INSERT INTO campaign_counters (campaign_id, key, value)
      WITH ${changed ? `changed AS (${changed}),` : ''}
      plus AS (${plus}),
      minus AS (${minus}),
      leads_touched AS (
        SELECT DISTINCT lead_id FROM (
          SELECT lead_id FROM plus WHERE call_id IS NOT NULL
          UNION ALL SELECT lead_id FROM minus WHERE call_id IS NOT NULL) x),
      now_rows AS (
        SELECT a.id, a.lead_id, a.campaign_id, a.attempt_number, a.outcome, a.call_id FROM call_attempts a
         WHERE a.lead_id IN (SELECT lead_id FROM leads_touched) AND a.call_id IS NOT NULL),
      then_rows AS (
        SELECT id, lead_id, campaign_id, attempt_number, outcome, call_id FROM now_rows
         WHERE id NOT IN (SELECT id FROM plus)
        UNION ALL
        SELECT id, lead_id, campaign_id, attempt_number, outcome, call_id FROM minus
         WHERE call_id IS NOT NULL AND lead_id IN (SELECT lead_id FROM leads_touched)),
      now_lead AS (${perLeadSql('now_rows')}),
      then_lead AS (${perLeadSql('then_rows')}),
      deltas (campaign_id, key, value) AS (
        SELECT campaign_id, 'calls:' || coalesce(outcome, 'in_progress'), 1::numeric FROM plus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'calls:' || coalesce(outcome, 'in_progress'), -1 FROM minus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'cost', coalesce(cost, 0) FROM plus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'cost', -coalesce(cost, 0) FROM minus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'duration', coalesce(duration_seconds, 0) FROM plus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'duration', -coalesce(duration_seconds, 0) FROM minus WHERE call_id IS NOT NULL
        UNION ALL
        SELECT campaign_id, 'dialled', 1 FROM now_lead
        UNION ALL
        SELECT campaign_id, 'dialled', -1 FROM then_lead
        UNION ALL
        SELECT campaign_id, 'reached', 1 FROM now_lead WHERE reached
        UNION ALL
        SELECT campaign_id, 'reached', -1 FROM then_lead WHERE reached
        UNION ALL
        SELECT campaign_id, 'last_outcome:' || last_outcome, 1 FROM now_lead
        UNION ALL
        SELECT campaign_id, 'last_outcome:' || last_outcome, -1 FROM then_lead)
      SELECT campaign_id, key, sum(value) FROM deltas GROUP BY 1, 2 HAVING sum(value) <> 0`;
}

/** The trigger function of one kind of statement on call_attempts (see attemptsCountStatement). */
function attemptsCountFunction(op: 'insert' | 'update' | 'delete'): string {
  return countingFunctionSql(`call_attempts_count_${op}`, [attemptsCountStatement(op)]);
}

/**
 * A statement-level trigger function that runs counting `statements` (after `guard`, plpgsql
 * that may RETURN early); `replace`: CREATE OR REPLACE. Every counters' migration writes its
 * functions with it.
 */
export function countingFunctionSql(
  name: string,
  statements: string[],
  opts: { guard?: string; replace?: boolean } = {},
): string {
  return `
    CREATE ${opts.replace ? 'OR REPLACE ' : ''}FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN${opts.guard ?? ''}
      ${statements.join(';\n      ')};
      RETURN NULL;
    END $$`;
}

function nullColumns(): string {
  return `NULL::text AS call_id, NULL::text AS outcome, NULL::numeric AS cost,
          NULL::numeric AS duration_seconds, NULL::int AS attempt_number, NULL::uuid AS lead_id,
          NULL::uuid AS campaign_id`;
}
