import { readFileSync } from 'node:fs';
import type { SimScenario } from './scenario.types';
import { HAIR_SALON_FR_SCENARIO } from './scenarios/hair-salon.fr';

/** The default scenario, a JSON file path, or an object given by a test. */
export function loadScenario(source: SimScenario | string | undefined): SimScenario {
  if (source === undefined) return structuredClone(HAIR_SALON_FR_SCENARIO);
  const scenario =
    typeof source === 'string'
      ? (JSON.parse(readFileSync(source, 'utf8')) as SimScenario)
      : structuredClone(source);
  assertScenario(scenario, typeof source === 'string' ? source : 'scenario object');
  return scenario;
}

function assertScenario(s: SimScenario, origin: string): void {
  const problems: string[] = [];
  if (!s || typeof s !== 'object') problems.push('not an object');
  else {
    if (!Array.isArray(s.agents) || s.agents.length === 0) problems.push('agents: at least one');
    if (!Array.isArray(s.phone_numbers) || s.phone_numbers.length === 0) {
      problems.push('phone_numbers: at least one');
    }
    const o = s.outcomes;
    if (!o || o.completed + o.missed + o.failed + (o.unknown ?? 0) <= 0) {
      problems.push('outcomes: weights must add up to more than 0');
    }
    for (const [number, script] of Object.entries(s.outcomes_by_number ?? {})) {
      if (!Array.isArray(script) || script.length === 0 || script.some((x) => !isStatus(x)))
        problems.push(`outcomes_by_number.${number}: a list of call statuses, at least one`);
    }
    for (const agent of s.agents ?? []) {
      if (!Array.isArray(agent.post_call_questions)) {
        problems.push(`agent ${agent.id}: post_call_questions must be a list`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid simulator scenario (${origin}): ${problems.join('; ')}`);
  }
}

/** A status a scripted call may end with: not one of the in-progress ones. */
function isStatus(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z_]+$/.test(value) && !IN_PROGRESS.includes(value);
}

const IN_PROGRESS = ['created', 'ongoing'];
