import type { QuestionInfo, QuestionKind } from '../qualification/question-kind';
import type { Queryable } from '../common/queryable';
import { roundOrNull } from '../common/numbers';
import { countersWithPrefix, readCounters, type CampaignCounters } from '../campaigns/campaign-counters';
import { headlineFromCounters, type CampaignHeadline } from '../campaigns/campaign-headline';
import { fetchAnswerKeys } from './report-rows';

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
 * and choices, min/mean/max for numbers), from the campaign's answer counters (see migration
 * AnswerCounters): a few rows per question and value, whatever the number of leads. A question
 * of unknown type takes the type its stored answers show.
 */
export async function computeDistributions(
  db: Queryable,
  campaignId: string,
  questions: QuestionInfo[],
  counters: CampaignCounters,
): Promise<QuestionDistribution[]> {
  const withAnswers = counters.get('answers') ?? 0;
  const stats = answerStats(counters);
  const free = new Set(questions.filter((q) => q.kind === 'text' || q.kind === 'number').map((q) => q.name));
  const countsByKey = new Map<string, Record<string, number>>();
  for (const [key, n] of Object.entries(countersWithPrefix(counters, 'answer_value:'))) {
    const [name, value] = JSON.parse(key) as [string, string];
    if (free.has(name)) continue;
    const counts = countsByKey.get(name) ?? {};
    counts[value] = n;
    countsByKey.set(name, counts);
  }
  // Questions answered but not stored (asked before a re-fetch) follow, in first-seen order.
  const all = [...questions];
  const known = new Set(questions.map((q) => q.name));
  if ([...stats.keys()].some((k) => !known.has(k))) {
    for (const k of await fetchAnswerKeys(db, campaignId))
      if (!known.has(k) && stats.has(k)) all.push(infoFromStat(stats.get(k)));
  }

  return all.map((q) => {
    const stat = stats.get(q.name);
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

/** Per answered question: entries by JSON type, and its numbers' min, mean and max. */
function answerStats(counters: CampaignCounters): Map<string, StatRow> {
  const stats = new Map<string, StatRow & { types: string[]; sum: number; numbers: number }>();
  const stat = (key: string) => {
    let s = stats.get(key);
    if (!s) {
      s = { key, answered: 0, json_type: null, min: null, mean: null, max: null, types: [], sum: 0, numbers: 0 };
      stats.set(key, s);
    }
    return s;
  };
  for (const [key, n] of Object.entries(countersWithPrefix(counters, 'answer_type:'))) {
    const [name, type] = JSON.parse(key) as [string, string];
    const s = stat(name);
    if (type !== 'null' && n > 0) {
      s.answered += n;
      s.types.push(type);
    }
  }
  for (const [key, n] of Object.entries(countersWithPrefix(counters, 'answer_number:'))) {
    const [name, text] = JSON.parse(key) as [string, string];
    const s = stat(name);
    const value = Number(text);
    s.min = s.min === null ? value : Math.min(s.min, value);
    s.max = s.max === null ? value : Math.max(s.max, value);
    s.sum += value * n;
    s.numbers += n;
  }
  for (const s of stats.values()) {
    // The first in alphabetical order, as PostgreSQL's array_agg(DISTINCT …) gave it.
    s.json_type = s.types.sort()[0] ?? null;
    s.mean = s.numbers > 0 ? s.sum / s.numbers : null;
  }
  return stats;
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
  const counters = (await readCounters(db, [campaignId])).get(campaignId) ?? new Map<string, number>();
  const distributions = await computeDistributions(db, campaignId, questions, counters);
  return { ...headlineFromCounters(counters), questions: distributions };
}
