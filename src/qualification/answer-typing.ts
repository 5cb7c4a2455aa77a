import type { PlatformPostCallAnswer } from '../callrounded/callrounded.types';
import { QuestionInfo, QuestionKind, questionKindOf } from './question-kind';

/** A typed answer: boolean, number, text, a choice's value, a list of values, or null (no answer). */
export type TypedAnswer = boolean | number | string | string[] | null;

export type TypedAnswers = Record<string, TypedAnswer>;

/**
 * Turns a call's raw `post_call_answers` into `{question name: typed value}`.
 * The type comes from the campaign's stored question, else from the answer's own
 * `question.question_type`, else from which answer field is filled. `has_answer: false` → null.
 * Items that are not answer objects are skipped: the platform's payload is not ours to trust.
 */
export function typeAnswers(rawAnswers: unknown, questions: QuestionInfo[]): TypedAnswers {
  const kinds = new Map(questions.map((q) => [q.name, q.kind]));
  const typed: TypedAnswers = {};
  if (!Array.isArray(rawAnswers)) return typed;
  for (const raw of rawAnswers) {
    if (!raw || typeof raw !== 'object') continue;
    const item = raw as Partial<PlatformPostCallAnswer>;
    const name = item.question?.name ?? item.question?.id;
    if (typeof name !== 'string' || name === '') continue;
    const kind = kinds.get(name) ?? questionKindOf(item.question?.question_type) ?? inferKind(item);
    typed[name] = item.has_answer === false ? null : typeOne(item, kind);
  }
  return typed;
}

/** The kind an answer's filled fields suggest, for questions of a type we do not know. */
export function inferKind(item: Partial<PlatformPostCallAnswer>): QuestionKind | null {
  if (typeof item.answer_boolean === 'boolean') return 'boolean';
  if (typeof item.answer_number === 'number') return 'number';
  const selected = optionValues(item);
  if (selected.length > 1) return 'multiple_choice';
  if (selected.length === 1) return 'single_choice';
  if (typeof item.answer_text === 'string') return 'text';
  return null;
}

function typeOne(item: Partial<PlatformPostCallAnswer>, kind: QuestionKind | null): TypedAnswer {
  const text = typeof item.answer_text === 'string' ? item.answer_text : null;
  switch (kind) {
    case 'boolean':
      if (typeof item.answer_boolean === 'boolean') return item.answer_boolean;
      return parseBoolean(text);
    case 'number':
      if (typeof item.answer_number === 'number' && Number.isFinite(item.answer_number))
        return item.answer_number;
      return parseNumber(text);
    case 'single_choice':
      return optionValues(item)[0] ?? text;
    case 'multiple_choice': {
      const values = optionValues(item);
      return values.length > 0 ? values : text === null ? null : [text];
    }
    case 'text':
      return text;
    default:
      return fallbackValue(item);
  }
}

function fallbackValue(item: Partial<PlatformPostCallAnswer>): TypedAnswer {
  const kind = inferKind(item);
  return kind === null ? null : typeOne(item, kind);
}

function optionValues(item: Partial<PlatformPostCallAnswer>): string[] {
  if (!Array.isArray(item.selected_options)) return [];
  return item.selected_options
    .map((s) => s?.option?.value)
    .filter((v): v is string => typeof v === 'string');
}

const TRUE_WORDS = new Set(['true', 'yes', 'oui', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'non', '0']);

/** "true"/"yes"/"oui" → true, "false"/"no"/"non" → false, anything else → null. */
export function parseBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return null;
}

/** A finite number from a number or a numeric string (decimal comma accepted), else null. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}
