import type { Weekday } from '../../windows/calling-window';

/** Who the person called is for the law: a consumer (B2C) or a business contact (B2B). */
export const CONTACT_TYPES = ['consumer', 'business'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** Where a rule comes from: the legal text, and the day someone last read it against that text. */
export interface RuleSource {
  /** A stable id, e.g. `FR-hours`, quoted in reasons and docs/COMPLIANCE.md. */
  id: string;
  /** The legal text (article, decree, ruling). */
  source: string;
  /** ISO date (YYYY-MM-DD) the rule was last checked against its source. */
  checked: string;
}

export interface HoursSpan {
  start: string;
  end: string;
}

/** Local hours allowed on each day; a day left out allows no call at all. */
export interface HoursRule extends RuleSource {
  kind: 'hours';
  week: Partial<Record<Weekday, HoursSpan[]>>;
}

/**
 * No call on the public holidays of a date-holidays calendar (types `public` only), read in the
 * lead's own zone. `regions` maps a number's region (libphonenumber's region code, e.g. MQ for
 * +596) to the calendar's state; `conservative` adds a state's days to every number of the
 * jurisdiction whose state cannot be told from the number (e.g. Alsace-Moselle), unless the
 * campaign turns `conservative_holidays` off.
 */
export interface HolidaysRule extends RuleSource {
  kind: 'holidays';
  country: string;
  state?: string;
  regions?: Record<string, string>;
  conservative?: { state: string; why: string };
}

/** At most `max` calls or attempts to one person in any rolling `days` days, all campaigns together. */
export interface FrequencyRule extends RuleSource {
  kind: 'frequency';
  max: number;
  days: number;
}

/** After a refusal during a call: no campaign calls the number for `days` days. */
export interface RefusalRule extends RuleSource {
  kind: 'refusal_cooldown';
  days: number;
}

/** Calls to these contact types need recorded consent (a lead's `consent_at`). */
export interface ConsentRule extends RuleSource {
  kind: 'consent';
  contact_types: ContactType[];
}

/** An opt-out said during a call is honoured: the number goes on the do-not-call list at once. */
export interface OptOutRule extends RuleSource {
  kind: 'opt_out';
}

export type Rule =
  HoursRule | HolidaysRule | FrequencyRule | RefusalRule | ConsentRule | OptOutRule;

/** One jurisdiction's law as data. A `parent`'s rules apply too (a US state adds to the US). */
export interface Jurisdiction {
  id: string;
  name: string;
  parent?: string;
  rules: Rule[];
}
