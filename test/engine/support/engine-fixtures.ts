import { afterAll, beforeAll } from '@jest/globals';
import { Client } from 'pg';
import type { RetryPolicy } from '../../../src/campaigns/campaign.entity';
import type { WorkerTuning } from '../../../src/core/runtime';
import type { SimulatorHandle, SimulatorOptions } from '../../../src/simulator';
import { ShiftedClock } from '../../kit/clock';
import { ALWAYS_OPEN, insertCampaignRow } from '../../kit/factories';
import { FAST_CALLS, FROM_NUMBERS } from '../../kit/simulator';
import { startStack, type Stack } from '../../kit/stack';

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

/** The kit's stack with the engine at test speed, its simulator on the test's shifted clock. */
export interface Engine extends Stack {
  pg: Client;
  clock: ShiftedClock;
}

export type EngineSimulator = Omit<SimulatorOptions, 'now' | 'port'>;

export async function startEngine(
  sim: EngineSimulator = {},
  tuning: Partial<WorkerTuning> = {},
  env: Record<string, string> = {},
): Promise<Engine> {
  const clock = new ShiftedClock();
  const stack = await startStack({
    clock,
    env,
    worker: { ...FAST_TUNING, ...tuning },
    simulator: { durations: FAST_CALLS, ...sim, now: () => clock.nowMs() },
  });
  return Object.assign(stack, { pg: stack.sql, clock });
}

/**
 * The engine of a describe block: started before its tests, closed after them. Call the answer
 * inside a test to reach it. `env`: the service's settings (e.g. CALLROUNDED_TERMINAL_STATUSES).
 */
export function useEngine(
  sim: EngineSimulator,
  options: { tuning?: Partial<WorkerTuning>; env?: Record<string, string> } = {},
): () => Engine {
  let engine: Engine | undefined;
  beforeAll(async () => {
    engine = await startEngine(sim, options.tuning, options.env);
  });
  afterAll(async () => {
    await engine?.close();
  });
  return () => {
    if (!engine) throw new Error('the engine of this describe block did not start');
    return engine;
  };
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
  const status = input.status ?? 'draft';
  return insertCampaignRow(pg, {
    name: input.name ?? 'engine test',
    from_numbers: input.from_numbers ?? FROM_NUMBERS.slice(0, 2),
    timezone: input.timezone ?? 'Europe/Paris',
    calling_window: input.calling_window ?? ALWAYS_OPEN,
    max_concurrent_calls: input.max_concurrent_calls ?? 10,
    max_calls_per_minute: input.max_calls_per_minute ?? 600,
    retry: input.retry ?? { max_attempts: 1, delay_minutes: 0, on: [] },
    status,
    variables: input.variables ?? {},
    questions: input.questions ?? null,
    compliance: { ...NO_LAW, ...input.compliance },
    started_at: status === 'running' ? new Date() : null,
  });
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

/** Every lead of the campaign has that status and that many attempts. */
export async function leadsAllAt(
  pg: Client,
  campaignId: string,
  status: string,
  attempts: number,
): Promise<boolean> {
  const leads = await leadsOf(pg, campaignId);
  return leads.length > 0 && leads.every((l) => l.status === status && l.attempts === attempts);
}

/**
 * Per lead waiting for a retry, the time from its last call's end to its next attempt, in ms
 * (leads in `seq` order).
 */
export async function retryDelaysOf(pg: Client, campaignId: string): Promise<number[]> {
  const { rows } = await pg.query<{ next_attempt_at: Date; finished_at: Date }>(
    `SELECT l.next_attempt_at, a.finished_at FROM leads l
       JOIN call_attempts a ON a.lead_id = l.id AND a.attempt_number = l.attempts
      WHERE l.campaign_id = $1 AND l.status = 'retry_scheduled' ORDER BY l.seq`,
    [campaignId],
  );
  return rows.map((r) => r.next_attempt_at.getTime() - r.finished_at.getTime());
}

/** The campaign's status and why it is paused. */
export async function campaignRow(pg: Client, id: string) {
  const { rows } = await pg.query(
    `SELECT status, paused_reason, paused_detail FROM campaigns WHERE id = $1`,
    [id],
  );
  return rows[0] as {
    status: string;
    paused_reason: string | null;
    paused_detail: Record<string, number> | null;
  };
}

const FINAL = ['completed', 'failed', 'exhausted', 'suppressed', 'cancelled', 'expired'];

export async function allLeadsFinal(pg: Client, campaignId: string): Promise<boolean> {
  const leads = await leadsOf(pg, campaignId);
  return leads.length > 0 && leads.every((l) => FINAL.includes(l.status));
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

// Kept for tests written against the old layout: these now live in the kit.
export { ShiftedClock } from '../../kit/clock';
export { addLeads, ALWAYS_OPEN, phones, setCampaignStatus } from '../../kit/factories';
export { AGENT_ID, FAST_CALLS, FROM_NUMBERS, scenarioWith } from '../../kit/simulator';
export { sleep, waitFor } from '../../kit/wait';
