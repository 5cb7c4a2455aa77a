import { classifyCallStatus } from '../../callrounded/call-status';
import type { CampaignStatus, RetryPolicy } from '../../campaigns/campaign.entity';
import type { LeadStatus } from '../../leads/lead-statuses';

/** How an attempt ended, as retry policies name it. */
export type CallOutcome = 'completed' | 'missed' | 'failed' | 'unknown';
const OUTCOMES: readonly string[] = ['completed', 'missed', 'failed', 'unknown'];

export type StatusReading =
  { kind: 'terminal'; outcome: CallOutcome } | { kind: 'in_progress' } | { kind: 'unrecognised' };

/**
 * Reads a platform status. `completed`, `missed`, `failed` end a call with that outcome; the
 * configured extra terminal statuses end it with the outcome they are mapped to; `created` and
 * `ongoing` are in progress; anything else is kept polling (see maxCallAgeMs).
 */
export function readCallStatus(
  status: string | null | undefined,
  extraTerminal: Record<string, string> = {},
): StatusReading {
  const value = (status ?? '').toLowerCase();
  const mapped = extraTerminal[value];
  if (mapped !== undefined) {
    return {
      kind: 'terminal',
      outcome: (OUTCOMES.includes(mapped) ? mapped : 'unknown') as CallOutcome,
    };
  }
  const kind = classifyCallStatus(value);
  if (kind === 'terminal') return { kind, outcome: value as CallOutcome };
  return { kind };
}

export interface LeadDecision {
  status: LeadStatus;
  nextAttemptAt: Date | null;
  reason: string | null;
}

/**
 * What a lead becomes once a call of it is over. `attempts` already counts that call.
 * - completed → `completed` (even if the campaign was cancelled meanwhile: the talk happened);
 * - campaign cancelled → `cancelled`;
 * - outcome listed in `retry.on`: attempts left → `retry_scheduled` after `delay_minutes`,
 *   none left → `exhausted`;
 * - outcome not listed → `failed` (retrying was not asked for).
 */
export function decideLeadAfterCall(input: {
  outcome: CallOutcome;
  attempts: number;
  retry: RetryPolicy;
  campaignStatus: CampaignStatus;
  now: Date;
}): LeadDecision {
  const { outcome, attempts, retry, campaignStatus, now } = input;
  if (outcome === 'completed') return { status: 'completed', nextAttemptAt: null, reason: null };
  if (campaignStatus === 'cancelled') {
    return { status: 'cancelled', nextAttemptAt: null, reason: 'campaign cancelled' };
  }
  const retryOn = (retry?.on ?? []).map((o) => o.toLowerCase());
  const maxAttempts = Math.max(1, retry?.max_attempts ?? 1);
  if (!retryOn.includes(outcome)) {
    return {
      status: 'failed',
      nextAttemptAt: null,
      reason: `call ended ${outcome}; the retry policy does not retry ${outcome} calls`,
    };
  }
  if (attempts >= maxAttempts) {
    return {
      status: 'exhausted',
      nextAttemptAt: null,
      reason: `call ended ${outcome} after ${attempts} of ${maxAttempts} attempts`,
    };
  }
  const delayMs = Math.max(0, retry.delay_minutes ?? 0) * 60_000;
  return {
    status: 'retry_scheduled',
    nextAttemptAt: new Date(now.getTime() + delayMs),
    reason: `call ended ${outcome}; attempt ${attempts + 1} of ${maxAttempts} scheduled`,
  };
}
