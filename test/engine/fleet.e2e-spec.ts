import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import request from 'supertest';
import { runMigrations } from '../../src/database/migrate';
import { startSimulator, type SimulatorHandle } from '../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { TEST_API_KEY } from '../kit/app';
import { AGENT_ID, FAST_CALLS, FROM_NUMBERS, scenarioWith } from '../kit/simulator';
import { ALWAYS_OPEN, phones } from '../kit/factories';
import {
  allLeadsFinal,
  expectCallsAccountedFor,
  FAST_TUNING,
  leadsOf,
} from './support/engine-fixtures';
import { sleep, waitFor } from '../kit/wait';
import { buildEngineInstance, type EngineProcess, spawnEngine } from '../kit/instances';

describe('three worker instances and one API instance on one database', () => {
  let db: TestDatabase;
  let pg: Client;
  let sim: SimulatorHandle;
  let api: EngineProcess;
  const instances: EngineProcess[] = [];
  const http = () => `http://127.0.0.1:${api.port}`;

  beforeAll(async () => {
    const main = await buildEngineInstance();
    db = await createTestDatabase();
    await runMigrations(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sim = await startSimulator({
      port: 0,
      scenario: scenarioWith({ completed: 6, missed: 4 }),
      durations: FAST_CALLS,
      faults: { listLagMs: 200 },
    });
    const spawn = (role: 'api' | 'worker') =>
      spawnEngine({
        main,
        databaseUrl: db.url,
        platformUrl: sim.url,
        platformKey: sim.apiKey,
        role,
        tuning: FAST_TUNING,
      });
    for (const role of ['api', 'worker', 'worker', 'worker'] as const)
      instances.push(await spawn(role));
    await Promise.all(instances.map((p) => p.ready()));
    api = instances[0];
  }, 120_000);

  afterAll(async () => {
    for (const p of instances) p.proc.kill('SIGTERM');
    await Promise.all(instances.map((p) => p.exited()));
    await pg?.end();
    await sim?.close();
    await db?.drop();
  });

  async function campaign(
    leads: string[],
    caps: { concurrent: number; perMinute: number },
  ): Promise<string> {
    const created = await request(http())
      .post('/v1/campaigns')
      .set('X-Api-Key', TEST_API_KEY)
      .send({
        name: 'fleet',
        agent_id: AGENT_ID,
        from_numbers: FROM_NUMBERS,
        timezone: 'Europe/Paris',
        calling_window: ALWAYS_OPEN,
        // Not about the calling laws: the clock is the wall clock, at any hour.
        compliance: { rules: 'none' },
        max_concurrent_calls: caps.concurrent,
        max_calls_per_minute: caps.perMinute,
        retry: { max_attempts: 2, delay_minutes: 0, on: ['missed'] },
      })
      .expect(201);
    const id = created.body.id as string;
    const csv = ['phone', ...leads].join('\n');
    await request(http())
      .post(`/v1/campaigns/${id}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    await request(http())
      .post(`/v1/campaigns/${id}/start`)
      .set('X-Api-Key', TEST_API_KEY)
      .expect(200);
    return id;
  }

  it('holds the concurrency cap, never rings a number twice at once, and records every call once', async () => {
    const id = await campaign(phones(80, 0), { concurrent: 8, perMinute: 6000 });
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 45_000);

    expect(sim.maxLiveObserved()).toBeLessThanOrEqual(8);
    expect((await expectCallsAccountedFor(pg, sim, 2)).problems).toEqual([]);
    const byNumber = new Map<string, { start: number; end: number }[]>();
    for (const c of sim.calls()) {
      byNumber.set(c.to_number, [
        ...(byNumber.get(c.to_number) ?? []),
        { start: Date.parse(c.start_time), end: Date.parse(c.end_time ?? c.start_time) },
      ]);
    }
    for (const spans of byNumber.values()) {
      spans.sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++)
        expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
    }
    const leads = await leadsOf(pg, id);
    expect(leads.every((l) => ['completed', 'exhausted'].includes(l.status))).toBe(true);
    await waitFor('campaign completed', async () => {
      const res = await request(http()).get(`/v1/campaigns/${id}`).set('X-Api-Key', TEST_API_KEY);
      return res.body.status === 'completed';
    });
  });

  it('holds the per-minute cap across instances', async () => {
    sim.clearCalls();
    sim.resetStats();
    const id = await campaign(phones(40, 500), { concurrent: 20, perMinute: 15 });
    await waitFor('15 calls started', () => sim.calls().length >= 15);
    await sleep(2500);
    expect(sim.calls()).toHaveLength(15);
    expect(sim.maxStartsInWindow(60_000)).toBe(15);
    await request(http())
      .post(`/v1/campaigns/${id}/cancel`)
      .set('X-Api-Key', TEST_API_KEY)
      .expect(200);
  });
});
