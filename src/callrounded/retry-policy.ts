/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Answers milliseconds to wait, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names its day and month; this also stops Date.parse('-3') (year -3).
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface BackoffSettings {
  backoffBaseMs: number;
  maxBackoffMs: number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so a fleet of workers does
 * not retry in lockstep. A platform-provided Retry-After is a floor, never shortened.
 */
export function computeRetryDelay(
  retryIndex: number,
  settings: BackoffSettings,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(settings.maxBackoffMs, settings.backoffBaseMs * 2 ** retryIndex);
  const jittered = exponential / 2 + random() * (exponential / 2);
  if (retryAfterMs === undefined) return Math.round(jittered);
  // Spread the wake-ups a little past the platform's instant instead of all at once.
  const spread = random() * Math.min(settings.backoffBaseMs, retryAfterMs * 0.1 + 1);
  return Math.round(Math.max(retryAfterMs + spread, jittered));
}
