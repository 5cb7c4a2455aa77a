import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import type { RetryPolicy } from '../../../src/campaigns/campaign.entity';
import type { Clock, WorkerTuning } from '../../../src/core/runtime';
import { HAIR_SALON_FR_SCENARIO, startSimulator } from '../../../src/simulator';
import type { SimulatorHandle, SimulatorOptions } from '../../../src/simulator';
import type { SimScenario } from '../../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/database';
import { startTestApp } from '../../helpers/test-app';

export const AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
export const FROM_NUMBERS = HAIR_SALON_FR_SCENARIO.phone_numbers.map((n) => n.number);
export const ALWAYS_OPEN = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  hours: [{ start: '00:00', end: '24:00' }],
};

/** The compliance setting of engine tests that are not about the calling laws. */
export const NO_LAW = {
  rules: 'none',
  contact_type: 'consumer',
  refusal_question: null,
  opt_out_question: null,
  max_contacts: null,
  conservative_holidays: true,
};

/** Short tunings: the engine's loops at test speed. */
export const FAST_TUNING: Partial<WorkerTuning> = {
  dialIntervalMs: 50,
  pollIntervalMs: 150,
  leaseMs: 1500,
  reconcileGraceMs: 1500,
  clockSkewMs: 5000,
  maxCallAgeMs: 60_000,
  scheduleIntervalMs: 60_000,
};

/** Calls of 200–800 ms. */
export const FAST_CALLS = {
  ringMs: 50,
  talkMinMs: 150,
  talkMaxMs: 750,
  missedAfterMs: 300,
  failedAfterMs: 200,
  unknownAfterMs: 300,
  answersDelayMs: 0,
};

/** Time that moves with the wall clock, plus whatever a test adds: leases and calls keep working. */
export class ShiftedClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export function scenarioWith(outcomes: Partial<SimScenario['outcomes']>): SimScenario {
  return {
    ...HAIR_SALON_FR_SCENARIO,
    outcomes: { completed: 0, missed: 0, failed: 0, unknown: 0, ...outcomes },
  };
}

export interface Engine {
  db: TestDatabase;
  pg: Client;
  sim: SimulatorHandle;
  app?: INestApplication;
  clock: ShiftedClock;
  startApp(opts?: {
    worker?: Partial<WorkerTuning>;
    env?: Record<string, string>;
  }): Promise<INestApplication>;
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database, a simulator sharing the test's clock, and (on demand) the real app. */
export async function startEngine(
  sim: Omit<SimulatorOptions, 'now'> = {},
  tuning: Partial<WorkerTuning> = {},
): Promise<Engine> {
  const clock = new ShiftedClock();
  const db = await createTestDatabase();
  const simulator = await startSimulator({
    port: 0,
    durations: FAST_CALLS,
    ...sim,
    now: () => clock.nowMs(),
  });
  const pg = new Client({ connectionString: db.url });
  const engine: Engine = {
    db,
    pg,
    sim: simulator,
    clock,
    async startApp(opts = {}) {
      engine.app = await startTestApp({
        databaseUrl: db.url,
        platformUrl: simulator.url,
        platformKey: simulator.apiKey,
        clock,
        worker: { ...FAST_TUNING, ...tuning, ...opts.worker },
        env: opts.env,
      });
      return engine.app;
    },
    async stopApp() {
      await engine.app?.close();
      engine.app = undefined;
    },
    async close() {
      await engine.stopApp();
      await pg.end().catch(() => undefined);
      await simulator.close();
      await db.drop();
    },
  };
  // Migrate (and start the engine) before the test client connects.
  await engine.startApp();
  await pg.connect();
  return engine;
}

export interface CampaignInput {
  name?: string;
  status?: string;
  max_concurrent_calls?: number;
  max_calls_per_minute?: number;
  retry?: RetryPolicy;
  calling_window?: unknown;
  timezone?: string;
  from_numbers?: string[];
  variables?: Record<string, unknown>;
  questions?: unknown[] | null;
  /** Default `{rules: 'none'}`: these tests are about the engine, not the calling laws. */
  compliance?: Record<string, unknown>;
}

/** Inserted directly: these tests are about the engine, not the campaigns API. */
export async function createCampaign(pg: Client, input: CampaignInput = {}): Promise<string> {
  const { rows } = await pg.query(
    `INSERT INTO campaigns (name, agent_id, from_numbers, timezone, calling_window, max_concurrent_calls,
                            max_calls_per_minute, retry, status, variables, questions, compliance, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $9 = 'running' THEN now() END)
     RETURNING id`,
    [
      input.name ?? 'engine test',
      AGENT_ID,
      input.from_numbers ?? FROM_NUMBERS.slice(0, 2),
      input.timezone ?? 'Europe/Paris',
      JSON.stringify(input.calling_window ?? ALWAYS_OPEN),
      input.max_concurrent_calls ?? 10,
      input.max_calls_per_minute ?? 600,
      JSON.stringify(input.retry ?? { max_attempts: 1, delay_minutes: 0, on: [] }),
      input.status ?? 'draft',
      JSON.stringify(input.variables ?? {}),
      input.questions === undefined ? null : JSON.stringify(input.questions),
      JSON.stringify({ ...NO_LAW, ...input.compliance }),
    ],
  );
  return rows[0].id as string;
}

/** French mobile numbers +336000xxxxx, distinct per `base`. */
export function phones(count: number, base = 0): string[] {
  return Array.from({ length: count }, (_, i) => `+3361${String(base + i).padStart(7, '0')}`);
}

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

export async function setCampaignStatus(pg: Client, id: string, status: string): Promise<void> {
  await pg.query(
    `UPDATE campaigns SET status = $2, started_at = coalesce(started_at, now()) WHERE id = $1`,
    [id, status],
  );
}

export interface LeadRow {
  id: string;
  phone: string;
  status: string;
  attempts: number;
  last_call_id: string | null;
  next_attempt_at: Date | null;
  outcome: string | null;
  status_reason: string | null;
}

export async function leadsOf(pg: Client, campaignId: string): Promise<LeadRow[]> {
  const { rows } = await pg.query(
    `SELECT id, phone, status, attempts, last_call_id, next_attempt_at, outcome, status_reason
       FROM leads WHERE campaign_id = $1 ORDER BY seq`,
    [campaignId],
  );
  return rows as LeadRow[];
}

export interface AttemptRow {
  id: string;
  lead_id: string;
  to_number: string;
  attempt_number: number;
  state: string;
  call_id: string | null;
  call_status: string | null;
  outcome: string | null;
  error: string | null;
}

export async function attemptsOf(pg: Client, campaignId: string): Promise<AttemptRow[]> {
  const { rows } = await pg.query(
    `SELECT id, lead_id, to_number, attempt_number, state, call_id, call_status, outcome, error
       FROM call_attempts WHERE campaign_id = $1 ORDER BY lead_id, attempt_number`,
    [campaignId],
  );
  return rows as AttemptRow[];
}

const FINAL = ['completed', 'failed', 'exhausted', 'suppressed', 'cancelled', 'expired'];

export async function allLeadsFinal(pg: Client, campaignId: string): Promise<boolean> {
  const leads = await leadsOf(pg, campaignId);
  return leads.length > 0 && leads.every((l) => FINAL.includes(l.status));
}

/** Polls `check` every 50 ms until it answers true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The invariants every scenario must end with: each simulator call is on exactly one attempt of
 * the lead with that number, and no number had more calls than `maxAttempts`.
 */
export async function expectCallsAccountedFor(
  pg: Client,
  sim: SimulatorHandle,
  maxAttempts: number,
): Promise<{ problems: string[] }> {
  const { rows } = await pg.query(
    `SELECT a.call_id, a.to_number, l.phone FROM call_attempts a JOIN leads l ON l.id = a.lead_id
      WHERE a.call_id IS NOT NULL`,
  );
  const byCall = new Map<string, { to_number: string; phone: string }[]>();
  for (const r of rows) byCall.set(r.call_id, [...(byCall.get(r.call_id) ?? []), r]);
  const problems: string[] = [];
  const perNumber = new Map<string, number>();
  for (const call of sim.calls()) {
    perNumber.set(call.to_number, (perNumber.get(call.to_number) ?? 0) + 1);
    const recorded = byCall.get(call.id) ?? [];
    if (recorded.length !== 1)
      problems.push(`call ${call.id} recorded on ${recorded.length} attempts`);
    else if (recorded[0].phone !== call.to_number)
      problems.push(`call ${call.id} recorded on another lead`);
  }
  for (const [n, count] of perNumber) {
    if (count > maxAttempts) problems.push(`${n} called ${count} times (max ${maxAttempts})`);
  }
  return { problems };
}
