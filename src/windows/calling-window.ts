import { DateTime } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A campaign's calling window: the days, and the hours of each of those days, in a zone. */
export interface CallingWindow {
  days: Weekday[];
  hours: { start: string; end: string }[];
}

/** Luxon's weekday numbers (1 = Monday) to our names. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** How far ahead the next opening is searched: two weeks covers any weekly pattern. */
export const WINDOW_HORIZON_DAYS = 14;

const DAY_MS = 24 * 60 * 60_000;

export interface WindowVerdict {
  /** True when `at` is inside the window in every zone. */
  allowed: boolean;
  /** The earliest instant ≥ `at` inside the window in every zone (`at` itself when allowed); null: never within the horizon. */
  next_open_at: Date | null;
  /** Why dialling must wait or can never happen, in words. */
  reason?: string;
}

/** Half-open instant interval [start, end) in epoch milliseconds. */
type Span = [number, number];

/** "HH:MM" to minutes since midnight; "24:00" is 1440. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * The spans during which the window is open in one zone, for every local day touching
 * [fromMs, toMs]. Local times are turned into instants by luxon with the zone's rules of that
 * very day, so a window stays at 10:00 local on both sides of a DST change.
 */
function zoneSpans(window: CallingWindow, zone: string, fromMs: number, toMs: number): Span[] {
  return coveredSpans(window, zone, fromMs, toMs).spans;
}

/** zoneSpans, with the instants they are complete for: [coverFrom, coverTo), whole local days. */
function coveredSpans(
  window: CallingWindow,
  zone: string,
  fromMs: number,
  toMs: number,
): { spans: Span[]; coverFrom: number; coverTo: number } {
  const days = new Set(window.days);
  const hours = window.hours
    .map((h) => [minutesOf(h.start), minutesOf(h.end)])
    .sort((a, b) => a[0] - b[0]);
  const first = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 1 });
  const dayCount = Math.ceil((toMs - fromMs) / DAY_MS) + 3;
  const spans: Span[] = [];
  for (let d = 0; d < dayCount; d++) {
    // Calendar arithmetic on the date only: DST-safe, unlike adding 24 h.
    const date = first.plus({ days: d });
    if (!days.has(WEEKDAYS[date.weekday - 1])) continue;
    for (const [startMin, endMin] of hours) {
      const start = localInstant(date, startMin, zone);
      const end = localInstant(date, endMin, zone);
      if (end > start) spans.push([start, end]);
    }
  }
  return {
    spans: merge(spans),
    coverFrom: first.toMillis(),
    coverTo: first.plus({ days: dayCount }).toMillis(),
  };
}

function localInstant(date: DateTime, minutes: number, zone: string): number {
  const { year, month, day } = date;
  if (minutes >= 1440) {
    return DateTime.fromObject({ year, month, day }, { zone }).plus({ days: 1 }).toMillis();
  }
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone }).toMillis();
}

/** Sorted, with touching or overlapping spans joined (23:00–24:00 then 00:00–08:00 is one span). */
function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

function intersect(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i][0], b[j][0]);
    const end = Math.min(a[i][1], b[j][1]);
    if (start < end) out.push([start, end]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/**
 * The open spans of a (window, zone) around the instants asked about lately: the dialler asks
 * "inside?" twice per call (claim, POST), and luxon's zone arithmetic is the costly part.
 */
const SPAN_CACHE_LIMIT = 1_000;
const spanCache = new Map<string, { spans: Span[]; coverFrom: number; coverTo: number }>();

function insideIn(window: CallingWindow, zone: string, atMs: number): boolean {
  const key = `${zone} ${JSON.stringify(window)}`;
  let covered = spanCache.get(key);
  if (!covered || atMs < covered.coverFrom || atMs >= covered.coverTo) {
    covered = coveredSpans(window, zone, atMs, atMs);
    if (spanCache.size >= SPAN_CACHE_LIMIT) spanCache.clear();
    spanCache.set(key, covered);
  }
  return covered.spans.some(([s, e]) => s <= atMs && atMs < e);
}

function listZones(zones: string[]): string {
  return zones.length <= 6
    ? zones.join(', ')
    : `${zones.slice(0, 6).join(', ')} and ${zones.length - 6} more`;
}

/**
 * Whether `at` is inside the calling window in EVERY zone, and if not, the earliest instant when
 * it is (searched over the next {@link WINDOW_HORIZON_DAYS} days, by intersecting each zone's
 * open spans). `next_open_at` null means the zones never share an open minute: such a number
 * must not be dialled at all.
 */
export function checkWindow(window: CallingWindow, zones: string[], at: Date): WindowVerdict {
  const atMs = at.getTime();
  if (zones.length === 0) {
    return { allowed: false, next_open_at: null, reason: 'no time zone is known for this number' };
  }
  // The common case (inside everywhere) needs only the spans around `at`.
  const closedIn = zones.filter((z) => !insideIn(window, z, atMs));
  if (closedIn.length === 0) return { allowed: true, next_open_at: at };

  const toMs = atMs + WINDOW_HORIZON_DAYS * DAY_MS;
  let common = zoneSpans(window, zones[0], atMs, toMs);
  for (const zone of zones.slice(1)) {
    if (common.length === 0) break;
    common = intersect(common, zoneSpans(window, zone, atMs, toMs));
  }
  const next = common.find(([s, e]) => e > atMs && s <= toMs);
  if (!next) {
    return {
      allowed: false,
      next_open_at: null,
      reason: `never inside the calling window in all of its time zones (${listZones(zones)})`,
    };
  }
  const opensAt = new Date(Math.max(next[0], atMs));
  return {
    allowed: false,
    next_open_at: opensAt,
    reason: `outside the calling window in ${listZones(closedIn)}; next opening ${opensAt.toISOString()}`,
  };
}
