import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { foldCounters } from '../../src/campaigns/campaign-counters';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { runMigrations } from '../../src/database/migrate';
import { CampaignCounters1763772200000 } from '../../migrations/1763772200000-CampaignCounters';
import { AnswerCounters1763772210000 } from '../../migrations/1763772210000-AnswerCounters';
import { BudgetCounters1763773100000 } from '../../migrations/1763773100000-BudgetCounters';
import { CounterTriggersFastPath1763773300000 } from '../../migrations/1763773300000-CounterTriggersFastPath';
import { RetentionService } from '../../src/retention/retention.service';
import { startSimulator, type SimulatorHandle } from '../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, TEST_API_KEY } from '../helpers/test-app';
import {
  addLeads,
  allLeadsFinal,
  createCampaign,
  FAST_CALLS,
  FAST_TUNING,
  phones,
  scenarioWith,
  setCampaignStatus,
  waitFor,
} from '../engine/support/engine-fixtures';
import {
  buildEngineInstance,
  type EngineProcess,
  spawnEngine,
} from '../engine/support/engine-process';
import { insertCampaign, salonAnswers, seedLead } from '../reports/seed';
import { auditCounters } from './support/counter-audit';
import { AGENT_ID, FROM } from './support/campaign-kit';

const DAY = 24 * 3600_000;
const RULES = { match: 'all', rules: [{ question: 'interested', equals: true }] };

const csv = (numbers: string[]) =>
  ['phone,prenom', ...numbers.map((p, i) => `${p},Lead ${i}`)].join('\n');

describe('campaign counters equal a full count after every change to leads and attempts', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: DataSource;
  let pg: Client;
  const api = () => ({
    get: (path: string) => request(app.getHttpServer()).get(path).set('X-Api-Key', TEST_API_KEY),
    post: (path: string) => request(app.getHttpServer()).post(path).set('X-Api-Key', TEST_API_KEY),
    delete: (path: string) =>
      request(app.getHttpServer()).delete(path).set('X-Api-Key', TEST_API_KEY),
  });
  const expectExact = async (campaignId: string) => {
    const { counted, full } = await auditCounters(pg, campaignId);
    expect(counted).toEqual(full);
    return full;
  };
  const newCampaign = async (name: string) =>
    (
      await api()
        .post('/v1/campaigns')
        .send({ name, agent_id: AGENT_ID, from_numbers: [FROM] })
        .expect(201)
    ).body.id as string;
  const importCsv = (campaignId: string, numbers: string[]) =>
    api()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('Content-Type', 'text/csv')
      .send(csv(numbers));
  // A campaign that was dialled: completed (qualified or not), missed then completed, exhausted.
  const dialledCampaign = async (name: string, base: number): Promise<Campaign> => {
    const c = await insertCampaign(db, { name, qualification: RULES, status: 'completed' });
    for (let i = 0; i < 6; i++) {
      const phone = `+3361${String(base + i).padStart(7, '0')}`;
      const completed = {
        outcome: 'completed' as const,
        cost: 0.25,
        duration: 61.5,
        answers: salonAnswers({ interested: i % 2 === 0, nb_employes: 3 }),
      };
      const missed = { outcome: 'missed' as const, cost: 0.01, duration: 0 };
      await seedLead(app, c, {
        phone,
        status: i < 4 ? 'completed' : 'exhausted',
        attempts:
          i < 2
            ? [completed]
            : i < 4
              ? [missed, completed]
              : [missed, { outcome: 'not_dialled' }, missed],
      });
    }
    return c;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      env: { APP_ROLE: 'api', DATA_RETENTION_DAYS: '30' },
    });
    db = app.get(DataSource);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await database?.drop();
  });

  it('counts two concurrent imports into one campaign, and two into two campaigns', async () => {
    const one = await newCampaign('one');
    const [a, b] = await Promise.all([
      importCsv(one, phones(300, 0)),
      importCsv(one, phones(300, 200)),
    ]);
    // One import at a time per campaign: the other waits its turn or is refused, never half counted.
    expect([a.status, b.status].sort()).toEqual(a.status === b.status ? [201, 201] : [201, 409]);
    const full = await expectExact(one);
    expect(full.by_status.pending).toBe(a.status === b.status ? 500 : 300);

    const [two, three] = [await newCampaign('two'), await newCampaign('three')];
    const both = await Promise.all([
      importCsv(two, phones(250, 1000)),
      importCsv(three, phones(250, 1000)),
    ]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect((await expectExact(two)).by_status).toEqual({ pending: 250 });
    expect((await expectExact(three)).by_status).toEqual({ pending: 250 });
    const shown = await api().get(`/v1/campaigns/${two}`).expect(200);
    expect(shown.body.progress).toMatchObject({ total: 250, pending: 250, final: 0 });
  });

  it('counts attempts, costs, verdicts and per-lead outcomes of a dialled campaign', async () => {
    const c = await dialledCampaign('dialled', 5000);
    const full = await expectExact(c.id);
    expect(full).toMatchObject({
      by_status: { completed: 4, exhausted: 2 },
      dialled: 6,
      reached: 4,
      qualified: 2,
      not_qualified: 2,
      by_last_outcome: { completed: 4, missed: 2 },
      calls_by_outcome: { completed: 4, missed: 6 },
      cost: 1.06,
      duration: 246,
      // The budget cap's figures: the ten calls ended with a cost, none holding a slot.
      spent: 1.06,
      priced_calls: 10,
      live_calls: 0,
    });
    const report = await api().get(`/v1/campaigns/${c.id}/report`).expect(200);
    expect(report.body.summary).toMatchObject({
      leads: 6,
      dialled: 6,
      reached: 4,
      total_cost: 1.06,
    });
  });

  it('stays exact through suppressions, lead deletes and a privacy erasure', async () => {
    const c = await newCampaign('suppress');
    await importCsv(c, phones(40, 2000)).expect(201);
    await api()
      .post('/v1/suppressions')
      .send({ phones: phones(5, 2000) })
      .expect(201);
    expect((await expectExact(c)).by_status).toEqual({ pending: 35, suppressed: 5 });

    const dialled = await dialledCampaign('deletes', 6000);
    await pg.query(
      `DELETE FROM leads WHERE id IN (SELECT id FROM leads WHERE campaign_id = $1 ORDER BY seq LIMIT 3 OFFSET 1)`,
      [dialled.id],
    );
    expect((await expectExact(dialled.id)).dialled).toBe(3);

    const [{ phone }] = (
      await pg.query(`SELECT phone FROM leads WHERE campaign_id = $1 ORDER BY seq LIMIT 1`, [
        dialled.id,
      ])
    ).rows;
    await api().post('/v1/privacy/erase').send({ phone }).expect(200);
    expect((await expectExact(dialled.id)).by_status).toEqual({ completed: 1, exhausted: 2 });
  });

  it('stays exact through the retention purge and a clone, and a deleted campaign leaves no counters', async () => {
    const old = await dialledCampaign('old', 7000);
    await pg.query(`UPDATE campaigns SET completed_at = $2 WHERE id = $1`, [
      old.id,
      new Date(Date.now() - 40 * DAY),
    ]);
    const before = await expectExact(old.id);
    expect(before.answers.answers).toBe(4);
    expect(await app.get(RetentionService).purgeExpired()).toBeGreaterThan(0);
    // The answers are purged; statuses, verdicts, calls and costs stay.
    const purged = await expectExact(old.id);
    expect(purged).toEqual({ ...before, answers: {} });

    const clone = await api()
      .post(`/v1/campaigns/${old.id}/clone`)
      .send({ name: 'again', leads: 'all' })
      .expect(201);
    expect((await expectExact(clone.body.id)).by_status).toEqual({ pending: 6 });
    expect(await expectExact(old.id)).toEqual(purged);

    await api().delete(`/v1/campaigns/${clone.body.id}`).expect(204);
    await api().delete(`/v1/campaigns/${old.id}`).expect(204);
    const left = await pg.query(
      `SELECT count(*)::int AS n FROM campaign_counters WHERE campaign_id = ANY($1)`,
      [[old.id, clone.body.id]],
    );
    expect(left.rows[0].n).toBe(0);
  });

  it('folds the delta rows into one per figure, the figures unchanged, whichever folders run', async () => {
    const ids: string[] = (await pg.query(`SELECT id FROM campaigns`)).rows.map((r) => r.id);
    const audit = async () => {
      const out = [];
      for (const id of ids) out.push(await auditCounters(pg, id));
      return out;
    };
    const before = await audit();
    const rowsBefore = (await pg.query(`SELECT count(*)::int AS n FROM campaign_counters`)).rows[0]
      .n;
    // Two folders at once (as two instances would): each row is folded once.
    await Promise.all([foldCounters(db), foldCounters(db)]);
    const after = await audit();
    expect(after).toEqual(before);
    for (const a of after) expect(a.counted).toEqual(a.full);
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n, count(DISTINCT (campaign_id, key))::int AS keys FROM campaign_counters`,
    );
    expect(rows[0].n).toBe(rows[0].keys);
    expect(rows[0].n).toBeLessThan(rowsBefore);
  });

  it('backfills the counters of existing campaigns when the migration runs on a filled database', async () => {
    const [counters, answers, budget, fastPath] = [
      new CampaignCounters1763772200000(),
      new AnswerCounters1763772210000(),
      new BudgetCounters1763773100000(),
      new CounterTriggersFastPath1763773300000(),
    ];
    const runner = db.createQueryRunner();
    try {
      await fastPath.down(runner);
      await budget.down(runner);
      await answers.down(runner);
      await counters.down(runner);
      // Written with no trigger in place: only the backfill can count these.
      const c = await dialledCampaign('before the migration', 8000);
      await addLeads(pg, c.id, phones(30, 8100));
      await counters.up(runner);
      await answers.up(runner);
      await budget.up(runner);
      await fastPath.up(runner);
    } finally {
      await runner.release();
    }
    const ids: string[] = (await pg.query(`SELECT id FROM campaigns ORDER BY created_at`)).rows.map(
      (r) => r.id,
    );
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) {
      const { counted, full } = await auditCounters(pg, id);
      expect(counted).toEqual(full);
    }
  });
});

describe('campaign counters equal a full count while two instances dial, one is killed -9', () => {
  let database: TestDatabase;
  let pg: Client;
  let sim: SimulatorHandle;
  let main: string;
  const running: EngineProcess[] = [];
  const TUNING = { ...FAST_TUNING, leaseMs: 1000, reconcileGraceMs: 1500 };

  const spawn = async () => {
    const p = await spawnEngine({
      main,
      databaseUrl: database.url,
      platformUrl: sim.url,
      platformKey: sim.apiKey,
      role: 'all',
      tuning: TUNING,
    });
    running.push(p);
    await p.ready();
    return p;
  };

  beforeAll(async () => {
    main = await buildEngineInstance();
    database = await createTestDatabase();
    await runMigrations(database.url);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
    sim = await startSimulator({
      port: 0,
      scenario: scenarioWith({ completed: 5, missed: 3, failed: 2 }),
      durations: { ...FAST_CALLS, talkMaxMs: 1200 },
      faults: { errorRate: 0.03, postErrorCreatesCallRate: 0.5 },
    });
  }, 120_000);
  afterAll(async () => {
    for (const p of running) p.proc.kill('SIGKILL');
    await pg?.end();
    await sim?.close();
    await database?.drop();
  });

  it('matches mid-run and at the end, through the kill, the restart and the retries', async () => {
    const ids = await Promise.all(
      [0, 1].map(() =>
        createCampaign(pg, {
          max_concurrent_calls: 5,
          max_calls_per_minute: 6000,
          retry: { max_attempts: 2, delay_minutes: 0, on: ['missed', 'failed'] },
        }),
      ),
    );
    await addLeads(pg, ids[0], phones(40, 0));
    await addLeads(pg, ids[1], phones(40, 100));
    for (const id of ids) await setCampaignStatus(pg, id, 'running');

    const [first] = await Promise.all([spawn(), spawn()]);
    await waitFor('calls under way', () => sim.calls().length >= 20, 30_000);
    for (const id of ids) {
      const { counted, full } = await auditCounters(pg, id);
      expect(counted).toEqual(full);
    }
    first.proc.kill('SIGKILL');
    await first.exited();
    await spawn();

    for (const id of ids) await waitFor('every lead final', () => allLeadsFinal(pg, id), 60_000);
    await waitFor(
      'no slot held',
      async () =>
        (
          await pg.query(
            `SELECT 1 FROM call_attempts WHERE state IN ('starting', 'ambiguous', 'live')`,
          )
        ).rowCount === 0,
      30_000,
    );
    for (const id of ids) {
      const { counted, full } = await auditCounters(pg, id);
      expect(counted).toEqual(full);
      expect(full.dialled).toBeGreaterThan(0);
      expect(Object.values(full.by_status).reduce((n, v) => n + v, 0)).toBe(40);
    }
  }, 180_000);
});
