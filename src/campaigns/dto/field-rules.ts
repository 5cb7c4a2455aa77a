import {
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { isSupportedCountry, isValidPhoneNumber } from 'libphonenumber-js/max';
import { cronProblem } from '../../common/cron';
import { webhookUrlProblem } from '../../webhooks/webhook-url';
import { minutesOf } from '../../windows/calling-window';
import { canonicalZone } from '../../windows/time-zones';

/** A check answering why a value is wrong (a phrase following the field name), or null. */
type Problem = (value: unknown, object: object) => string | null;

/** A property decorator from a check; its message is `<property> <problem>`. */
function rule(name: string, problem: Problem, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          problem(value, args.object) === null,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${problem(args.value, args.object) ?? 'is invalid'}`,
      },
    });
}

/** Optional, but null is refused: for fields that always have a value (defaults fill them). */
export const IsOptionalNotNull = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

const quote = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

export const IsIanaTimeZone = () =>
  rule('isIanaTimeZone', (v) =>
    canonicalZone(v)
      ? null
      : `must be an IANA time zone such as Europe/Paris or America/New_York (got ${quote(v)})`,
  );

export const IsE164Phone = (options?: ValidationOptions) =>
  rule(
    'isE164Phone',
    (v) =>
      typeof v === 'string' && /^\+[1-9]\d{6,14}$/.test(v) && isValidPhoneNumber(v)
        ? null
        : `must hold valid phone numbers in E.164 form such as +33912345678 (got ${quote(v)})`,
    options,
  );

export const IsCountryCode = () =>
  rule('isCountryCode', (v) =>
    typeof v === 'string' && /^[A-Z]{2}$/.test(v) && isSupportedCountry(v)
      ? null
      : `must be an ISO 3166-1 alpha-2 country code such as FR or US (got ${quote(v)})`,
  );

export const IsCronExpression = () =>
  rule('isCronExpression', (v) => {
    if (typeof v !== 'string' || v.trim() === '')
      return 'must be a cron expression such as "0 19 * * 1-5"';
    const problem = cronProblem(v);
    return problem ? `is not a usable cron expression: ${problem}` : null;
  });

export const IsWebhookUrl = () => rule('isWebhookUrl', (v) => webhookUrlProblem(v));

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export const IsVariableMap = () =>
  rule('isVariableMap', (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return 'must be an object of names to texts';
    const entries = Object.entries(v);
    if (entries.length > 200) return 'must hold at most 200 variables';
    for (const [key, value] of entries) {
      if (!VARIABLE_NAME.test(key))
        return `has an invalid name ${quote(key)}: use letters, digits and _`;
      if (typeof value !== 'string')
        return `must map names to texts; ${quote(key)} maps to ${quote(value)}`;
      if (value.length > 2000)
        return `must hold texts of at most 2000 characters; ${quote(key)} is longer`;
    }
    return null;
  });

/** Intervals of one day, each start < end, none overlapping another (touching is fine). */
export const HoursDoNotOverlap = () =>
  rule('hoursDoNotOverlap', (v) => {
    if (!Array.isArray(v)) return null;
    const spans = (v as unknown[])
      .filter((h): h is { start: string; end: string } => {
        const span = h as { start?: unknown; end?: unknown } | null | undefined;
        return typeof span?.start === 'string' && typeof span?.end === 'string';
      })
      .map((h) => ({ h, s: minutesOf(h.start), e: minutesOf(h.end) }));
    if (spans.some(({ s, e }) => !Number.isFinite(s) || !Number.isFinite(e))) return null;
    const backwards = spans.find(({ s, e }) => s >= e);
    if (backwards) {
      return `must have each start before its end (${backwards.h.start}–${backwards.h.end}); a span over midnight is two intervals, e.g. 22:00–24:00 and 00:00–02:00`;
    }
    const sorted = [...spans].sort((a, b) => a.s - b.s);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].s < sorted[i - 1].e) {
        const [a, b] = [sorted[i - 1].h, sorted[i].h];
        return `must not overlap (${a.start}–${a.end} and ${b.start}–${b.end})`;
      }
    }
    return null;
  });

const STATUS_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** The keys of `retry.by_status`: platform status names in lower case, at most 50, never completed. */
export const HasStatusKeys = () =>
  rule('hasStatusKeys', (v) => {
    if (!(v instanceof Map)) return 'must be an object of platform statuses to rules';
    if (v.size > 50) return 'must hold at most 50 statuses';
    for (const key of (v as Map<unknown, unknown>).keys()) {
      if (typeof key !== 'string' || !STATUS_NAME.test(key))
        return `has an invalid status ${quote(key)}: use the platform's status in lower case`;
      if (key === 'completed' || key === 'created' || key === 'ongoing')
        return `cannot hold ${quote(key)}: only statuses that end a call unreached are retried`;
    }
    return null;
  });

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 date-time with its offset (Z or ±hh:mm), or null. */
export const IsDateTimeOrNull = () =>
  rule('isDateTimeOrNull', (v) =>
    v === null || (typeof v === 'string' && ISO_DATE_TIME.test(v) && Number.isFinite(Date.parse(v)))
      ? null
      : `must be an ISO 8601 date-time with its offset such as 2026-12-24T18:00:00+01:00, or null (got ${quote(v)})`,
  );
