import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { insertCampaignRow } from '../kit/factories';
import { SALON_AGENT_ID } from '../kit/simulator';
import { startStack, type Stack } from '../kit/stack';

export function fixture(name: string): Buffer {
  return readFileSync(join(process.cwd(), 'test/fixtures/leads', name));
}

export interface CampaignOptions {
  defaultCountry?: string | null;
  status?: string;
  agentId?: string;
  variables?: Record<string, string>;
}

/** The campaign API belongs to another module: tests write the row they need directly. */
export function insertCampaign(pg: Client, o: CampaignOptions = {}): Promise<string> {
  return insertCampaignRow(pg, {
    name: 'Relance salons',
    agent_id: o.agentId ?? SALON_AGENT_ID,
    from_numbers: ['+33912345678'],
    timezone: 'Europe/Paris',
    calling_window: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      hours: [{ start: '10:00', end: '13:00' }],
    },
    retry: { max_attempts: 2, delay_minutes: 60, on: ['missed', 'failed'] },
    default_country: o.defaultCountry === undefined ? 'FR' : o.defaultCountry,
    status: o.status ?? 'draft',
    variables: o.variables ?? {},
  });
}

/** The kit's stack, with `pg` for its SQL client. */
export interface LeadsTestEnv extends Stack {
  pg: Client;
}

export async function startLeadsEnv(env: Record<string, string> = {}): Promise<LeadsTestEnv> {
  const stack = await startStack({ env });
  return Object.assign(stack, { pg: stack.sql });
}

export interface LeadRow {
  phone: string;
  row_number: number;
  status: string;
  variables: Record<string, string>;
  timezone: string | null;
}

export async function leadsOf(pg: Client, campaignId: string): Promise<LeadRow[]> {
  const { rows } = await pg.query<LeadRow>(
    'SELECT phone, row_number, status, variables, timezone FROM leads WHERE campaign_id = $1 ORDER BY seq',
    [campaignId],
  );
  return rows;
}

// Kept for tests written against the old layout: these now live in the kit.
export { TEST_API_KEY } from '../kit/app';
export { SALON_AGENT_ID } from '../kit/simulator';
