import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { startService } from '../../src/app.factory';
import { CampaignLifecycle } from '../../src/campaigns/campaign-lifecycle.service';
import type { WorkerTuning } from '../../src/core/runtime';
import { FakeClock } from '../kit/clock';
import { ScheduleRunner } from '../../src/scheduling/schedule-runner.service';
import { testRuntime } from '../kit/app';
import { CampaignKit, minimalCampaign, startCampaignKit } from '../campaigns/support/campaign-kit';
import { insertLeads } from '../kit/factories';

/** Loops that never tick on their own during a test: the test calls tick() itself. */
const IDLE: Partial<WorkerTuning> = {
  scheduleIntervalMs: 3_600_000,
  pollIntervalMs: 3_600_000,
  dialIntervalMs: 3_600_000,
};

const clock = new FakeClock('2026-11-18T12:00:00Z');
let kit: CampaignKit;
let workers: INestApplicationContext[] = [];
let runners: ScheduleRunner[] = [];

async function startWorker(worker: Partial<WorkerTuning>): Promise<INestApplicationContext> {
  const { app: ctx } = await startService(
    testRuntime({
      databaseUrl: kit.db.url,
      platformUrl: kit.sim.url,
      platformKey: kit.sim.apiKey,
      env: { APP_ROLE: 'worker' },
      clock,
      worker,
    }),
  );
  workers.push(ctx);
  return ctx;
}

beforeAll(async () => {
  kit = await startCampaignKit({ clock });
  for (let i = 0; i < 2; i++) runners.push((await startWorker(IDLE)).get(ScheduleRunner));
});

afterAll(async () => {
  for (const w of workers) await w.close();
  workers = [];
  runners = [];
  await kit?.close();
});

/** A scheduled campaign with one lead that is not due before next year (so no run dials it). */
async function scheduled(cron: string, timezone: string): Promise<string> {
  const res = await kit
    .api()
    .post('/v1/campaigns', minimalCampaign({ schedule: { cron }, timezone }));
  await insertLeads(kit.sql, res.body.id, [
    { status: 'pending', nextAttemptAt: new Date('2027-06-01T00:00:00Z') },
  ]);
  expect((await kit.api().post(`/v1/campaigns/${res.body.id}/start`)).body.status).toBe(
    'scheduled',
  );
  return res.body.id;
}

async function runs(id: string): Promise<string[]> {
  const { rows } = await kit.sql.query(
    'SELECT run_at FROM schedule_runs WHERE campaign_id = $1 ORDER BY run_at',
    [id],
  );
  return rows.map((r) => (r.run_at as Date).toISOString());
}

const status = async (id: string) => (await kit.api().get(`/v1/campaigns/${id}`)).body.status;

/** Both instances look for due runs at the same moment, twice. */
async function tickEverywhere(): Promise<number> {
  const started = await Promise.all([...runners, ...runners].map((r) => r.tick()));
  return started.reduce((a, b) => a + b, 0);
}

async function endRun(id: string): Promise<void> {
  expect(await kit.app.get(CampaignLifecycle).settle(id)).toBe('scheduled');
}

async function cancel(...ids: string[]): Promise<void> {
  for (const id of ids) await kit.api().post(`/v1/campaigns/${id}/cancel`);
}

describe('ScheduleRunner', () => {
  it('fires a due run exactly once across two instances, never before its time, in the campaign’s zone', async () => {
    clock.set('2026-11-18T17:00:00Z'); // Wednesday 18:00 in Paris
    const id = await scheduled('0 19 * * *', 'Europe/Paris');
    expect((await kit.api().get(`/v1/campaigns/${id}`)).body.next_run_at).toBe(
      '2026-11-18T18:00:00.000Z',
    );

    clock.set('2026-11-18T17:59:59Z');
    await tickEverywhere();
    expect(await runs(id)).toEqual([]);
    expect(await status(id)).toBe('scheduled');

    clock.set('2026-11-18T18:00:05Z');
    expect(await tickEverywhere()).toBe(1);
    expect(await runs(id)).toEqual(['2026-11-18T18:00:00.000Z']);
    expect(await status(id)).toBe('running');
    await tickEverywhere();
    expect(await runs(id)).toHaveLength(1);

    // The run ends (nothing due now); the same fire never starts it again, the next one does.
    await endRun(id);
    clock.set('2026-11-18T18:30:00Z');
    await tickEverywhere();
    expect(await runs(id)).toHaveLength(1);
    expect((await kit.api().get(`/v1/campaigns/${id}`)).body.next_run_at).toBe(
      '2026-11-19T18:00:00.000Z',
    );
    clock.set('2026-11-19T18:00:01Z');
    await tickEverywhere();
    expect(await runs(id)).toEqual(['2026-11-18T18:00:00.000Z', '2026-11-19T18:00:00.000Z']);
    await cancel(id);
  });

  it('moves with DST: 19:00 in Paris is 18:00 UTC on Saturday and 17:00 UTC on Sunday', async () => {
    clock.set('2026-03-28T12:00:00Z');
    const id = await scheduled('0 19 * * *', 'Europe/Paris');
    clock.set('2026-03-28T17:30:00Z'); // 18:30 CET
    await tickEverywhere();
    expect(await runs(id)).toEqual([]);
    clock.set('2026-03-28T18:00:02Z');
    await tickEverywhere();
    await endRun(id);
    clock.set('2026-03-29T16:59:00Z'); // 18:59 CEST
    await tickEverywhere();
    clock.set('2026-03-29T17:00:02Z');
    await tickEverywhere();
    expect(await runs(id)).toEqual(['2026-03-28T18:00:00.000Z', '2026-03-29T17:00:00.000Z']);
    await cancel(id);
  });

  it('runs a fire missed while every instance was down once, if under 6 hours old', async () => {
    clock.set('2026-11-20T10:00:00Z');
    const recent = await scheduled('0 12 * * *', 'UTC');
    const stale = await scheduled('0 11 * * *', 'UTC');
    clock.set('2026-11-20T17:30:00Z'); // 5.5 h after noon, 6.5 h after 11:00
    await tickEverywhere();
    expect(await runs(recent)).toEqual(['2026-11-20T12:00:00.000Z']);
    expect(await runs(stale)).toEqual([]);
    clock.set('2026-11-21T11:00:01Z');
    await tickEverywhere();
    expect(await runs(stale)).toEqual(['2026-11-21T11:00:00.000Z']);
    await cancel(recent, stale);
  });

  it('never runs fires from before the start, or from while it was paused', async () => {
    clock.set('2026-11-23T18:30:00Z'); // Monday 19:30 in Paris: today's 19:00 has passed
    const id = await scheduled('0 19 * * *', 'Europe/Paris');
    await tickEverywhere();
    expect(await runs(id)).toEqual([]);

    clock.set('2026-11-24T17:00:00Z');
    await kit.api().post(`/v1/campaigns/${id}/pause`);
    clock.set('2026-11-24T18:00:05Z');
    await tickEverywhere();
    expect(await status(id)).toBe('paused');
    clock.set('2026-11-24T18:10:00Z');
    expect((await kit.api().post(`/v1/campaigns/${id}/resume`)).body.status).toBe('scheduled');
    await tickEverywhere();
    expect(await runs(id)).toEqual([]);

    // A new cron does not fire at once for a time it already passed either.
    clock.set('2026-11-24T20:00:00Z');
    await kit.api().patch(`/v1/campaigns/${id}`, { schedule: { cron: '0 12 * * *' } });
    await tickEverywhere();
    expect(await runs(id)).toEqual([]);
    clock.set('2026-11-25T11:00:01Z');
    await tickEverywhere();
    expect(await runs(id)).toEqual(['2026-11-25T11:00:00.000Z']);
    await cancel(id);
  });
});

describe('worker loops', () => {
  it('start runs and settle campaigns by themselves in the worker role', async () => {
    clock.set('2026-11-26T09:00:00Z');
    const id = await scheduled('0 10 * * *', 'UTC');
    const manual = (await kit.api().post('/v1/campaigns', minimalCampaign())).body.id;
    await insertLeads(kit.sql, manual, [{ status: 'pending' }]);
    await kit.api().post(`/v1/campaigns/${manual}/start`);
    await kit.sql.query(`UPDATE leads SET status = 'completed' WHERE campaign_id = $1`, [manual]);

    clock.set('2026-11-26T10:00:01Z');
    const busy = await startWorker({ ...IDLE, scheduleIntervalMs: 20, pollIntervalMs: 20 });
    const settled = async () =>
      (await runs(id)).length === 1 &&
      (await status(id)) === 'scheduled' &&
      (await status(manual)) === 'completed';
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await settled())) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await runs(id)).toEqual(['2026-11-26T10:00:00.000Z']);
    // The run found nothing due (the lead waits until 2027) and went back to waiting.
    expect(await status(id)).toBe('scheduled');
    expect(await status(manual)).toBe('completed');
    await busy.close();
    workers = workers.filter((w) => w !== busy);
    await cancel(id);
  });
});
