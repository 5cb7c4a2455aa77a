import type { QuestionInfo, QuestionKind } from '../qualification/question-kind';
import { Queryable, runAll } from './queryable';
import { roundOrNull } from './report-rows';

/** The campaign's headline figures (see docs/REPORT.md for the definitions). */
export interface ReportHeadline {
  /** Every lead of the campaign, whatever its status. */
  leads: number;
  /** Leads with at least one attempt that created a platform call. */
  dialled: number;
  /** Leads with at least one call that completed (someone answered and the call ran its course). */
  reached: number;
  /** Leads whose rules held on their last completed call. */
  qualified: number;
  /** Reached leads whose rules did not hold. */
  not_qualified: number;
  /** qualified ÷ reached, 0..1, 4 decimals; null before anyone was reached. */
  qualification_rate: number | null;
  /** reached ÷ dialled, 0..1, 4 decimals; null before anyone was dialled. */
  reach_rate: number | null;
  /** Sum of every call's cost, in the platform account's currency. */
  total_cost: number;
  /** Sum of every call's duration. */
  total_duration_seconds: number;
  /** Leads by their last call's outcome; `not_called` for leads with no call, `in_progress` for a live one. */
  by_outcome: Record<string, number>;
  /** Leads by status. */
  by_status: Record<string, number>;
  /** Platform calls: how many, and how each ended. */
  calls: { total: number; by_outcome: Record<string, number> };
}

export interface QuestionDistribution {
  name: string;
  type: QuestionKind | null;
  /** Leads whose last completed call answered the question. */
  answered: number;
  /** Leads with answers on record that left this question unanswered. */
  no_answer: number;
  /** boolean: `true`/`false`; choices: per option value (multiple choice: a lead counts once per option). */
  counts?: Record<string, number>;
  /** number questions. */
  min?: number | null;
  mean?: number | null;
  max?: number | null;
}

export interface ReportSummary extends ReportHeadline {
  /** Per question, the answers' distribution. */
  questions: QuestionDistribution[];
}

/** Headline figures with three aggregate queries; nothing is loaded lead by lead. */
export async function computeHeadline(db: Queryable, campaignId: string): Promise<ReportHeadline> {
  const [leadGroups, callGroups, perLead] = await runAll(db, [
    () => db.query(
      `SELECT status, qualified, count(*)::int AS n FROM leads WHERE campaign_id = $1 GROUP BY 1, 2`,
      [campaignId],
    ) as Promise<{ status: string; qualified: boolean | null; n: number }[]>,
    () => db.query(
      `SELECT coalesce(outcome, 'in_progress') AS outcome, count(*)::int AS n,
              coalesce(sum(cost), 0)::float8 AS cost,
              coalesce(sum(duration_seconds), 0)::float8 AS duration
         FROM call_attempts
        WHERE campaign_id = $1 AND call_id IS NOT NULL
        GROUP BY 1`,
      [campaignId],
    ) as Promise<{ outcome: string; n: number; cost: number; duration: number }[]>,
    () => db.query(
      `SELECT coalesce(last_outcome, 'in_progress') AS outcome, count(*)::int AS n,
              count(*) FILTER (WHERE reached)::int AS reached
         FROM (SELECT (array_agg(outcome ORDER BY attempt_number DESC))[1] AS last_outcome,
                      bool_or(outcome = 'completed') AS reached
                 FROM call_attempts
                WHERE campaign_id = $1 AND call_id IS NOT NULL
                GROUP BY lead_id) per_lead
        GROUP BY 1`,
      [campaignId],
    ) as Promise<{ outcome: string; n: number; reached: number }[]>,
  ]);

  const byStatus: Record<string, number> = {};
  let leads = 0;
  let qualified = 0;
  let notQualified = 0;
  for (const g of leadGroups) {
    leads += g.n;
    byStatus[g.status] = (byStatus[g.status] ?? 0) + g.n;
    if (g.qualified === true) qualified += g.n;
    if (g.qualified === false) notQualified += g.n;
  }
  const callsByOutcome: Record<string, number> = {};
  let calls = 0;
  let cost = 0;
  let duration = 0;
  for (const g of callGroups) {
    callsByOutcome[g.outcome] = g.n;
    calls += g.n;
    cost += g.cost;
    duration += g.duration;
  }
  const byOutcome: Record<string, number> = {};
  let dialled = 0;
  let reached = 0;
  for (const g of perLead) {
    byOutcome[g.outcome] = g.n;
    dialled += g.n;
    reached += g.reached;
  }
  if (leads - dialled > 0) byOutcome.not_called = leads - dialled;

  return {
    leads,
    dialled,
    reached,
    qualified,
    not_qualified: notQualified,
    qualification_rate: reached > 0 ? roundOrNull(qualified / reached, 4) : null,
    reach_rate: dialled > 0 ? roundOrNull(reached / dialled, 4) : null,
    total_cost: roundOrNull(cost, 6) ?? 0,
    total_duration_seconds: roundOrNull(duration, 3) ?? 0,
    by_outcome: byOutcome,
    by_status: byStatus,
    calls: { total: calls, by_outcome: callsByOutcome },
  };
}

/**
 * Per question: how many answered, and the spread of the answers (counts per value for booleans
 * and choices, min/mean/max for numbers). Two aggregate queries over the leads' typed answers.
 * A question of unknown type takes the type its stored answers show.
 */
export async function computeDistributions(
  db: Queryable,
  campaignId: string,
  questions: QuestionInfo[],
): Promise<QuestionDistribution[]> {
  const [stats, values, [{ with_answers: withAnswers }]] = await runAll(db, [
    () => db.query(
      `SELECT e.key,
              count(*) FILTER (WHERE jsonb_typeof(e.value) <> 'null')::int AS answered,
              (array_agg(DISTINCT jsonb_typeof(e.value)) FILTER (WHERE jsonb_typeof(e.value) <> 'null'))[1] AS json_type,
              min(CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::numeric END)::float8 AS min,
              avg(CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::numeric END)::float8 AS mean,
              max(CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::numeric END)::float8 AS max
         FROM leads l CROSS JOIN LATERAL jsonb_each(l.answers) e
        WHERE l.campaign_id = $1 AND jsonb_typeof(l.answers) = 'object'
        GROUP BY e.key
        ORDER BY min(l.seq), e.key`,
      [campaignId],
    ) as Promise<StatRow[]>,
    // Booleans, choices and each element of multiple-choice lists; free texts are not grouped.
    () => db.query(
      `SELECT e.key, x.value, count(*)::int AS n
         FROM leads l
        CROSS JOIN LATERAL jsonb_each(l.answers) e
        CROSS JOIN LATERAL (
          SELECT v #>> '{}' AS value
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE jsonb_build_array(e.value) END) v
           WHERE jsonb_typeof(v) IN ('boolean', 'string')
        ) x
        WHERE l.campaign_id = $1 AND jsonb_typeof(l.answers) = 'object' AND NOT (e.key = ANY($2::text[]))
        GROUP BY 1, 2`,
      [campaignId, questions.filter((q) => q.kind === 'text' || q.kind === 'number').map((q) => q.name)],
    ) as Promise<{ key: string; value: string; n: number }[]>,
    () => db.query(
      `SELECT count(*)::int AS with_answers FROM leads WHERE campaign_id = $1 AND jsonb_typeof(answers) = 'object'`,
      [campaignId],
    ) as Promise<{ with_answers: number }[]>,
  ]);

  const statByKey = new Map(stats.map((s) => [s.key, s]));
  const countsByKey = new Map<string, Record<string, number>>();
  for (const v of values) {
    const counts = countsByKey.get(v.key) ?? {};
    counts[v.value] = v.n;
    countsByKey.set(v.key, counts);
  }
  // Questions answered but not stored (asked before a re-fetch) follow, in first-seen order.
  const all = [...questions];
  const known = new Set(questions.map((q) => q.name));
  for (const s of stats) if (!known.has(s.key)) all.push(infoFromStat(s));

  return all.map((q) => {
    const stat = statByKey.get(q.name);
    const kind = q.kind ?? infoFromStat(stat).kind;
    const answered = stat?.answered ?? 0;
    const d: QuestionDistribution = { name: q.name, type: kind, answered, no_answer: withAnswers - answered };
    const seen = countsByKey.get(q.name) ?? {};
    if (kind === 'number') {
      d.min = stat?.min ?? null;
      d.mean = roundOrNull(stat?.mean ?? null, 4);
      d.max = stat?.max ?? null;
    } else if (kind === 'boolean') {
      d.counts = { true: seen.true ?? 0, false: seen.false ?? 0 };
    } else if (kind === 'single_choice' || kind === 'multiple_choice') {
      // Every known option shows, even at zero; values the platform gave beyond them follow.
      const counts: Record<string, number> = {};
      for (const o of q.options) counts[o] = seen[o] ?? 0;
      for (const [value, n] of Object.entries(seen)) if (!(value in counts)) counts[value] = n;
      d.counts = counts;
    }
    return d;
  });
}

interface StatRow {
  key: string;
  answered: number;
  json_type: string | null;
  min: number | null;
  mean: number | null;
  max: number | null;
}

const KIND_OF_JSON: Record<string, QuestionKind> = {
  boolean: 'boolean',
  number: 'number',
  string: 'text',
  array: 'multiple_choice',
};

function infoFromStat(s: StatRow | undefined): QuestionInfo {
  return {
    name: s?.key ?? '',
    kind: s?.json_type ? (KIND_OF_JSON[s.json_type] ?? null) : null,
    description: null,
    options: [],
  };
}

export async function computeSummary(
  db: Queryable,
  campaignId: string,
  questions: QuestionInfo[],
): Promise<ReportSummary> {
  const [headline, distributions] = await runAll(db, [
    () => computeHeadline(db, campaignId),
    () => computeDistributions(db, campaignId, questions),
  ]);
  return { ...headline, questions: distributions };
}
