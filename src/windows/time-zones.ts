import { IANAZone } from 'luxon';

/** Names already checked (a few hundred zones exist; the bound only guards against junk input). */
const KNOWN_LIMIT = 10_000;
const known = new Map<string, string | null>();

/**
 * The canonical spelling of an IANA zone name (`europe/paris` → `Europe/Paris`), or null when it
 * is not one. Fixed offsets such as `+01:00` are refused: they ignore daylight saving time.
 * Remembered: checking costs an Intl.DateTimeFormat, and the dialler asks for every call.
 */
export function canonicalZone(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const hit = known.get(name);
  if (hit !== undefined) return hit;
  const canonical = check(name);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(name, canonical);
  return canonical;
}

function check(name: string): string | null {
  if (name.trim() === '' || !IANAZone.isValidZone(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function isIanaZone(name: unknown): name is string {
  return canonicalZone(name) !== null;
}
