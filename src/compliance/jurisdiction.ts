import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { stateOfAreaCode } from './rules/us-area-codes';

/** Regions of libphonenumber that are France for calling law (overseas départements and collectivities). */
const FRENCH_REGIONS = new Set(['FR', 'GP', 'BL', 'MF', 'GF', 'MQ', 'RE', 'YT']);

export interface NumberJurisdiction {
  /** The jurisdiction whose law applies, e.g. `FR`, `US-FL`, `US`, `CA`; null: the country has no rule file. */
  id: string;
  /** libphonenumber's region of the number (e.g. MQ for +596), or null when it cannot be told. */
  region: string | null;
}

const CACHE_LIMIT = 50_000;
const cache = new Map<string, NumberJurisdiction>();

function resolve(e164: string): NumberJurisdiction {
  const region = parsePhoneNumberFromString(e164)?.country ?? null;
  if (region === null) return { id: '', region: null };
  if (FRENCH_REGIONS.has(region)) return { id: 'FR', region };
  if (region === 'US') {
    const state = stateOfAreaCode(e164);
    return { id: state ? `US-${state}` : 'US', region };
  }
  return { id: region, region };
}

/** Whose law governs a call to this E.164 number, from the number alone (country, US area code). */
export function jurisdictionOfNumber(e164: string): NumberJurisdiction {
  let hit = cache.get(e164);
  if (!hit) {
    hit = resolve(e164);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(e164, hit);
  }
  return hit;
}
