import type { CampaignStatus, RetryPolicy, RetryRule } from '../../campaigns/campaign.entity';
import type { LeadStatus } from '../../leads/lead-statuses';
import type { CallOutcome } from '../platform/voice-platform.port';

export type { CallOutcome };

export interface LeadDecision {
  status: LeadStatus;
  nextAttemptAt: Date | null;
  reason: string | null;
}

/**
 * The rule that decides a retry: the status's own rule (`retry.by_status`), else the outcome's
 * (`retry.by_outcome`), else the policy's own fields, which retry only the outcomes in `on`.
 * Answers null when nothing retries that call.
 */
export function retryRuleFor(
  retry: RetryPolicy | undefined,
  outcome: CallOutcome,
  callStatus: string | null | undefined,
): RetryRule | null {
  const status = (callStatus ?? '').toLowerCase();
  const byStatus = status ? retry?.by_status?.[status] : undefined;
  if (byStatus) return byStatus;
  const byOutcome = outcome === 'completed' ? undefined : retry?.by_outcome?.[outcome];
  if (byOutcome) return byOutcome;
  const retryOn = (retry?.on ?? []).map((o) => o.toLowerCase());
  if (!retry || !retryOn.includes(outcome)) return null;
  return { max_attempts: retry.max_attempts, delay_minutes: retry.delay_minutes };
}

/**
 * What a lead becomes once a call of it is over. `attempts` already counts that call.
 * - completed → `completed` (even if the campaign was cancelled meanwhile: the talk happened);
 * - campaign cancelled → `cancelled`;
 * - a retry rule applies (see retryRuleFor): attempts left (the rule's max_attempts, or the
 *   lead's attempt_limit when a requeue raised it) → `retry_scheduled` after `delay_minutes`,
 *   unless that time is at or after the campaign's end date (→ `expired`); none left → `exhausted`;
 * - no rule retries it → `failed` (retrying was not asked for).
 */
export function decideLeadAfterCall(input: {
  outcome: CallOutcome;
  attempts: number;
  retry: RetryPolicy;
  campaignStatus: CampaignStatus;
  now: Date;
  /** The platform's status of the call, for `retry.by_status`. */
  callStatus?: string | null;
  /** The lead's own limit (a requeue raises it), counted when above the rule's. */
  attemptLimit?: number | null;
  endsAt?: Date | null;
}): LeadDecision {
  const { outcome, attempts, retry, campaignStatus, now } = input;
  if (outcome === 'completed') return { status: 'completed', nextAttemptAt: null, reason: null };
  if (campaignStatus === 'cancelled') {
    return { status: 'cancelled', nextAttemptAt: null, reason: 'campaign cancelled' };
  }
  const rule = retryRuleFor(retry, outcome, input.callStatus);
  const status = input.callStatus && input.callStatus !== outcome ? ` (${input.callStatus})` : '';
  if (!rule) {
    return {
      status: 'failed',
      nextAttemptAt: null,
      reason: `call ended ${outcome}${status}; the retry policy does not retry ${outcome} calls`,
    };
  }
  const maxAttempts = Math.max(1, rule.max_attempts ?? 1, input.attemptLimit ?? 0);
  if (attempts >= maxAttempts) {
    return {
      status: 'exhausted',
      nextAttemptAt: null,
      reason: `call ended ${outcome}${status} after ${attempts} of ${maxAttempts} attempts`,
    };
  }
  const delayMs = Math.max(0, rule.delay_minutes ?? 0) * 60_000;
  const nextAttemptAt = new Date(now.getTime() + delayMs);
  if (input.endsAt && nextAttemptAt.getTime() >= new Date(input.endsAt).getTime()) {
    return {
      status: 'expired',
      nextAttemptAt: null,
      reason: `call ended ${outcome}${status}; the next attempt would fall after the campaign’s end date`,
    };
  }
  return {
    status: 'retry_scheduled',
    nextAttemptAt,
    reason: `call ended ${outcome}${status}; attempt ${attempts + 1} of ${maxAttempts} scheduled`,
  };
}
