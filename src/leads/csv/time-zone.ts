/** IANA zone names (`Europe/Paris`, `America/Argentina/Buenos_Aires`, `UTC`); not offsets like `+02:00`. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const cache = new Map<string, string | null>();

/**
 * The canonical IANA name of a time zone (`europe/paris` → `Europe/Paris`), or null when it is
 * not one. Files repeat a handful of zones, so answers are cached (a bounded cache: Intl is slow
 * to build).
 */
export function canonicalTimeZone(value: string): string | null {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  let zone: string | null = null;
  if (ZONE_NAME.test(value)) {
    try {
      zone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      zone = null;
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(value, zone);
  return zone;
}
