// How a script uses the generated client types (clients/typescript/schema.d.ts). `tsc --noEmit`
// compiles this file, so the types must accept what the contract shows; the e2e test sends it.
import type { components, paths } from '../../clients/typescript/schema';

export type NewCampaign = components['schemas']['CreateCampaignDto'];
export type Campaign =
  paths['/v1/campaigns/{id}']['get']['responses']['200']['content']['application/json'];
export type ApiError = components['schemas']['ErrorBody'];
export type ImportAnswer =
  paths['/v1/campaigns/{id}/leads']['post']['responses']['201']['content']['application/json'];

/** The example campaign of the contract (shared/api-contract.md), word for word. */
export const CONTRACT_EXAMPLE_CAMPAIGN: NewCampaign = {
  name: 'Relance salons novembre',
  agent_id: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
  from_numbers: ['+33912345678'],
  timezone: 'Europe/Paris',
  calling_window: {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    hours: [
      { start: '10:00', end: '13:00' },
      { start: '14:00', end: '20:00' },
    ],
  },
  max_concurrent_calls: 10,
  max_calls_per_minute: 60,
  retry: { max_attempts: 3, delay_minutes: 60, on: ['missed', 'failed'] },
  schedule: { cron: '0 19 * * 1-5' },
  default_country: 'FR',
  qualification: { match: 'all', rules: [{ question: 'interested', equals: true }] },
};

/** What a client reads from an error answer: typed, not `never`. */
export function describeError(e: ApiError): string {
  const fields = (e.details ?? []).map((d) => d.field).join(', ');
  return `${e.statusCode} ${e.error}: ${e.message}${fields ? ` (${fields})` : ''}`;
}

/** Nullable settings are typed as nullable values, not as objects. */
export function settingsOf(c: Campaign): string {
  const country: string | null = c.default_country;
  const hook: string | null = c.webhook_url;
  const cron: string | undefined = c.schedule?.cron;
  return [country, hook, cron].join(' ');
}
