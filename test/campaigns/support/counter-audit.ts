import type { Client } from 'pg';
import { SLOT_STATES_SQL } from '../../../src/common/attempt-states';
import type { Queryable } from '../../../src/common/queryable';
import { countersWithPrefix, readCounters } from '../../../src/campaigns/campaign-counters';

/** The figures the counters keep, for one campaign. */
export interface CampaignFigures {
  by_status: Record<string, number>;
  qualified: number;
  not_qualified: number;
  dialled: number;
  reached: number;
  /** Leads by their last call's outcome (`in_progress` for a live one). */
  by_last_outcome: Record<string, number>;
  /** Platform calls by outcome. */
  calls_by_outcome: Record<string, number>;
  cost: number;
  duration: number;
  /** Attempts holding a slot (`slots`). */
  live_calls: number;
  /** The budget cap's figures: cost and count of the attempts ended with a cost. */
  spent: number;
  priced_calls: number;
  /** The answer counters: leads with answers, entries by type, numbers and grouped values. */
  answers: Record<string, number>;
}

const rowsOf = async <T>(pg: Client, sql: string, params: unknown[]): Promise<T[]> =>
  (await pg.query(sql, params)).rows as T[];

/** The figures by a full count of the campaign's leads and attempts (what the counters replace). */
export async function fullCount(pg: Client, campaignId: string): Promise<CampaignFigures> {
  const leads = await rowsOf<{ status: string; qualified: boolean | null; n: number }>(
    pg,
    `SELECT status, qualified, count(*)::int AS n FROM leads WHERE campaign_id = $1 GROUP BY 1, 2`,
    [campaignId],
  );
  const calls = await rowsOf<{ outcome: string; n: number; cost: string; duration: string }>(
    pg,
    `SELECT coalesce(outcome, 'in_progress') AS outcome, count(*)::int AS n,
            coalesce(sum(cost), 0)::text AS cost, coalesce(sum(duration_seconds), 0)::text AS duration
       FROM call_attempts WHERE campaign_id = $1 AND call_id IS NOT NULL GROUP BY 1`,
    [campaignId],
  );
  const perLead = await rowsOf<{ outcome: string; n: number; reached: number }>(
    pg,
    `SELECT last_outcome AS outcome, count(*)::int AS n, count(*) FILTER (WHERE reached)::int AS reached
       FROM (SELECT (array_agg(coalesce(outcome, 'in_progress') ORDER BY attempt_number DESC))[1] AS last_outcome,
                    bool_or(outcome = 'completed') AS reached
               FROM call_attempts WHERE campaign_id = $1 AND call_id IS NOT NULL GROUP BY lead_id) p
      GROUP BY 1`,
    [campaignId],
  );
  const [live] = await rowsOf<{ n: number }>(
    pg,
    `SELECT count(*)::int AS n FROM call_attempts WHERE campaign_id = $1 AND state IN ${SLOT_STATES_SQL}`,
    [campaignId],
  );
  const [priced] = await rowsOf<{ n: number; spent: string }>(
    pg,
    `SELECT count(*)::int AS n, coalesce(sum(cost), 0)::text AS spent FROM call_attempts
      WHERE campaign_id = $1 AND state = 'ended' AND cost IS NOT NULL`,
    [campaignId],
  );
  const answers = await rowsOf<{ key: string; n: number }>(
    pg,
    `WITH l AS (SELECT * FROM leads WHERE campaign_id = $1 AND jsonb_typeof(answers) = 'object'),
          e AS (SELECT l.id, x.key AS q, x.value, jsonb_typeof(x.value) AS t FROM l, jsonb_each(l.answers) x)
     SELECT key, count(*)::int AS n FROM (
       SELECT 'answers' AS key FROM l
       UNION ALL SELECT 'answer_type:' || jsonb_build_array(q, t)::text FROM e
       UNION ALL SELECT 'answer_number:' || jsonb_build_array(q, value::numeric::text)::text FROM e WHERE t = 'number'
       UNION ALL SELECT 'answer_value:' || jsonb_build_array(q, v #>> '{}')::text
         FROM e, jsonb_array_elements(CASE WHEN t = 'array' THEN value ELSE jsonb_build_array(value) END) v,
              campaigns c
        WHERE c.id = $1 AND jsonb_typeof(v) IN ('boolean', 'string')
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(c.questions, '[]')) sq
                           WHERE sq ->> 'name' = e.q AND sq ->> 'type' IN ('text', 'number'))) k
     GROUP BY key`,
    [campaignId],
  );
  const figures: CampaignFigures = {
    by_status: {},
    qualified: 0,
    not_qualified: 0,
    dialled: 0,
    reached: 0,
    by_last_outcome: {},
    calls_by_outcome: {},
    cost: 0,
    duration: 0,
    live_calls: live.n,
    spent: round(Number(priced.spent)),
    priced_calls: priced.n,
    answers: Object.fromEntries(answers.map((a) => [a.key, a.n])),
  };
  for (const g of leads) {
    figures.by_status[g.status] = (figures.by_status[g.status] ?? 0) + g.n;
    if (g.qualified === true) figures.qualified += g.n;
    if (g.qualified === false) figures.not_qualified += g.n;
  }
  for (const g of calls) {
    figures.calls_by_outcome[g.outcome] = g.n;
    figures.cost += Number(g.cost);
    figures.duration += Number(g.duration);
  }
  for (const g of perLead) {
    figures.by_last_outcome[g.outcome] = g.n;
    figures.dialled += g.n;
    figures.reached += g.reached;
  }
  figures.cost = round(figures.cost);
  figures.duration = round(figures.duration);
  return figures;
}

/** The same figures read from the counters. */
export async function countedFigures(pg: Client, campaignId: string): Promise<CampaignFigures> {
  const db: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows as T,
  };
  const c = (await readCounters(db, [campaignId])).get(campaignId)!;
  return {
    by_status: countersWithPrefix(c, 'status:'),
    qualified: c.get('qualified:true') ?? 0,
    not_qualified: c.get('qualified:false') ?? 0,
    dialled: c.get('dialled') ?? 0,
    reached: c.get('reached') ?? 0,
    by_last_outcome: countersWithPrefix(c, 'last_outcome:'),
    calls_by_outcome: countersWithPrefix(c, 'calls:'),
    cost: round(c.get('cost') ?? 0),
    duration: round(c.get('duration') ?? 0),
    live_calls: c.get('slots') ?? 0,
    spent: round(c.get('spent') ?? 0),
    priced_calls: c.get('priced_calls') ?? 0,
    answers: Object.fromEntries([...c].filter(([k]) => k.startsWith('answer'))),
  };
}

/**
 * Both, read in one snapshot (so a campaign being dialled compares too), for one
 * `expect(counted).toEqual(full)`.
 */
export async function auditCounters(pg: Client, campaignId: string) {
  await pg.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return { counted: await countedFigures(pg, campaignId), full: await fullCount(pg, campaignId) };
  } finally {
    await pg.query('COMMIT');
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
