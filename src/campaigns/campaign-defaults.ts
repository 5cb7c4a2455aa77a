import type { CallingWindow } from '../windows/calling-window';
import type { AutoPause, RetryPolicy, RetryRule } from './campaign.entity';
import { phoneTimeZones } from '../windows/candidate-zones';

/**
 * Weekdays, 10:00–13:00 and 14:00–18:00 in each lead's own time: inside the strictest common
 * rules for sales calls (France's 2023 decree: weekdays 10–13 and 14–20; the US TCPA and UK
 * guidance: 8:00–21:00), so that a campaign created with defaults calls nobody at a bad hour.
 */
export const DEFAULT_CALLING_WINDOW: CallingWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: [
    { start: '10:00', end: '13:00' },
    { start: '14:00', end: '18:00' },
  ],
};

export const DEFAULT_RETRY: RetryPolicy = {
  max_attempts: 3,
  delay_minutes: 60,
  on: ['missed', 'failed'],
};
export const DEFAULT_MAX_CONCURRENT_CALLS = 10;
export const DEFAULT_MAX_CALLS_PER_MINUTE = 60;

/**
 * The campaign's zone when none is given: the zone of its first caller number when that number
 * has exactly one (+33… → Europe/Paris), since a campaign mostly calls its own country; else UTC.
 */
export async function defaultTimezone(fromNumbers: string[]): Promise<string> {
  const zones = fromNumbers.length > 0 ? await phoneTimeZones(fromNumbers[0]) : [];
  return zones.length === 1 ? zones[0] : 'UTC';
}

/** A window with the given keys replacing the base's, hours in order. */
export function mergeWindow(base: CallingWindow, patch?: Partial<CallingWindow>): CallingWindow {
  const hours = (patch?.hours ?? base.hours).map(({ start, end }) => ({ start, end }));
  hours.sort((a, b) => a.start.localeCompare(b.start));
  return { days: [...(patch?.days ?? base.days)], hours };
}

/** The retry fields as given; `by_status` arrives as a Map (see campaign-controls.dto). */
export interface RetryPatch extends Partial<Omit<RetryPolicy, 'by_status'>> {
  by_status?: Map<string, RetryRule> | Record<string, RetryRule>;
}

export function mergeRetry(base: RetryPolicy, patch?: RetryPatch): RetryPolicy {
  const merged: RetryPolicy = {
    max_attempts: patch?.max_attempts ?? base.max_attempts,
    delay_minutes: patch?.delay_minutes ?? base.delay_minutes,
    on: [...(patch?.on ?? base.on)],
  };
  const byOutcome = patch?.by_outcome ?? base.by_outcome;
  if (byOutcome) {
    const rules: NonNullable<RetryPolicy['by_outcome']> = {};
    for (const outcome of ['missed', 'failed', 'unknown'] as const) {
      const r = byOutcome[outcome];
      if (r) rules[outcome] = plainRule(r);
    }
    if (Object.keys(rules).length > 0) merged.by_outcome = rules;
  }
  const byStatus = patch?.by_status ?? base.by_status;
  if (byStatus) {
    const entries = byStatus instanceof Map ? [...byStatus] : Object.entries(byStatus);
    if (entries.length > 0)
      merged.by_status = Object.fromEntries(entries.map(([s, r]) => [s, plainRule(r)]));
  }
  return merged;
}

const plainRule = (r: RetryRule): RetryRule => ({
  max_attempts: r.max_attempts,
  delay_minutes: r.delay_minutes,
});

export const DEFAULT_AUTO_PAUSE: AutoPause = {
  failure_rate: 0.5,
  window_minutes: 2,
  min_calls: 10,
};

/** The breaker's settings with the given keys replacing the base's; false turns it off. */
export function mergeAutoPause(
  base: AutoPause | false,
  patch: Partial<AutoPause> | false | undefined,
): AutoPause | false {
  if (patch === undefined) return base;
  if (patch === false) return false;
  const from = base === false ? DEFAULT_AUTO_PAUSE : base;
  return {
    failure_rate: patch.failure_rate ?? from.failure_rate,
    window_minutes: patch.window_minutes ?? from.window_minutes,
    min_calls: patch.min_calls ?? from.min_calls,
  };
}
