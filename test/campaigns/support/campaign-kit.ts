import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type { Clock, WorkerTuning } from '../../../src/core/runtime';
import {
  HAIR_SALON_FR_SCENARIO,
  startSimulator,
  type SimulatorHandle,
} from '../../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/database';
import { startTestApp, TEST_API_KEY } from '../../helpers/test-app';

export const AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
export const OTHER_AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[1].id;
export const FROM = HAIR_SALON_FR_SCENARIO.phone_numbers[0].number;

/** A real app on a fresh database and a simulator; by default the api role: no loop dials. */
export interface CampaignKit {
  db: TestDatabase;
  sim: SimulatorHandle;
  app: INestApplication;
  sql: Client;
  api(): ApiClient;
  close(): Promise<void>;
}

export interface ApiClient {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  delete(path: string): request.Test;
}

export async function startCampaignKit(
  options: {
    role?: 'api' | 'all';
    clock?: Clock;
    worker?: Partial<WorkerTuning>;
    env?: Record<string, string>;
  } = {},
): Promise<CampaignKit> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ port: 0 });
  const app = await startTestApp({
    databaseUrl: db.url,
    platformUrl: sim.url,
    platformKey: sim.apiKey,
    env: { APP_ROLE: options.role ?? 'api', ...options.env },
    clock: options.clock,
    worker: options.worker,
  });
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const server = app.getHttpServer();
  const api = (): ApiClient => ({
    get: (path) => request(server).get(path).set('X-Api-Key', TEST_API_KEY),
    post: (path, body) => request(server).post(path).set('X-Api-Key', TEST_API_KEY).send(body),
    patch: (path, body) => request(server).patch(path).set('X-Api-Key', TEST_API_KEY).send(body),
    delete: (path) => request(server).delete(path).set('X-Api-Key', TEST_API_KEY),
  });
  return {
    db,
    sim,
    app,
    sql,
    api,
    close: async () => {
      await sql.end();
      await app.close();
      await sim.close();
      await db.drop();
    },
  };
}

export const minimalCampaign = (extra: object = {}) => ({
  name: 'Relance salons novembre',
  agent_id: AGENT_ID,
  from_numbers: [FROM],
  ...extra,
});

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
    const phone = lead.phone ?? `+336${String(10_000_000 + phoneSeq++).padStart(8, '0')}`;
    const { rows } = await sql.query(
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
  const { rows } = await sql.query(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state, call_id, requested_at)
     SELECT l.id, l.campaign_id, 1, $3, $4, l.phone, $5, $6, now() FROM leads l WHERE l.id = $1 AND l.campaign_id = $2
     RETURNING id`,
    [leadId, campaignId, AGENT_ID, FROM, state, callId],
  );
  return rows[0].id;
}
