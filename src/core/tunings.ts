/** The loops' tunables, typed: each loop reads its own through an injection token. */

export interface WorkerTuning {
  /** How often the dialer looks for leads to call. */
  dialIntervalMs: number;
  /** How often live calls are polled. */
  pollIntervalMs: number;
  /** How long a slot lease lasts without renewal before another instance may reclaim it. */
  leaseMs: number;
  /** How long an ambiguous start is searched for on the platform before it counts as never dialled. */
  reconcileGraceMs: number;
  /** Clock skew allowed between us and the platform when matching calls by start time. */
  clockSkewMs: number;
  /** A call whose status stays unknown or in progress past this age ends the attempt `unknown`. */
  maxCallAgeMs: number;
  /** How often schedules are checked for due runs. */
  scheduleIntervalMs: number;
}

export const defaultWorkerTuning: WorkerTuning = {
  dialIntervalMs: 250,
  pollIntervalMs: 1000,
  leaseMs: 60_000,
  reconcileGraceMs: 30_000,
  clockSkewMs: 120_000,
  maxCallAgeMs: 2 * 60 * 60_000,
  scheduleIntervalMs: 15_000,
};

/** CRM delivery tunables (`Runtime.webhooks`): tests shorten them; production keeps the defaults. */
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

/** The defaults with every given value that is a positive number. */
export function webhookTuning(given: Partial<WebhookTuning> | undefined): WebhookTuning {
  const tuning = { ...defaultWebhookTuning };
  for (const key of Object.keys(tuning) as (keyof WebhookTuning)[]) {
    const v = given?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) tuning[key] = v;
  }
  return tuning;
}

export const WORKER_TUNING = Symbol('WORKER_TUNING');
export const WEBHOOK_TUNING = Symbol('WEBHOOK_TUNING');
