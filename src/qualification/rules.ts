import type { FieldError } from '../common/validation';
import { parseBoolean, parseNumber, TypedAnswer, TypedAnswers } from './answer-typing';
import { QuestionInfo, QuestionKind } from './question-kind';

/** One condition on a post-call answer. */
export interface QualificationRule {
  question: string;
  equals?: unknown;
  in?: unknown[];
  gte?: number;
  lte?: number;
}

/** A campaign's qualification: which answers make a lead qualified. */
export interface Qualification {
  match: 'all' | 'any';
  rules: QualificationRule[];
}

/**
 * Whether a lead qualifies, by the campaign's rules and the lead's typed answers.
 * null when the campaign has no rules: "not evaluated" is not the same as "not qualified".
 * A rule on a question left unanswered does not hold.
 */
export function evaluateQualification(
  qualification: Qualification | null | undefined,
  answers: TypedAnswers,
  questions: QuestionInfo[],
): boolean | null {
  const rules = Array.isArray(qualification?.rules) ? qualification.rules : [];
  if (rules.length === 0) return null;
  const kinds = new Map(questions.map((q) => [q.name, q.kind]));
  const holds = (rule: QualificationRule) =>
    ruleHolds(rule, answers[rule.question] ?? null, kinds.get(rule.question) ?? null);
  return qualification?.match === 'any' ? rules.some(holds) : rules.every(holds);
}

/** Every operator the rule carries must hold (`gte` and `lte` together make a range). */
export function ruleHolds(
  rule: QualificationRule,
  answer: TypedAnswer,
  kind: QuestionKind | null,
): boolean {
  if (answer === null || answer === undefined) return false;
  const checks: boolean[] = [];
  if (rule.equals !== undefined) checks.push(equalsHolds(answer, rule.equals, kind));
  if (rule.in !== undefined)
    checks.push(Array.isArray(rule.in) && rule.in.some((v) => equalsHolds(answer, v, kind)));
  if (rule.gte !== undefined) checks.push(compare(answer, rule.gte, (a, b) => a >= b));
  if (rule.lte !== undefined) checks.push(compare(answer, rule.lte, (a, b) => a <= b));
  return checks.length > 0 && checks.every(Boolean);
}

function equalsHolds(answer: TypedAnswer, expected: unknown, kind: QuestionKind | null): boolean {
  if (Array.isArray(answer)) {
    const have = new Set(answer.map(normText));
    // A list compares as a set; a single value asks "was it among the selected options".
    if (Array.isArray(expected))
      return expected.length === have.size && expected.every((v) => have.has(normText(v)));
    return have.has(normText(expected));
  }
  if (kind === 'boolean' || typeof answer === 'boolean') return parseBoolean(expected) === answer;
  if (kind === 'number' || typeof answer === 'number') return parseNumber(expected) === answer;
  return normText(answer) === normText(expected);
}

function compare(answer: TypedAnswer, bound: unknown, op: (a: number, b: number) => boolean) {
  const a = typeof answer === 'number' ? answer : null;
  const b = parseNumber(bound);
  return a !== null && b !== null && op(a, b);
}

/** Choice values and texts compare without regard to case, accents' composition or edges. */
function normText(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    return '\u0000';
  return String(value).normalize('NFC').trim().toLowerCase();
}

const OPERATORS = ['equals', 'in', 'gte', 'lte'] as const;

/**
 * Problems with a campaign's rules, each naming its field (`qualification.rules[0].question`).
 * With `questions` null (platform not reachable), only the rules' own shape is checked; with a
 * list, each rule must name one of them and compare it in a way its type allows.
 */
export function validateRules(
  qualification: unknown,
  questions: QuestionInfo[] | null,
): FieldError[] {
  if (qualification === null || qualification === undefined) return [];
  const errors: FieldError[] = [];
  const q = qualification as Partial<Qualification>;
  if (q.match !== undefined && q.match !== 'all' && q.match !== 'any')
    errors.push({ field: 'qualification.match', message: 'must be "all" or "any"' });
  if (!Array.isArray(q.rules)) {
    errors.push({ field: 'qualification.rules', message: 'must be a list of rules' });
    return errors;
  }
  const byName = new Map((questions ?? []).map((question) => [question.name, question]));
  q.rules.forEach((rule, i) => {
    const at = `qualification.rules[${i}]`;
    if (!rule || typeof rule !== 'object') {
      errors.push({
        field: at,
        message: 'must be an object such as {"question": "interested", "equals": true}',
      });
      return;
    }
    if (typeof rule.question !== 'string' || rule.question.trim() === '') {
      errors.push({ field: `${at}.question`, message: 'must name a post-call question' });
      return;
    }
    if (!OPERATORS.some((op) => rule[op] !== undefined)) {
      errors.push({ field: at, message: 'needs one of equals, in, gte, lte' });
    }
    errors.push(...shapeErrors(rule, at));
    if (questions === null) return;
    const question = byName.get(rule.question);
    if (!question) {
      const known = [...byName.keys()];
      errors.push({
        field: `${at}.question`,
        message:
          `unknown question "${rule.question}"; ` +
          (known.length > 0
            ? `the agent's post-call questions are: ${known.join(', ')}`
            : 'the agent has no post-call questions'),
      });
      return;
    }
    errors.push(...typeErrors(rule, question, at));
  });
  return errors;
}

function shapeErrors(rule: QualificationRule, at: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const op of ['gte', 'lte'] as const) {
    if (rule[op] !== undefined && (typeof rule[op] !== 'number' || !Number.isFinite(rule[op])))
      errors.push({ field: `${at}.${op}`, message: 'must be a number' });
  }
  if (rule.in !== undefined && (!Array.isArray(rule.in) || rule.in.length === 0))
    errors.push({ field: `${at}.in`, message: 'must be a non-empty list of values' });
  if (Array.isArray(rule.in) && rule.in.some((v) => !isScalar(v)))
    errors.push({
      field: `${at}.in`,
      message: 'must list plain values (text, numbers or booleans)',
    });
  if (rule.equals !== undefined && !isScalar(rule.equals) && !isScalarList(rule.equals))
    errors.push({
      field: `${at}.equals`,
      message: 'must be a text, a number, a boolean or a list of texts',
    });
  return errors;
}

function typeErrors(rule: QualificationRule, question: QuestionInfo, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const kind = question.kind;
  if (kind === null) return errors;
  const a = `"${question.name}" is a ${kind.replace('_', ' ')} question`;
  if ((rule.gte !== undefined || rule.lte !== undefined) && kind !== 'number') {
    const op = rule.gte !== undefined ? 'gte' : 'lte';
    errors.push({ field: `${at}.${op}`, message: `compares numbers only; ${a}` });
  }
  if (Array.isArray(rule.equals) && kind !== 'multiple_choice')
    errors.push({
      field: `${at}.equals`,
      message: `a list fits multiple choice questions only; ${a}`,
    });
  const values: [string, unknown][] = [];
  if (rule.equals !== undefined)
    for (const v of Array.isArray(rule.equals) ? rule.equals : [rule.equals])
      values.push(['equals', v]);
  if (Array.isArray(rule.in)) for (const v of rule.in) values.push(['in', v]);
  for (const [op, v] of values) {
    const problem = valueProblem(v, question);
    if (problem) errors.push({ field: `${at}.${op}`, message: `${problem}; ${a}` });
  }
  return errors;
}

function valueProblem(value: unknown, question: QuestionInfo): string | null {
  switch (question.kind) {
    case 'boolean':
      return parseBoolean(value) === null ? `${JSON.stringify(value)} is not true or false` : null;
    case 'number':
      return parseNumber(value) === null ? `${JSON.stringify(value)} is not a number` : null;
    case 'single_choice':
    case 'multiple_choice': {
      if (question.options.length === 0) return null;
      const known = new Set(question.options.map(normText));
      return known.has(normText(value))
        ? null
        : `${JSON.stringify(value)} is not one of its options (${question.options.join(', ')})`;
    }
    default:
      return null;
  }
}

function isScalar(v: unknown): boolean {
  return (
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
  );
}

function isScalarList(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
}
