import { describe, expect, it } from '@jest/globals';
import { typeAnswers } from '../../src/qualification/answer-typing';
import { questionInfos } from '../../src/qualification/question-kind';
import { evaluateQualification, validateRules } from '../../src/qualification/rules';

/** The agent's questions as the platform lists them. */
const QUESTIONS = questionInfos([
  {
    id: 'q1',
    agent_id: 'a',
    name: 'interested',
    description: null,
    type: 'boolean',
    optional: false,
  },
  {
    id: 'q2',
    agent_id: 'a',
    name: 'nb_employes',
    description: null,
    type: 'number',
    optional: true,
  },
  { id: 'q3', agent_id: 'a', name: 'commentaire', description: null, type: 'text', optional: true },
  {
    id: 'q4',
    agent_id: 'a',
    name: 'logiciel',
    description: null,
    type: 'single_choice',
    optional: true,
    options: [
      { id: 'o1', value: 'Aucun' },
      { id: 'o2', value: 'Planity' },
    ],
  },
  {
    id: 'q5',
    agent_id: 'a',
    name: 'services',
    description: null,
    type: 'multiple_choice',
    optional: true,
    options: [
      { id: 'o3', value: 'Coupe' },
      { id: 'o4', value: 'Coloration' },
      { id: 'o5', value: 'Barbe' },
    ],
  },
]);

function answer(name: string, type: string, fields: Record<string, unknown>) {
  return {
    id: `ans-${name}`,
    question: { id: `q-${name}`, name, question_type: type },
    has_answer: true,
    answer_text: null,
    answer_number: null,
    answer_boolean: null,
    selected_options: [],
    ...fields,
  };
}

const opt = (value: string) => ({ option: { id: `id-${value}`, value } });

describe('typing post-call answers', () => {
  it('types each answer by its stored question', () => {
    const typed = typeAnswers(
      [
        answer('interested', 'boolean', { answer_boolean: true }),
        answer('nb_employes', 'whatever', { answer_number: 7 }),
        answer('commentaire', 'text', { answer_text: 'Rappeler lundi' }),
        answer('logiciel', 'choice', { selected_options: [opt('Planity')] }),
        answer('services', 'choice', { selected_options: [opt('Coupe')] }),
      ],
      QUESTIONS,
    );
    // `services` is multiple choice by its stored question even with one option selected.
    expect(typed).toEqual({
      interested: true,
      nb_employes: 7,
      commentaire: 'Rappeler lundi',
      logiciel: 'Planity',
      services: ['Coupe'],
    });
  });

  it('gives null for has_answer: false, whatever the fields say', () => {
    const typed = typeAnswers(
      [answer('interested', 'boolean', { has_answer: false, answer_boolean: true })],
      QUESTIONS,
    );
    expect(typed).toEqual({ interested: null });
  });

  it('falls back to question_type, then to the filled field, for questions not stored', () => {
    const typed = typeAnswers(
      [
        answer('budget', 'number', { answer_number: 1200 }),
        answer('ok', 'mystery', { answer_boolean: false }),
        answer('tags', 'mystery', { selected_options: [opt('A'), opt('B')] }),
        answer('note', 'mystery', { answer_text: 'libre' }),
        answer('empty', 'mystery', {}),
      ],
      [],
    );
    expect(typed).toEqual({
      budget: 1200,
      ok: false,
      tags: ['A', 'B'],
      note: 'libre',
      empty: null,
    });
  });

  it('reads numbers and booleans given as text when the platform sends them so', () => {
    const typed = typeAnswers(
      [
        answer('nb_employes', 'number', { answer_text: '12,5' }),
        answer('interested', 'boolean', { answer_text: 'Oui' }),
      ],
      QUESTIONS,
    );
    expect(typed).toEqual({ nb_employes: 12.5, interested: true });
  });

  it('skips items that are not answer objects instead of failing', () => {
    expect(typeAnswers([null, 3, 'x', { question: {} }], QUESTIONS)).toEqual({});
    expect(typeAnswers(null, QUESTIONS)).toEqual({});
  });
});

describe('qualification rules', () => {
  const lead = {
    interested: true,
    nb_employes: 6,
    commentaire: 'ok',
    logiciel: 'Planity',
    services: ['Coupe', 'Barbe'],
  };
  const q = (match: 'all' | 'any', rules: object[]) =>
    evaluateQualification({ match, rules } as never, lead, QUESTIONS);

  it('is null without rules (not evaluated is not "not qualified")', () => {
    expect(evaluateQualification(null, lead, QUESTIONS)).toBeNull();
    expect(q('all', [])).toBeNull();
  });

  it('compares by type: "true" equals true, "6" equals 6, choices ignore case', () => {
    expect(q('all', [{ question: 'interested', equals: 'true' }])).toBe(true);
    expect(q('all', [{ question: 'interested', equals: false }])).toBe(false);
    expect(q('all', [{ question: 'nb_employes', equals: '6' }])).toBe(true);
    expect(q('all', [{ question: 'logiciel', equals: 'planity' }])).toBe(true);
  });

  it('`in` matches a value in the list, and any overlap for multiple choice', () => {
    expect(q('all', [{ question: 'logiciel', in: ['Aucun', 'Planity'] }])).toBe(true);
    expect(q('all', [{ question: 'logiciel', in: ['Aucun'] }])).toBe(false);
    expect(q('all', [{ question: 'services', in: ['Coloration', 'Barbe'] }])).toBe(true);
    expect(q('all', [{ question: 'services', in: ['Coloration'] }])).toBe(false);
    expect(q('all', [{ question: 'services', equals: 'Barbe' }])).toBe(true);
    expect(q('all', [{ question: 'services', equals: ['Barbe', 'Coupe'] }])).toBe(true);
    expect(q('all', [{ question: 'services', equals: ['Barbe'] }])).toBe(false);
  });

  it('gte and lte bound numbers, together as a range', () => {
    expect(q('all', [{ question: 'nb_employes', gte: 6 }])).toBe(true);
    expect(q('all', [{ question: 'nb_employes', gte: 7 }])).toBe(false);
    expect(q('all', [{ question: 'nb_employes', gte: 2, lte: 6 }])).toBe(true);
    expect(q('all', [{ question: 'nb_employes', gte: 2, lte: 5 }])).toBe(false);
  });

  it('match all needs every rule, match any one of them', () => {
    const rules = [
      { question: 'interested', equals: true },
      { question: 'nb_employes', gte: 10 },
    ];
    expect(q('all', rules)).toBe(false);
    expect(q('any', rules)).toBe(true);
  });

  it('a rule on an unanswered question does not hold', () => {
    const verdict = evaluateQualification(
      { match: 'all', rules: [{ question: 'interested', equals: false }] },
      { interested: null },
      QUESTIONS,
    );
    expect(verdict).toBe(false);
  });
});

describe('validating rules against the questions', () => {
  it('names each bad rule field', () => {
    const errors = validateRules(
      {
        match: 'all',
        rules: [
          { question: 'intrested', equals: true },
          { question: 'commentaire', gte: 3 },
          { question: 'logiciel', equals: 'Planiti' },
          { question: 'interested', in: [true, 'maybe'] },
          { question: 'nb_employes' },
          { question: 'nb_employes', lte: 'beaucoup' },
        ],
      },
      QUESTIONS,
    );
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual([
      'qualification.rules[0].question',
      'qualification.rules[1].gte',
      'qualification.rules[2].equals',
      'qualification.rules[3].in',
      'qualification.rules[4]',
      'qualification.rules[5].lte',
    ]);
    expect(errors[0].message).toContain('unknown question "intrested"');
    expect(errors[0].message).toContain('interested, nb_employes');
    expect(errors[1].message).toContain('numbers');
    expect(errors[2].message).toContain('Aucun, Planity');
  });

  it('accepts good rules, and checks only shapes when the questions are unknown', () => {
    const good = {
      match: 'any',
      rules: [
        { question: 'interested', equals: true },
        { question: 'nb_employes', gte: 3, lte: 20 },
        { question: 'services', in: ['coupe'] },
        { question: 'logiciel', equals: 'Aucun' },
      ],
    };
    expect(validateRules(good, QUESTIONS)).toEqual([]);
    expect(
      validateRules({ match: 'all', rules: [{ question: 'anything', equals: 1 }] }, null),
    ).toEqual([]);
    expect(validateRules(null, QUESTIONS)).toEqual([]);
  });

  it('a campaign whose agent has no questions cannot have rules', () => {
    const errors = validateRules(
      { match: 'all', rules: [{ question: 'interested', equals: true }] },
      [],
    );
    expect(errors).toEqual([
      {
        field: 'qualification.rules[0].question',
        message: expect.stringContaining('no post-call questions'),
      },
    ]);
  });
});
