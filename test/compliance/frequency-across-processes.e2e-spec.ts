import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { startSimulator, type SimulatorHandle } from '../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import {
  addLeads,
  ALWAYS_OPEN,
  createCampaign,
  FAST_CALLS,
  FAST_TUNING,
  phones,
  scenarioWith,
  ShiftedClock,
  waitFor,
} from '../engine/support/engine-fixtures';
import {
  buildEngineInstance,
  type EngineProcess,
  spawnEngine,
} from '../engine/support/engine-process';

const DAY = 86_400_000;
/** Wednesday 9 June 2027, 11:00 in Paris: inside the French hours, not a holiday. */
const WEDNESDAY_11_PARIS = Date.parse('2027-06-09T09:00:00Z');
const FRENCH_LAW = { rules: 'auto', contact_type: 'business' };

/**
 * France: at most 4 calls or attempts to one person in 30 rolling days, all campaigns together.
 * Each number already had 3 attempts (and a proven never-dialled one, which does not count); it is
 * a lead of two running campaigns, claimed at the same moment by two worker processes.
 */
describe('the French frequency cap across campaigns and worker processes', () => {
  let db: TestDatabase;
  let pg: Client;
  let sim: SimulatorHandle;
  let main: string;
  const clock = new ShiftedClock();
  let workers: EngineProcess[] = [];
  const numbers = phones(12, 500);
  let campaigns: string[] = [];

  const spawnWorkers = async () => {
    const offset = clock.nowMs() - Date.now();
    workers = await Promise.all(
      [0, 1].map(() =>
        spawnEngine({
          main,
          databaseUrl: db.url,
          platformUrl: sim.url,
          platformKey: sim.apiKey,
          role: 'worker',
          tuning: FAST_TUNING,
          env: { ENGINE_CLOCK_OFFSET_MS: String(offset) },
        }),
      ),
    );
    await Promise.all(workers.map((w) => w.ready()));
  };
  const stopWorkers = async () => {
    for (const w of workers) w.proc.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited()));
    workers = [];
  };
  const counted = async (phone: string) =>
    (
      await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM call_attempts
          WHERE to_number = $1 AND state <> 'not_dialled' AND requested_at > $2`,
        [phone, new Date(clock.nowMs() - 30 * DAY)],
      )
    ).rows[0].n;

  beforeAll(async () => {
    main = await buildEngineInstance();
    clock.advance(WEDNESDAY_11_PARIS - Date.now());
    db = await createTestDatabase();
    await runMigrations(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sim = await startSimulator({
      port: 0,
      scenario: scenarioWith({ missed: 1 }), // every call missed: the lead fails (no retry),
      durations: FAST_CALLS,
      now: () => clock.nowMs(),
    });
    // The history: an older campaign reached every number three times in the last 29 days.
    const old = await createCampaign(pg, { status: 'completed' });
    await addLeads(pg, old, numbers);
    await pg.query(
      `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state, requested_at)
       SELECT l.id, l.campaign_id, n, c.agent_id, c.from_numbers[1], l.phone,
              CASE WHEN n = 4 THEN 'not_dialled' ELSE 'ended' END,
              to_timestamp(($2::bigint - (ARRAY[29, 20, 10, 5])[n]::bigint * $3::bigint) / 1000.0)
         FROM leads l JOIN campaigns c ON c.id = l.campaign_id, generate_series(1, 4) n
        WHERE l.campaign_id = $1`,
      [old, WEDNESDAY_11_PARIS, DAY],
    );
    campaigns = [];
    for (const name of ['spring offer', 'summer offer']) {
      const id = await createCampaign(pg, {
        name,
        status: 'running',
        calling_window: ALWAYS_OPEN,
        compliance: FRENCH_LAW,
        max_concurrent_calls: 20,
      });
      await addLeads(pg, id, numbers);
      campaigns.push(id);
    }
    await spawnWorkers();
  }, 120_000);

  afterAll(async () => {
    await stopWorkers();
    await pg?.end();
    await sim?.close();
    await db?.drop();
  });

  it('makes the fourth attempt once per person, and holds the other campaign’s lead until day 31', async () => {
    const leads = () =>
      pg.query<{
        phone: string;
        status: string;
        status_reason: string | null;
        next_attempt_at: Date | null;
      }>(
        `SELECT phone, status, status_reason, next_attempt_at FROM leads WHERE campaign_id = ANY($1::uuid[])`,
        [campaigns],
      );
    await waitFor(
      'every number called once and its other lead held back',
      async () => {
        const rows = (await leads()).rows;
        const done = rows.filter((r) => r.status === 'failed').length;
        const held = rows.filter((r) => r.status_reason?.startsWith('frequency:')).length;
        return done === numbers.length && held === numbers.length;
      },
      30_000,
    );
    for (const phone of numbers) expect(await counted(phone)).toBe(4);
    const held = (await leads()).rows.filter((r) => r.status === 'pending');
    expect(held).toHaveLength(numbers.length);
    // 30 days after the oldest attempt (29 days ago): tomorrow at the same time, inside the window.
    for (const lead of held) {
      expect(lead.next_attempt_at?.toISOString()).toBe(
        new Date(WEDNESDAY_11_PARIS + DAY).toISOString(),
      );
      expect(lead.status_reason).toBe(
        `frequency: 4 contacts in 30 days (FR-frequency), next ${new Date(WEDNESDAY_11_PARIS + DAY).toISOString()}`,
      );
    }

    // Day 31 of the oldest attempt: the held leads are called.
    await stopWorkers();
    clock.advance(DAY + 60_000);
    await spawnWorkers();
    await waitFor(
      'the held leads called',
      async () => (await leads()).rows.every((r) => r.status === 'failed'),
      30_000,
    );
    for (const phone of numbers) expect(await counted(phone)).toBe(4);
  }, 120_000);
});
