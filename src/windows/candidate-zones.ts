import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { numberZoneTable, zonesInTable } from './number-zone-table';
import { canonicalZone } from './time-zones';

/**
 * A lead is evaluated several times (when claimed, before its POST, on each retry): remember
 * answers (the zone names are checked and made canonical once).
 */
const CACHE_LIMIT = 50_000;
const cache = new Map<string, Promise<string[]>>();

async function lookUp(phoneE164: string): Promise<string[]> {
  const parsed = parsePhoneNumberFromString(phoneE164);
  if (!parsed) return [];
  const table = numberZoneTable();
  const zones = (table ? zonesInTable(table, parsed.number) : await timezones(parsed)) ?? [];
  // The data says `Etc/Unknown` for ranges it cannot place.
  const valid = zones
    .map(canonicalZone)
    .filter((z): z is string => z !== null && z !== 'Etc/Unknown');
  return [...new Set(valid)];
}

/** Every IANA zone the number may be in, from Google's libphonenumber data ([] when unknown). */
export function phoneTimeZones(phoneE164: string): Promise<string[]> {
  const hit = cache.get(phoneE164);
  if (hit) {
    // Re-insert: the Map's order is then least recently used first.
    cache.delete(phoneE164);
    cache.set(phoneE164, hit);
    return hit;
  }
  const pending = lookUp(phoneE164).catch(() => [] as string[]);
  cache.set(phoneE164, pending);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return pending;
}

/**
 * The zones a lead must be inside the window in: its own `timezone` column when valid, else
 * every zone its number may be in, else the campaign's zone.
 */
export async function candidateZones(
  phoneE164: string,
  leadTimezone: string | null | undefined,
  campaignTimezone: string,
): Promise<string[]> {
  const own = canonicalZone(leadTimezone);
  if (own) return [own];
  const fromNumber = await phoneTimeZones(phoneE164);
  if (fromNumber.length > 0) return fromNumber;
  return [canonicalZone(campaignTimezone) ?? 'UTC'];
}
