import { DateTime } from 'luxon';
import type { Queryable } from '../common/queryable';
import { DIALABLE_LEAD_STATUSES_SQL } from '../leads/lead-statuses';
import { candidateZones } from '../windows/candidate-zones';
import type { CallingWindow } from '../windows/calling-window';
import { complianceOf, type ComplianceSettings } from './compliance-settings';
import { evaluate, lookback, type ComplianceVerdict, type ContactHistory } from './evaluate';
import type { RuleBook } from './rule-loader';
import type { ContactType } from './rules/types';

/** Leads evaluated one by one at most; a larger campaign is sampled (every k-th lead) and scaled. */
export const ELIGIBILITY_SAMPLE = 2_000;
export const ELIGIBILITY_DAYS = 7;
const DAY_MS = 86_400_000;

export interface EligibilityCampaign {
  id: string;
  callingWindow: CallingWindow;
  timezone: string;
  compliance: Partial<ComplianceSettings> | null;
}

export interface Eligibility {
  at: string;
  rules: ComplianceSettings['rules'];
  waiting: number;
  evaluated: number;
  sampled: boolean;
  callable_now: number;
  held_back: { reason: string; leads: number; earliest_allowed_at: string }[];
  ineligible: { reason: string; leads: number }[];
  days: { date: string; callable: number }[];
}

interface WaitingLead {
  phone: string;
  timezone: string | null;
  contact_type: ContactType | null;
  consent_at: Date | null;
}

/** A reason without its instants, so that leads held back for the same cause count together. */
function reasonKey(reason: string): string {
  return reason
    .replace(/, next \d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '')
    .replace(/refused on \d{4}-\d{2}-\d{2}T[\d:.]+Z, /g, '')
    .replace(/\d+ contacts in/g, 'too many contacts in');
}

async function histories(
  db: Queryable,
  phones: string[],
  now: Date,
  days: number,
): Promise<Map<string, ContactHistory>> {
  const out = new Map<string, ContactHistory>();
  if (phones.length === 0 || days === 0) return out;
  const since = new Date(now.getTime() - days * DAY_MS);
  const rows: { phone: string; attempts: Date[] | null; refused_at: Date | null }[] =
    await db.query(
      `SELECT p.phone,
            array(SELECT requested_at FROM call_attempts a
                   WHERE a.to_number = p.phone AND a.state <> 'not_dialled' AND a.requested_at > $2) AS attempts,
            (SELECT max(refused_at) FROM contact_refusals r WHERE r.phone = p.phone AND r.refused_at > $2) AS refused_at
       FROM unnest($1::text[]) AS p(phone)`,
      [phones, since],
    );
  for (const r of rows)
    out.set(r.phone, {
      attempts: (r.attempts ?? []).map((d) => new Date(d)),
      refusedAt: r.refused_at ? new Date(r.refused_at) : null,
    });
  return out;
}

/**
 * The dry run: who among the waiting leads the law and the window allow now, who is held back
 * (by reason, with the earliest instant), who is ineligible, and how many may be called on each
 * of the next 7 days (campaign's zone), as if nobody were called meanwhile. Leads already
 * ineligible are counted from their stored reason (one aggregate).
 */
export async function eligibilityOf(
  db: Queryable,
  book: RuleBook,
  campaign: EligibilityCampaign,
  now: Date,
): Promise<Eligibility> {
  const settings = complianceOf(campaign.compliance);
  const [{ waiting }]: { waiting: number }[] = await db.query(
    `SELECT count(*)::int AS waiting FROM leads WHERE campaign_id = $1 AND status IN ${DIALABLE_LEAD_STATUSES_SQL}`,
    [campaign.id],
  );
  const step = Math.max(1, Math.ceil(waiting / ELIGIBILITY_SAMPLE));
  const leads: WaitingLead[] = await db.query(
    `SELECT phone, timezone, contact_type, consent_at FROM (
       SELECT phone, timezone, contact_type, consent_at, row_number() OVER (ORDER BY seq) AS n
         FROM leads WHERE campaign_id = $1 AND status IN ${DIALABLE_LEAD_STATUSES_SQL}) t
      WHERE n % $2 = 0 OR $2 = 1
      LIMIT $3`,
    [campaign.id, step, ELIGIBILITY_SAMPLE],
  );
  const scale = leads.length === 0 ? 0 : waiting / leads.length;
  // The longest look-back any of these leads' rules needs (caps and cool-downs).
  let maxDays = 0;
  for (const lead of leads) {
    const look = lookback(lead.phone, settings, book);
    maxDays = Math.max(maxDays, look.attemptDays, look.refusalDays);
  }
  const history = await histories(db, [...new Set(leads.map((l) => l.phone))], now, maxDays);

  const held = new Map<string, { leads: number; earliest: number }>();
  const ineligible = new Map<string, number>();
  const local = DateTime.fromJSDate(now, { zone: campaign.timezone }).startOf('day');
  const dayEnds = Array.from({ length: ELIGIBILITY_DAYS }, (_, d) =>
    local.plus({ days: d + 1 }).toMillis(),
  );
  const dayStarts = Array.from({ length: ELIGIBILITY_DAYS }, (_, d) =>
    Math.max(now.getTime(), local.plus({ days: d }).toMillis()),
  );
  const perDay = new Array<number>(ELIGIBILITY_DAYS).fill(0);
  let callable = 0;
  for (const lead of leads) {
    const zones = await candidateZones(lead.phone, lead.timezone, campaign.timezone);
    const facts = {
      phone: lead.phone,
      zones,
      contact_type: lead.contact_type,
      consent_at: lead.consent_at,
    };
    const past = history.get(lead.phone) ?? { attempts: [], refusedAt: null };
    const at = (t: number): ComplianceVerdict =>
      evaluate(
        facts,
        { callingWindow: campaign.callingWindow, compliance: settings },
        new Date(t),
        past,
        book,
      );
    const v = at(now.getTime());
    if ('final' in v) {
      ineligible.set(v.reason, (ineligible.get(v.reason) ?? 0) + 1);
      continue;
    }
    if (v.allowed) callable++;
    else {
      const key = reasonKey(v.reason);
      const g = held.get(key) ?? { leads: 0, earliest: Infinity };
      g.leads++;
      g.earliest = Math.min(g.earliest, v.next_allowed_at.getTime());
      held.set(key, g);
    }
    for (let d = 0; d < ELIGIBILITY_DAYS; d++) {
      const dv = at(dayStarts[d]);
      if ('allowed' in dv && (dv.allowed || dv.next_allowed_at.getTime() < dayEnds[d])) perDay[d]++;
    }
  }
  const stored: { reason: string | null; leads: number }[] = await db.query(
    `SELECT status_reason AS reason, count(*)::int AS leads FROM leads
      WHERE campaign_id = $1 AND status = 'ineligible' GROUP BY status_reason`,
    [campaign.id],
  );
  const scaled = (n: number) => Math.round(n * scale);
  const inel = new Map<string, number>();
  for (const [reason, n] of ineligible) inel.set(reason, scaled(n));
  for (const s of stored) {
    const reason = s.reason ?? 'ineligible';
    inel.set(reason, (inel.get(reason) ?? 0) + s.leads);
  }
  return {
    at: now.toISOString(),
    rules: settings.rules,
    waiting,
    evaluated: leads.length,
    sampled: step > 1,
    callable_now: scaled(callable),
    held_back: [...held]
      .map(([reason, g]) => ({
        reason,
        leads: scaled(g.leads),
        earliest_allowed_at: new Date(g.earliest).toISOString(),
      }))
      .sort((a, b) => b.leads - a.leads),
    ineligible: [...inel]
      .map(([reason, leads]) => ({ reason, leads }))
      .sort((a, b) => b.leads - a.leads),
    days: perDay.map((n, d) => ({
      date: local.plus({ days: d }).toISODate() as string,
      callable: scaled(n),
    })),
  };
}
