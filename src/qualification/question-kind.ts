import type { PlatformQuestion } from '../callrounded/callrounded.types';

/** The five shapes an answer can take. */
export type QuestionKind = 'boolean' | 'number' | 'text' | 'single_choice' | 'multiple_choice';

export const QUESTION_KINDS: QuestionKind[] = [
  'boolean',
  'number',
  'text',
  'single_choice',
  'multiple_choice',
];

// Only `boolean` is documented as a literal; the others are the spellings seen or likely.
const ALIASES: Record<string, QuestionKind> = {
  boolean: 'boolean',
  bool: 'boolean',
  yes_no: 'boolean',
  yesno: 'boolean',
  number: 'number',
  numeric: 'number',
  integer: 'number',
  int: 'number',
  float: 'number',
  decimal: 'number',
  text: 'text',
  string: 'text',
  free_text: 'text',
  open: 'text',
  single_choice: 'single_choice',
  choice: 'single_choice',
  single_select: 'single_choice',
  select: 'single_choice',
  enum: 'single_choice',
  radio: 'single_choice',
  multiple_choice: 'multiple_choice',
  multi_choice: 'multiple_choice',
  multiple_select: 'multiple_choice',
  multi_select: 'multiple_choice',
  multiselect: 'multiple_choice',
  checkbox: 'multiple_choice',
  checkboxes: 'multiple_choice',
};

/** The kind a platform type string names, or null when it is not one we know. */
export function questionKindOf(type: unknown): QuestionKind | null {
  if (typeof type !== 'string') return null;
  const key = type
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return ALIASES[key] ?? null;
}

/** A question as the report and the rules see it. */
export interface QuestionInfo {
  name: string;
  /** null when neither the platform nor the answers told us. */
  kind: QuestionKind | null;
  description: string | null;
  /** Option values, for choice questions. */
  options: string[];
}

/** Reads the stored `campaigns.questions` (platform objects) defensively: it is jsonb. */
export function questionInfos(stored: unknown[] | null | undefined): QuestionInfo[] {
  const byName = new Map<string, QuestionInfo>();
  for (const raw of stored ?? []) {
    const q = raw as Partial<PlatformQuestion>;
    if (!q || typeof q.name !== 'string' || q.name === '') continue;
    const options = Array.isArray(q.options)
      ? q.options.map((o) => o?.value).filter((v): v is string => typeof v === 'string')
      : [];
    byName.set(q.name, {
      name: q.name,
      kind: questionKindOf(q.type),
      description: typeof q.description === 'string' ? q.description : null,
      options,
    });
  }
  return [...byName.values()];
}
