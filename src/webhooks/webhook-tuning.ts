import type { WebhookTuning } from '../core/runtime';

export type { WebhookTuning };

/**
 * The wait before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed,
 * half random) so that a receiver coming back up is not hit by every event at once.
 */
export function backoffMs(
  attempts: number,
  t: WebhookTuning,
  random: () => number = Math.random,
): number {
  const exp = Math.min(
    t.webhookBackoffMaxMs,
    t.webhookBackoffBaseMs * t.webhookBackoffFactor ** Math.max(0, attempts - 1),
  );
  return Math.round(exp / 2 + (random() * exp) / 2);
}
