import { canonicalZone } from '../windows/time-zones';
import { WEEKDAYS } from '../windows/calling-window';
import { holidaysOf } from './holidays';
import type { Jurisdiction, Rule } from './rules/types';

/** The rule data as loaded: the jurisdictions that passed every check, and why the others did not. */
export interface RuleBook {
  jurisdictions: ReadonlyMap<string, Jurisdiction>;
  /** Jurisdiction id → why its rules failed to load: its leads are not called (fail closed). */
  failures: ReadonlyMap<string, string>;
}

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function ruleProblems(rule: Rule, year: number): string[] {
  const problems: string[] = [];
  if (!rule.id || !rule.source?.trim())
    problems.push(`${rule.id || '?'}: a rule needs an id and a source`);
  if (!ISO_DATE.test(rule.checked ?? '') || Number.isNaN(Date.parse(rule.checked)))
    problems.push(`${rule.id}: checked must be a YYYY-MM-DD date`);
  switch (rule.kind) {
    case 'hours':
      for (const [day, spans] of Object.entries(rule.week)) {
        if (!WEEKDAYS.includes(day as never)) problems.push(`${rule.id}: unknown day ${day}`);
        for (const s of spans ?? [])
          if (!HHMM.test(s.start) || !HHMM.test(s.end) || s.start >= s.end)
            problems.push(`${rule.id}: bad hours ${s.start}–${s.end}`);
      }
      break;
    case 'holidays': {
      const states = [rule.state, ...Object.values(rule.regions ?? {}), rule.conservative?.state];
      for (const state of new Set(states)) {
        const days = holidaysOf(rule.country, state, year);
        if (days === null || days.size === 0)
          problems.push(
            `${rule.id}: the holiday calendar ${rule.country}${state ? `-${state}` : ''} gives no public holiday for ${year}`,
          );
      }
      break;
    }
    case 'frequency':
    case 'refusal_cooldown':
      if (!Number.isInteger(rule.days) || rule.days < 1)
        problems.push(`${rule.id}: days must be a positive integer`);
      if (rule.kind === 'frequency' && (!Number.isInteger(rule.max) || rule.max < 1))
        problems.push(`${rule.id}: max must be a positive integer`);
      break;
    case 'consent':
      if (rule.contact_types.length === 0) problems.push(`${rule.id}: contact_types is empty`);
      break;
    case 'opt_out':
      break;
    default:
      problems.push(`${(rule as Rule).id}: unknown rule kind ${(rule as { kind: string }).kind}`);
  }
  return problems;
}

/**
 * Checks every rule file (shape, sources, check dates, that each holiday calendar answers) once
 * at start-up. A file that fails is recorded with its reason instead of being dropped silently:
 * the leads it governs are then held back, never called under a guess.
 */
export function loadRuleBook(files: readonly Jurisdiction[], now: Date): RuleBook {
  const jurisdictions = new Map<string, Jurisdiction>();
  const failures = new Map<string, string>();
  const ids = new Set<string>();
  const year = now.getUTCFullYear();
  for (const file of files) {
    const problems: string[] = [];
    if (ids.has(file.id)) problems.push(`jurisdiction ${file.id} is defined twice`);
    ids.add(file.id);
    if (file.parent && !files.some((f) => f.id === file.parent))
      problems.push(`parent ${file.parent} does not exist`);
    for (const rule of file.rules) {
      try {
        problems.push(...ruleProblems(rule, year));
      } catch (e) {
        problems.push(`${rule.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (problems.length > 0) failures.set(file.id, problems.join('; '));
    else jurisdictions.set(file.id, file);
  }
  for (const file of files) {
    // A state whose country failed fails too: half a law is no law.
    if (file.parent && failures.has(file.parent) && !failures.has(file.id)) {
      jurisdictions.delete(file.id);
      failures.set(file.id, `its parent ${file.parent} failed to load`);
    }
  }
  return { jurisdictions, failures };
}

export { canonicalZone };
