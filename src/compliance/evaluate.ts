import { DateTime } from 'luxon';
import { type CallingWindow, checkWindow, minutesOf, WEEKDAYS } from '../windows/calling-window';
import type { ComplianceSettings } from './compliance-settings';
import { holidaysOf } from './holidays';
import { jurisdictionOfNumber } from './jurisdiction';
import type { RuleBook } from './rule-loader';
import type {
  ContactType,
  HolidaysRule,
  HoursRule,
  HoursSpan,
  Jurisdiction,
  Rule,
} from './rules/types';

export interface ComplianceLead {
  phone: string;
  /** Every zone the lead may be in (candidateZones): the law must allow the call in each. */
  zones: string[];
  contact_type: ContactType | null;
  consent_at: Date | null;
}

export interface ComplianceCampaign {
  callingWindow: CallingWindow;
  compliance: ComplianceSettings;
}

/** What the database knows of the number, across every campaign. */
export interface ContactHistory {
  /** When earlier attempts that count were requested (any order; older than the longest cap is ignored). */
  attempts: Date[];
  /** The latest refusal answered on a call to the number, if any. */
  refusedAt: Date | null;
}

export type ComplianceVerdict =
  | { allowed: true }
  | { allowed: false; reason: string; next_allowed_at: Date }
  | { final: 'ineligible'; reason: string };

const DAY_MS = 86_400_000;
/** A rule file that failed, or a calendar that cannot answer: look again in an hour (a fix needs a deploy). */
const RETRY_BROKEN_MS = 3_600_000;
const MAX_HOLIDAY_HOPS = 40;

interface Laws {
  ids: string[];
  rules: Rule[];
  region: string | null;
}

function withParents(book: RuleBook, id: string): Jurisdiction[] | string {
  const chain: Jurisdiction[] = [];
  for (let at: string | undefined = id; at;) {
    const failed = book.failures.get(at);
    if (failed !== undefined) return `rules of ${at} failed to load: ${failed}`;
    const j = book.jurisdictions.get(at);
    if (!j) return `no calling rules on file for ${at}`;
    chain.push(j);
    at = j.parent;
  }
  return chain;
}

/** The jurisdictions whose rules apply to the lead, or why none can be trusted. */
function lawsOf(
  phone: string,
  settings: ComplianceSettings,
  book: RuleBook,
): Laws | ComplianceVerdict {
  if (settings.rules === 'none') return { ids: [], rules: [], region: null };
  const number = jurisdictionOfNumber(phone);
  const wanted = settings.rules === 'auto' ? [number.id] : settings.rules;
  if (wanted[0] === '') {
    return {
      final: 'ineligible',
      reason: 'jurisdiction: the number’s country cannot be told (rules: auto)',
    };
  }
  const seen = new Map<string, Jurisdiction>();
  for (const id of wanted) {
    const chain = withParents(book, id);
    if (typeof chain === 'string') {
      if (chain.startsWith('rules of'))
        return { allowed: false, reason: `jurisdiction: ${chain}`, next_allowed_at: new Date(0) };
      return {
        final: 'ineligible',
        reason: `jurisdiction: ${chain} (name the jurisdictions in compliance.rules, or choose rules: none)`,
      };
    }
    for (const j of chain) seen.set(j.id, j);
  }
  return {
    ids: [...seen.keys()],
    rules: [...seen.values()].flatMap((j) => j.rules),
    region: number.region,
  };
}

function intersectHours(a: HoursSpan[], b: HoursSpan[]): HoursSpan[] {
  const out: HoursSpan[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(minutesOf(x.start), minutesOf(y.start));
      const end = Math.min(minutesOf(x.end), minutesOf(y.end));
      if (start < end) out.push({ start: hhmm(start), end: hhmm(end) });
    }
  return out.sort((p, q) => p.start.localeCompare(q.start));
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The campaign's window ∩ every law's hours, as windows of days sharing the same hours. */
export function effectiveWindows(window: CallingWindow, hours: HoursRule[]): CallingWindow[] {
  const byHours = new Map<string, CallingWindow>();
  for (const day of WEEKDAYS) {
    let spans: HoursSpan[] = window.days.includes(day) ? window.hours : [];
    for (const rule of hours) spans = intersectHours(spans, rule.week[day] ?? []);
    if (spans.length === 0) continue;
    const key = JSON.stringify(spans);
    const group = byHours.get(key);
    if (group) group.days.push(day);
    else byHours.set(key, { days: [day], hours: spans });
  }
  return [...byHours.values()];
}

/** The earliest instant ≥ t inside one of the windows in every zone (null: none within the horizon). */
function nextOpening(windows: CallingWindow[], zones: string[], t: Date): Date | null {
  let best: Date | null = null;
  for (const w of windows) {
    const v = checkWindow(w, zones, t);
    if (v.allowed) return t;
    if (v.next_open_at && (!best || v.next_open_at < best)) best = v.next_open_at;
  }
  return best;
}

interface Calendar {
  country: string;
  state: string | undefined;
  label: string;
}

function calendarsOf(
  rules: HolidaysRule[],
  region: string | null,
  settings: ComplianceSettings,
): Calendar[] {
  const out: Calendar[] = [];
  for (const r of rules) {
    const regional = region ? r.regions?.[region] : undefined;
    out.push({ country: r.country, state: regional ?? r.state, label: r.id });
    if (!regional && r.conservative && settings.conservative_holidays)
      out.push({ country: r.country, state: r.conservative.state, label: r.id });
  }
  return out;
}

type HolidayHit = { zone: string; name: string; label: string } | { broken: string } | null;

function holidayAt(calendars: Calendar[], zones: string[], t: Date): HolidayHit {
  for (const zone of zones) {
    const local = DateTime.fromMillis(t.getTime(), { zone });
    const date = local.toISODate() as string;
    for (const c of calendars) {
      const days = holidaysOf(c.country, c.state, local.year);
      if (days === null) return { broken: `${c.country}${c.state ? `-${c.state}` : ''}` };
      const name = days.get(date);
      if (name) return { zone, name, label: c.label };
    }
  }
  return null;
}

/** `FR`, `FR-MQ` (an overseas number), `US-FL`: where a holiday applies. */
function placeOf(laws: Laws): string {
  const id = laws.ids[0] ?? '';
  const regional = laws.rules.some(
    (r) => r.kind === 'holidays' && laws.region !== null && r.regions?.[laws.region] !== undefined,
  );
  return regional ? `${id}-${laws.region}` : id;
}

/** How far back the number's history matters for this lead (0: not at all, no query needed). */
export function lookback(
  phone: string,
  settings: ComplianceSettings,
  book: RuleBook,
): { attemptDays: number; refusalDays: number } {
  const laws = lawsOf(phone, settings, book);
  const rules = 'rules' in laws ? laws.rules : [];
  let attemptDays = settings.max_contacts?.days ?? 0;
  let refusalDays = 0;
  for (const r of rules) {
    if (r.kind === 'frequency') attemptDays = Math.max(attemptDays, r.days);
    if (r.kind === 'refusal_cooldown') refusalDays = Math.max(refusalDays, r.days);
  }
  return { attemptDays, refusalDays };
}

/**
 * Whether the law (and the campaign's window) lets this lead be called at `now`, and if not, why
 * and from when. Pure: every fact comes in as an argument (the rule book, the number's history).
 */
export function evaluate(
  lead: ComplianceLead,
  campaign: ComplianceCampaign,
  now: Date,
  history: ContactHistory,
  book: RuleBook,
): ComplianceVerdict {
  const settings = campaign.compliance;
  const laws = lawsOf(lead.phone, settings, book);
  if (!('rules' in laws)) {
    if ('allowed' in laws && !laws.allowed)
      return { ...laws, next_allowed_at: new Date(now.getTime() + RETRY_BROKEN_MS) };
    return laws;
  }
  if (lead.zones.length === 0)
    return {
      allowed: false,
      reason: 'zone: no time zone is known for this number',
      next_allowed_at: new Date(now.getTime() + RETRY_BROKEN_MS),
    };
  const contactType = lead.contact_type ?? settings.contact_type;
  for (const rule of laws.rules) {
    if (rule.kind === 'consent' && rule.contact_types.includes(contactType) && !lead.consent_at)
      return {
        final: 'ineligible',
        reason: `consent: no recorded consent for a ${contactType} lead (${rule.id})`,
      };
  }

  let earliest = now.getTime();
  let why: ((at: Date) => string) | null = null;
  const later = (ms: number, reason: (at: Date) => string) => {
    if (ms > earliest) {
      earliest = ms;
      why = reason;
    }
  };
  for (const rule of laws.rules) {
    if (rule.kind !== 'refusal_cooldown' || !history.refusedAt) continue;
    const until = history.refusedAt.getTime() + rule.days * DAY_MS;
    later(
      until,
      (at) =>
        `refusal: refused on ${history.refusedAt!.toISOString()}, no call for ${rule.days} days (${rule.id}), next ${at.toISOString()}`,
    );
  }
  const caps = laws.rules.flatMap((r) =>
    r.kind === 'frequency' ? [{ max: r.max, days: r.days, id: r.id }] : [],
  );
  if (settings.max_contacts)
    caps.push({
      max: settings.max_contacts.count,
      days: settings.max_contacts.days,
      id: 'campaign max_contacts',
    });
  for (const cap of caps) {
    const since = now.getTime() - cap.days * DAY_MS;
    const recent = history.attempts
      .map((d) => d.getTime())
      .filter((t) => t > since)
      .sort((a, b) => b - a);
    if (recent.length < cap.max) continue;
    later(
      recent[cap.max - 1] + cap.days * DAY_MS,
      (at) =>
        `frequency: ${recent.length} contacts in ${cap.days} days (${cap.id}), next ${at.toISOString()}`,
    );
  }

  const windows = effectiveWindows(
    campaign.callingWindow,
    laws.rules.filter((r): r is HoursRule => r.kind === 'hours'),
  );
  const hourIds = laws.rules.filter((r) => r.kind === 'hours').map((r) => r.id);
  const calendars = calendarsOf(
    laws.rules.filter((r): r is HolidaysRule => r.kind === 'holidays'),
    laws.region,
    settings,
  );
  let t = new Date(earliest);
  let holiday: string | null = null;
  let movedByHours = false;
  for (let hop = 0; hop < MAX_HOLIDAY_HOPS; hop++) {
    const open = nextOpening(windows, lead.zones, t);
    if (!open) {
      return {
        final: 'ineligible',
        reason: `hours: never inside the calling window${hourIds.length ? ` and the law’s hours (${hourIds.join(', ')})` : ''} in all of its zones (${lead.zones.join(', ')})`,
      };
    }
    if (open.getTime() > t.getTime()) movedByHours = true;
    t = open;
    const hit = holidayAt(calendars, lead.zones, t);
    if (hit === null) break;
    if ('broken' in hit) {
      return {
        allowed: false,
        reason: `holiday: the calendar ${hit.broken} could not answer`,
        next_allowed_at: new Date(now.getTime() + RETRY_BROKEN_MS),
      };
    }
    holiday ??= `holiday: ${hit.name} (${placeOf(laws)})`;
    t = DateTime.fromMillis(t.getTime(), { zone: hit.zone })
      .startOf('day')
      .plus({ days: 1 })
      .toJSDate();
    if (hop === MAX_HOLIDAY_HOPS - 1)
      return { allowed: false, reason: holiday, next_allowed_at: t };
  }
  if (t.getTime() === now.getTime()) return { allowed: true };
  const reason: string =
    (why as ((at: Date) => string) | null)?.(t) ??
    holiday ??
    (movedByHours
      ? `hours: outside the allowed hours${hourIds.length ? ` (${hourIds.join(', ')})` : ''} in ${lead.zones.join(', ')}, next ${t.toISOString()}`
      : `next ${t.toISOString()}`);
  return { allowed: false, reason, next_allowed_at: t };
}
