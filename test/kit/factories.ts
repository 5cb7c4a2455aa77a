import type { Client } from 'pg';
import type { Queryable } from '../../src/common/queryable';
import { AGENT_ID, FROM_NUMBER, FROM_NUMBERS } from './simulator';

/** Rows written straight into the tables, as the service writes them: set-ups for other modules' tests. */

export const ALWAYS_OPEN = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  hours: [{ start: '00:00', end: '24:00' }],
};

/** Any column of `campaigns`; jsonb columns are given as values and stored as JSON. */
export interface CampaignRow {
  name?: string;
  agent_id?: string;
  from_numbers?: string[];
  timezone?: string;
  calling_window?: unknown;
  max_concurrent_calls?: number;
  max_calls_per_minute?: number;
  retry?: unknown;
  default_country?: string | null;
  status?: string;
  variables?: Record<string, unknown>;
  questions?: unknown[] | null;
  qualification?: unknown;
  webhook_url?: string | null;
  webhook_secret?: string | null;
  compliance?: Record<string, unknown>;
  started_at?: Date | null;
}

const JSON_COLUMNS = new Set([
  'calling_window',
  'retry',
  'variables',
  'questions',
  'qualification',
  'compliance',
]);

/** Campaign defaults: a running-ready draft on the simulator's agent, always open, one attempt. */
const CAMPAIGN_DEFAULTS: CampaignRow = {
  name: 'test campaign',
  agent_id: AGENT_ID,
  from_numbers: FROM_NUMBERS.slice(0, 2),
  calling_window: ALWAYS_OPEN,
  retry: { max_attempts: 1, delay_minutes: 0, on: [] },
};

/** Inserts one campaign row (the defaults above, then `row`); answers its id. */
export async function insertCampaignRow(sql: Queryable, row: CampaignRow = {}): Promise<string> {
  const fields = Object.entries({ ...CAMPAIGN_DEFAULTS, ...row }).filter(
    ([, value]) => value !== undefined,
  );
  const values = fields.map(([column, value]) =>
    JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value,
  );
  const answer = await sql.query<{ id: string }[] | { rows: { id: string }[] }>(
    `INSERT INTO campaigns (${fields.map(([column]) => column).join(', ')})
     VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values,
  );
  // A DataSource answers the rows, a pg Client an object holding them.
  return (Array.isArray(answer) ? answer : answer.rows)[0].id;
}

/** French mobile numbers +3361xxxxxxx, distinct per `base`. */
export function phones(count: number, base = 0): string[] {
  return Array.from({ length: count }, (_, i) => `+3361${String(base + i).padStart(7, '0')}`);
}

/** A distinct French mobile number per index (+33610000000 + i). */
export function leadNumber(i: number): string {
  return `+336${String(10_000_000 + i).padStart(8, '0')}`;
}

/** Waiting leads with the given numbers and variables, in one statement. */
export async function addLeads(
  pg: Client,
  campaignId: string,
  numbers: string[],
  variables: (i: number) => Record<string, unknown> = (i) => ({ prenom: `Lead ${i}` }),
): Promise<void> {
  await pg.query(
    `INSERT INTO leads (campaign_id, phone, variables)
     SELECT $1, p, v::jsonb FROM unnest($2::text[], $3::text[]) AS t(p, v)`,
    [campaignId, numbers, numbers.map((_, i) => JSON.stringify(variables(i)))],
  );
}

let phoneSeq = 0;

/** Leads written as the import writes them, in the given statuses; answers their ids. */
export async function insertLeads(
  sql: Client,
  campaignId: string,
  leads: {
    status: string;
    qualified?: boolean | null;
    nextAttemptAt?: Date | null;
    phone?: string;
  }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const lead of leads) {
    const phone = lead.phone ?? leadNumber(phoneSeq++);
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO leads (campaign_id, phone, status, qualified, next_attempt_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [campaignId, phone, lead.status, lead.qualified ?? null, lead.nextAttemptAt ?? null],
    );
    ids.push(rows[0].id);
  }
  return ids;
}

/** An attempt row as the dialer writes it, holding a slot unless `state` says otherwise. */
export async function insertAttempt(
  sql: Client,
  campaignId: string,
  leadId: string,
  state: string,
  callId: string | null = null,
): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state, call_id, requested_at)
     SELECT l.id, l.campaign_id, 1, $3, $4, l.phone, $5, $6, now() FROM leads l WHERE l.id = $1 AND l.campaign_id = $2
     RETURNING id`,
    [leadId, campaignId, AGENT_ID, FROM_NUMBER, state, callId],
  );
  return rows[0].id;
}

export async function setCampaignStatus(pg: Client, id: string, status: string): Promise<void> {
  await pg.query(
    `UPDATE campaigns SET status = $2, started_at = coalesce(started_at, now()) WHERE id = $1`,
    [id, status],
  );
}
