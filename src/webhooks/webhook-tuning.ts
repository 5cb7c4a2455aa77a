import type { WorkerTuning } from '../core/runtime';

/**
 * Delivery tunables. Tests shorten them through the runtime's `worker` settings (the same object
 * as WORKER_TUNING, which passes unknown keys through).
 */
export interface WebhookTuning {
  webhookPollIntervalMs: number;
  webhookBatchSize: number;
  /** One POST, connect to last byte. */
  webhookTimeoutMs: number;
  /** After this many attempts an event is `failed` (it can still be re-queued by hand). */
  webhookMaxAttempts: number;
  webhookBackoffBaseMs: number;
  webhookBackoffFactor: number;
  webhookBackoffMaxMs: number;
}

/** 10 attempts: waits of up to 1, 3, 9, 27, 81, 243 min then 6 h (each ½ to all of it): about a day. */
export const defaultWebhookTuning: WebhookTuning = {
  webhookPollIntervalMs: 1000,
  webhookBatchSize: 20,
  webhookTimeoutMs: 10_000,
  webhookMaxAttempts: 10,
  webhookBackoffBaseMs: 60_000,
  webhookBackoffFactor: 3,
  webhookBackoffMaxMs: 6 * 60 * 60_000,
};

export function webhookTuning(worker: Partial<WorkerTuning> | undefined): WebhookTuning {
  const extra = (worker ?? {}) as Partial<WebhookTuning>;
  const tuning = { ...defaultWebhookTuning };
  for (const key of Object.keys(tuning) as (keyof WebhookTuning)[]) {
    const v = extra[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) tuning[key] = v;
  }
  return tuning;
}

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
