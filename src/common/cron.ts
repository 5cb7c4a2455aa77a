import { CronTime } from 'cron';

/** A run missed while every instance was down still fires at restart if it is this recent. */
export const CATCH_UP_HORIZON_MS = 6 * 60 * 60_000;

/**
 * Why a cron expression is unusable, or null when it is fine: 5 fields (minute hour day month
 * weekday) or 6 (with seconds first), or a preset such as `@daily`, and it must fire some day.
 */
export function cronProblem(expression: string, timeZone = 'UTC'): string | null {
  const trimmed = expression.trim();
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && (fields < 5 || fields > 6)) {
    return `must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields}`;
  }
  try {
    new CronTime(trimmed, timeZone).getNextDateFrom(new Date(), timeZone);
    return null;
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (/no execution date/i.test(message))
      return 'never fires (no matching date in the next 8 years)';
    return message.split('\n')[0].replace(/^ERROR:\s*/, '');
  }
}

/** The first fire strictly after `after`, read in `timeZone`. */
export function nextFireAfter(expression: string, timeZone: string, after: Date): Date {
  return new CronTime(expression.trim(), timeZone).getNextDateFrom(after, timeZone).toJSDate();
}

/**
 * The latest fire at or before `now` and strictly after `notAfterOrAt`, or null. Looks back over
 * growing spans so that a cron firing every second costs a few dozen steps, not thousands.
 */
export function latestFireBetween(
  expression: string,
  timeZone: string,
  exclusiveFrom: Date,
  now: Date,
): Date | null {
  const cron = new CronTime(expression.trim(), timeZone);
  const fromMs = exclusiveFrom.getTime();
  const nowMs = now.getTime();
  if (fromMs >= nowMs) return null;
  for (const spanMs of [60_000, 3_600_000, Infinity]) {
    const startMs = Math.max(fromMs, nowMs - spanMs);
    let fire = cron.getNextDateFrom(new Date(startMs), timeZone);
    if (fire.toMillis() > nowMs) {
      if (startMs === fromMs) return null;
      continue;
    }
    for (;;) {
      const next = cron.getNextDateFrom(fire, timeZone);
      if (next.toMillis() > nowMs) return fire.toJSDate();
      fire = next;
    }
  }
  return null;
}
