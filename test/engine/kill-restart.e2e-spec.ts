import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { startSimulator, type SimulatorHandle } from '../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { runMigrations } from '../../src/database/migrate';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import {
  allLeadsFinal,
  createCampaign,
  expectCallsAccountedFor,
  FAST_TUNING,
  leadsOf,
} from './support/engine-fixtures';
import { FAST_CALLS, scenarioWith } from '../kit/simulator';
import { waitFor } from '../kit/wait';
import { buildEngineInstance, type EngineProcess, spawnEngine } from '../kit/instances';

const TUNING = { ...FAST_TUNING, leaseMs: 1000, reconcileGraceMs: 1500 };
const MAX_ATTEMPTS = 2;
const CAP = 6;

describe('kill -9 of the service mid-campaign, platform faults and dropped connections, then a restart', () => {
  let db: TestDatabase;
  let pg: Client;
  let sim: SimulatorHandle;
  let main: string;
  const running: EngineProcess[] = [];

  const spawn = async (env: Record<string, string> = {}) => {
    const p = await spawnEngine({
      main,
      databaseUrl: db.url,
      platformUrl: sim.url,
      platformKey: sim.apiKey,
      role: 'all',
      tuning: TUNING,
      env,
    });
    running.push(p);
    await p.ready();
    return p;
  };

  beforeAll(async () => {
    main = await buildEngineInstance();
    db = await createTestDatabase();
    await runMigrations(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sim = await startSimulator({
      port: 0,
      scenario: scenarioWith({ completed: 5, missed: 3, failed: 2 }),
      durations: { ...FAST_CALLS, talkMaxMs: 1200 },
      // Some platform trouble too: list lag, 500s that may or may not have created the call, and
      // random 429s (Retry-After: 1) on any route.
      faults: {
        listLagMs: 300,
        errorRate: 0.03,
        postErrorCreatesCallRate: 0.5,
        rateLimitRate: 0.05,
        retryAfterSeconds: 1,
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const p of running) p.proc.kill('SIGKILL');
    await pg?.end();
    await sim?.close();
    await db?.drop();
  });

  it('ends with every lead final, no number over its attempts, and every platform call on its lead', async () => {
    const id = await createCampaign(pg, {
      max_concurrent_calls: CAP,
      max_calls_per_minute: 6000,
      retry: { max_attempts: MAX_ATTEMPTS, delay_minutes: 0, on: ['missed', 'failed'] },
    });
    await addLeads(pg, id, phones(50, 0));
    await setCampaignStatus(pg, id, 'running');

    // First instance: dies like kill -9 right after its 8th call was created, before saving its id.
    const first = await spawn({ DIALER_FAULT: 'sigkill_after_post:8' });
    expect(await first.exited()).toBeNull();
    expect(first.proc.signalCode).toBe('SIGKILL');

    // Second instance: killed -9 from outside while calls are live.
    const second = await spawn();
    const before = sim.calls().length;
    await waitFor('the second instance dialling', () => sim.calls().length >= before + 10, 20_000);
    second.proc.kill('SIGKILL');
    await second.exited();

    const unsettled = await pg.query(
      `SELECT count(*)::int AS n FROM call_attempts WHERE state IN ('starting', 'ambiguous', 'live')`,
    );
    expect(unsettled.rows[0].n).toBeGreaterThan(0);

    // Third instance finishes the campaign, though the database drops its connections once.
    await spawn();
    const third = sim.calls().length;
    await waitFor('the third instance dialling', () => sim.calls().length >= third + 5, 20_000);
    const { rows: dropped } = await pg.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(dropped[0].n).toBeGreaterThan(0);
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 40_000);

    const leads = await leadsOf(pg, id);
    expect(leads.filter((l) => !['completed', 'failed', 'exhausted'].includes(l.status))).toEqual(
      [],
    );
    expect(leads.every((l) => l.attempts >= 1 && l.attempts <= MAX_ATTEMPTS)).toBe(true);
    expect((await expectCallsAccountedFor(pg, sim, MAX_ATTEMPTS)).problems).toEqual([]);
    // Each lead's attempts counter is exactly the number of calls the platform made for it.
    const perNumber = new Map<string, number>();
    for (const c of sim.calls()) perNumber.set(c.to_number, (perNumber.get(c.to_number) ?? 0) + 1);
    expect(leads.filter((l) => (perNumber.get(l.phone) ?? 0) !== l.attempts)).toEqual([]);
    expect(sim.maxLiveObserved()).toBeLessThanOrEqual(CAP);
    const left = await pg.query(
      `SELECT count(*)::int AS n FROM call_attempts WHERE state IN ('starting', 'ambiguous', 'live')`,
    );
    expect(left.rows[0].n).toBe(0);
  });
});
