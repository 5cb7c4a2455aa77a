import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RetentionService } from '../../src/retention/retention.service';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { startTestApp } from '../kit/app';
import { insertCampaign, salonAnswers, seedLead } from '../reports/seed';

const RULES = { match: 'all', rules: [{ question: 'interested', equals: true }] };
const DAY = 24 * 3600_000;

describe('DATA_RETENTION_DAYS: lead data of long-finished campaigns purged once, figures kept', () => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two instances: the purge must happen once, whichever runs it.
    for (let i = 0; i < 2; i++)
      apps.push(
        await startTestApp({
          databaseUrl: database.url,
          platformUrl: 'http://127.0.0.1:9/v1',
          platformKey: 'unused-platform-key',
          env: { APP_ROLE: 'api', DATA_RETENTION_DAYS: '30' },
        }),
      );
    db = apps[0].get(DataSource);
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await database?.drop();
  });

  const campaign = async (name: string, status: string, finishedDaysAgo: number | null) => {
    const c = await insertCampaign(db, {
      name,
      qualification: RULES,
      webhook_url: 'https://crm.example.com/a',
      webhook_secret: 'whsec_x',
      status,
    });
    await db.query(`UPDATE campaigns SET completed_at = $2 WHERE id = $1`, [
      c.id,
      finishedDaysAgo === null ? null : new Date(Date.now() - finishedDaysAgo * DAY),
    ]);
    for (let i = 0; i < 3; i++)
      await seedLead(apps[0], c, {
        phone: `+3361234${name.charCodeAt(0)}${i}0`.slice(0, 12),
        variables: { prenom: 'Zoé' },
        status: 'completed',
        attempts: [
          {
            outcome: 'completed',
            cost: 0.2,
            duration: 60,
            answers: salonAnswers({ interested: i > 0, nb_employes: 4 }),
          },
        ],
      });
    return c;
  };
  const figures = (id: string) =>
    db.query(
      `SELECT count(*)::int AS leads, count(*) FILTER (WHERE qualified)::int AS qualified, sum(attempts)::int AS attempts,
              (SELECT sum(cost)::float FROM call_attempts WHERE campaign_id = $1) AS cost, array_agg(phone ORDER BY phone) AS phones
         FROM leads WHERE campaign_id = $1`,
      [id],
    );

  it('purges variables and answers of campaigns finished over 30 days ago, once, audited as system', async () => {
    const old = await campaign('Old', 'completed', 40);
    const cancelled = await campaign('Cancelled', 'cancelled', 31);
    const recent = await campaign('Recent', 'completed', 10);
    const running = await campaign('Running', 'running', null);
    const before = await figures(old.id);

    const counts = await Promise.all(apps.map((a) => a.get(RetentionService).purgeExpired()));
    expect(counts[0] + counts[1]).toBe(2);
    expect(await apps[0].get(RetentionService).purgeExpired()).toBe(0);

    for (const c of [old, cancelled]) {
      const leads = await db.query(`SELECT variables, answers FROM leads WHERE campaign_id = $1`, [
        c.id,
      ]);
      expect(
        leads.every(
          (l: { variables: object; answers: unknown }) =>
            Object.keys(l.variables).length === 0 && l.answers === null,
        ),
      ).toBe(true);
      const text = JSON.stringify(
        await db.query(
          `SELECT (SELECT json_agg(a) FROM call_attempts a WHERE campaign_id = $1) AS a,
                  (SELECT json_agg(w) FROM webhook_events w WHERE campaign_id = $1) AS w`,
          [c.id],
        ),
      );
      expect(text).not.toContain('Zoé');
      expect(text).not.toContain('nb_employes');
    }
    expect(await figures(old.id)).toEqual(before);
    for (const c of [recent, running]) {
      const leads = await db.query(`SELECT variables FROM leads WHERE campaign_id = $1`, [c.id]);
      expect(leads.every((l: { variables: object }) => Object.keys(l.variables).length === 1)).toBe(
        true,
      );
    }
    const audits = await db.query(
      `SELECT * FROM audit_events WHERE action = 'retention.purge' ORDER BY id`,
    );
    expect(audits.map((a: { target_id: string }) => a.target_id).sort()).toEqual(
      [old.id, cancelled.id].sort(),
    );
    expect(audits[0]).toMatchObject({
      key_id: null,
      key_name: 'system',
      role: 'system',
      target_type: 'campaign',
    });
    expect(audits[0].summary).toMatchObject({ retention_days: 30, leads: 3 });
  });
});
