import type { CallingWindow } from '../windows/calling-window';
import type { RetryPolicy } from './campaign.entity';
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

export function mergeRetry(base: RetryPolicy, patch?: Partial<RetryPolicy>): RetryPolicy {
  return {
    max_attempts: patch?.max_attempts ?? base.max_attempts,
    delay_minutes: patch?.delay_minutes ?? base.delay_minutes,
    on: [...(patch?.on ?? base.on)],
  };
}
