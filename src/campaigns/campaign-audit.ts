import type { Campaign } from './campaign.entity';

/**
 * A campaign's settings as the audit trail records them (before → after): no secret, and of the
 * webhook URL only its origin (a URL's path or query often carries a receiver's token).
 */
export function auditedSettings(c: Campaign): Record<string, unknown> {
  return {
    name: c.name,
    agent_id: c.agentId,
    from_numbers: c.fromNumbers,
    timezone: c.timezone,
    calling_window: c.callingWindow,
    max_concurrent_calls: c.maxConcurrentCalls,
    max_calls_per_minute: c.maxCallsPerMinute,
    retry: c.retry,
    schedule: c.schedule,
    default_country: c.defaultCountry,
    qualification: c.qualification,
    variables: c.variables,
    compliance: c.compliance,
    webhook_url: webhookOrigin(c.webhookUrl),
    ends_at: c.endsAt ? new Date(c.endsAt).toISOString() : null,
    max_calls_per_day: c.maxCallsPerDay,
    max_cost: c.maxCost === null ? null : Number(c.maxCost),
    auto_pause: c.autoPause,
  };
}

function webhookOrigin(url: string | null): string | null {
  if (!url) return null;
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid)';
  }
}
