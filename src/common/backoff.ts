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
