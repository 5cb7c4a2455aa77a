import Holidays from 'date-holidays';

/** Local date (YYYY-MM-DD) → holiday name, for one calendar and year. */
type YearDays = Map<string, string>;

const CACHE_LIMIT = 500;
const cache = new Map<string, YearDays | null>();

function compute(country: string, state: string | undefined, year: number): YearDays | null {
  const calendar = state
    ? new Holidays(country, state, { types: ['public'] })
    : new Holidays(country, { types: ['public'] });
  const list = calendar.getHolidays(year);
  if (!Array.isArray(list)) return null;
  const days: YearDays = new Map();
  for (const h of list) {
    // Public holidays only: observances (Mother's Day, Pentecost Sunday) never block a call.
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    if (!days.has(date)) days.set(date, h.name.replace(/ \(substitute day\)$/, ' (observed)'));
  }
  return days;
}

/**
 * The public holidays of a date-holidays calendar (country, optional state) in a year, by local
 * date; null when the calendar cannot answer (unknown country or state, or the library threw):
 * callers must then refuse to call, not assume a working day.
 */
export function holidaysOf(
  country: string,
  state: string | undefined,
  year: number,
): YearDays | null {
  const key = `${country}-${state ?? ''}-${year}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let days: YearDays | null;
  try {
    days = compute(country, state, year);
  } catch {
    days = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, days);
  return days;
}
