import type { PlatformPostCallAnswer } from '../callrounded/callrounded.types';
import type { Prng } from './prng';
import type { ScenarioQuestion } from './scenario.types';

/** Draws one answer per question from the scenario's distributions, in the platform's shape. */
export function drawAnswers(questions: ScenarioQuestion[], rng: Prng): PlatformPostCallAnswer[] {
  return questions.map((question) => drawAnswer(question, rng));
}

function drawAnswer(q: ScenarioQuestion, rng: Prng): PlatformPostCallAnswer {
  const answer: PlatformPostCallAnswer = {
    id: rng.uuid(),
    question: {
      id: q.id,
      name: q.name,
      description: q.description,
      question_type: q.type,
      is_optional: q.optional,
      question_origin: q.question_origin ?? 'user',
    },
    has_answer: rng.chance(q.answer.rate),
    answer_text: null,
    answer_number: null,
    answer_boolean: null,
    selected_options: [],
  };
  if (!answer.has_answer) return answer;
  const options = q.options ?? [];
  switch (q.type) {
    case 'boolean':
      answer.answer_boolean = rng.chance(q.answer.true_rate ?? 0.5);
      break;
    case 'number':
      answer.answer_number = rng.intBetween(q.answer.min ?? 0, q.answer.max ?? 10);
      break;
    case 'text':
      answer.answer_text = q.answer.texts?.length ? rng.pick(q.answer.texts) : 'RAS';
      break;
    case 'single_choice': {
      if (options.length === 0) break;
      const chosen = options[rng.weightedIndex(options.map((o) => o.weight ?? 1))];
      answer.selected_options = [{ option: { id: chosen.id, value: chosen.value } }];
      break;
    }
    case 'multiple_choice': {
      const chosen = options.filter((o) => rng.chance(o.weight ?? 0.5));
      if (chosen.length === 0 && options.length > 0) chosen.push(rng.pick(options));
      answer.selected_options = chosen.map((o) => ({ option: { id: o.id, value: o.value } }));
      break;
    }
  }
  return answer;
}
