import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { HAIR_SALON_FR_SCENARIO, startSimulator, type SimulatorHandle } from '../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, TEST_API_KEY } from '../helpers/test-app';

/** The simulator's default agent: declares prenom, nom_du_salon, ville (and the platform's four). */
export const SALON_AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;

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
export async function insertCampaign(pg: Client, o: CampaignOptions = {}): Promise<string> {
  const { rows } = await pg.query<{ id: string }>(
    `INSERT INTO campaigns (name, agent_id, from_numbers, timezone, calling_window, retry, default_country, status, variables)
     VALUES ('Relance salons', $1, ARRAY['+33912345678'], 'Europe/Paris',
             '{"days":["mon","tue","wed","thu","fri"],"hours":[{"start":"10:00","end":"13:00"}]}',
             '{"max_attempts":2,"delay_minutes":60,"on":["missed","failed"]}', $2, $3, $4)
     RETURNING id`,
    [
      o.agentId ?? SALON_AGENT_ID,
      o.defaultCountry === undefined ? 'FR' : o.defaultCountry,
      o.status ?? 'draft',
      JSON.stringify(o.variables ?? {}),
    ],
  );
  return rows[0].id;
}

export interface LeadsTestEnv {
  db: TestDatabase;
  sim: SimulatorHandle;
  app: INestApplication;
  pg: Client;
  /** Base URL of the app, e.g. http://127.0.0.1:41234 */
  url: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startLeadsEnv(env: Record<string, string> = {}): Promise<LeadsTestEnv> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ port: 0 });
  const app = await startTestApp({
    databaseUrl: db.url,
    platformUrl: sim.url,
    platformKey: sim.apiKey,
    env,
  });
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const url = await app.getUrl();
  return {
    db,
    sim,
    app,
    pg,
    url: url.replace('[::1]', '127.0.0.1'),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await pg.end().catch(() => undefined);
      await app.close();
      await sim.close();
      await db.drop();
    },
  };
}

export { TEST_API_KEY };

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
