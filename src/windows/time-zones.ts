import { IANAZone } from 'luxon';

/**
 * The canonical spelling of an IANA zone name (`europe/paris` → `Europe/Paris`), or null when it
 * is not one. Fixed offsets such as `+01:00` are refused: they ignore daylight saving time.
 */
export function canonicalZone(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '' || !IANAZone.isValidZone(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function isIanaZone(name: unknown): name is string {
  return canonicalZone(name) !== null;
}
