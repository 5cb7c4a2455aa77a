import type { QuestionInfo, QuestionKind } from '../qualification/question-kind';
import { Queryable, runAll } from '../common/queryable';
import { roundOrNull } from '../common/numbers';
import { computeHeadline, type CampaignHeadline } from '../campaigns/campaign-headline';

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

export interface ReportSummary extends CampaignHeadline {
  /** Per question, the answers' distribution. */
  questions: QuestionDistribution[];
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
    () => db.query<StatRow[]>(
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
    ),
    // Booleans, choices and each element of multiple-choice lists; free texts are not grouped.
    () => db.query<{ key: string; value: string; n: number }[]>(
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
    ),
    () => db.query<{ with_answers: number }[]>(
      `SELECT count(*)::int AS with_answers FROM leads WHERE campaign_id = $1 AND jsonb_typeof(answers) = 'object'`,
      [campaignId],
    ),
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
