import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { createKey } from '../access/support';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { startTestApp } from '../kit/app';
import { insertCampaign, salonAnswers, seedLead } from '../reports/seed';

const PERSON = '+33612345601';
const OTHER = '+33612345602';
const RULES = { match: 'all', rules: [{ question: 'interested', equals: true }] };

/** Every row of the tables that may hold personal data, as one text. */
const EVERYTHING = `SELECT concat_ws('|',
  (SELECT string_agg(l::text, '|') FROM leads l), (SELECT string_agg(a::text, '|') FROM call_attempts a),
  (SELECT string_agg(w::text, '|') FROM webhook_events w)) AS text`;

describe('privacy: right of access and erasure', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: DataSource;
  let dpo: string;
  let viewer: string;
  let a: Campaign;
  let b: Campaign;
  const api = () => request(app.getHttpServer());

  const person = (c: Campaign, phone: string, prenom: string) =>
    seedLead(app, c, {
      phone,
      variables: { prenom, ville: 'Lyon' },
      status: 'completed',
      attempts: [
        { outcome: 'missed' },
        {
          outcome: 'completed',
          cost: 0.2,
          duration: 95,
          answers: salonAnswers({ interested: true, nb_employes: 4 }),
        },
      ],
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      env: { APP_ROLE: 'api' }, // no delivery: the CRM events stay pending
    });
    db = app.get(DataSource);
    dpo = (await createKey(() => api(), 'compliance', { name: 'DPO' })).key;
    viewer = (await createKey(() => api(), 'viewer')).key;
    a = await insertCampaign(db, {
      name: 'A',
      qualification: RULES,
      webhook_url: 'https://crm.example.com/a',
      webhook_secret: 'whsec_x',
      status: 'completed',
    });
    b = await insertCampaign(db, {
      name: 'B',
      qualification: RULES,
      webhook_url: 'https://crm.example.com/b',
      webhook_secret: 'whsec_x',
      status: 'completed',
    });
    await person(a, PERSON, 'Zoé');
    await person(b, PERSON, 'Zoé');
    await person(a, OTHER, 'Marc');
    // One of the person's events was delivered already: its stored copy must go too.
    await db.query(
      `UPDATE webhook_events SET status = 'delivered', delivered_at = now()
        WHERE campaign_id = $1 AND lead_id = (SELECT id FROM leads WHERE phone = $2 AND campaign_id = $1)`,
      [b.id, PERSON],
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('exports everything held about the number, and audits the request', async () => {
    const res = await api()
      .get('/v1/privacy/export')
      .query({ phone: PERSON })
      .set('X-Api-Key', dpo)
      .expect(200);
    expect(res.body.phone).toBe(PERSON);
    expect(res.body.do_not_call).toBeNull();
    expect(res.body.leads).toHaveLength(2);
    expect(res.body.leads[0]).toMatchObject({
      variables: { prenom: 'Zoé', ville: 'Lyon' },
      qualified: true,
    });
    expect(res.body.leads[0].answers).toMatchObject({ interested: true });
    expect(res.body.leads[0].calls).toHaveLength(2);
    expect(res.body.webhook_events).toHaveLength(2);
    expect(JSON.stringify(res.body)).not.toContain('Marc');
    const [audit] = await db.query(`SELECT * FROM audit_events WHERE action = 'privacy.export'`);
    expect(audit).toMatchObject({ target_id: PERSON, role: 'compliance', key_name: 'DPO' });
    await api()
      .get('/v1/privacy/export')
      .query({ phone: 'not a phone' })
      .set('X-Api-Key', dpo)
      .expect(400);
  });

  it('refuses to erase while a call to the number is live, changing nothing', async () => {
    const [lead] = await db.query(`SELECT id FROM leads WHERE phone = $1 AND campaign_id = $2`, [
      PERSON,
      a.id,
    ]);
    await db.query(
      `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state, requested_at)
       SELECT id, campaign_id, 9, $2, '+33912345678', phone, 'live', now() FROM leads WHERE id = $1`,
      [lead.id, a.agentId],
    );
    const before = (await db.query(EVERYTHING))[0].text;
    const audits = (await db.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n;
    await api().post('/v1/privacy/erase').set('X-Api-Key', dpo).send({ phone: PERSON }).expect(409);
    expect((await db.query(EVERYTHING))[0].text).toBe(before);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n).toBe(audits);
    expect(await db.query(`SELECT 1 FROM suppressions`)).toEqual([]);
    await db.query(`DELETE FROM call_attempts WHERE attempt_number = 9`);
  });

  it('erases the person everywhere, keeps a do-not-call entry and the campaign totals', async () => {
    const totals = async () =>
      db.query(`SELECT campaign_id, count(*)::int AS leads, count(*) FILTER (WHERE qualified)::int AS qualified,
                       sum(attempts)::int AS attempts FROM leads GROUP BY campaign_id ORDER BY campaign_id`);
    const before = await totals();
    await api()
      .post('/v1/privacy/erase')
      .set('X-Api-Key', viewer)
      .send({ phone: PERSON })
      .expect(403);
    const res = await api()
      .post('/v1/privacy/erase')
      .set('X-Api-Key', dpo)
      .send({ phone: PERSON })
      .expect(200);
    expect(res.body).toEqual({
      phone: PERSON,
      leads_erased: 2,
      campaigns: 2,
      call_attempts_erased: 4,
      webhook_events_removed: 1,
      webhook_events_emptied: 1,
      test_calls_erased: 0,
      rejected_rows_removed: 0,
      do_not_call: 'added',
    });
    const text = (await db.query(EVERYTHING))[0].text as string;
    expect(text).not.toContain(PERSON);
    expect(text).not.toContain('Zoé');
    expect(text).toContain(OTHER); // someone else's data stays
    expect(text).toContain('Marc');
    expect(await totals()).toEqual(before);
    expect(await db.query(`SELECT phone, reason FROM suppressions`)).toEqual([
      { phone: PERSON, reason: 'erased' },
    ]);

    const report = await api()
      .get(`/v1/campaigns/${a.id}/report.csv`)
      .set('X-Api-Key', viewer)
      .expect(200);
    expect(report.text).not.toContain('612345601');
    expect(report.text).not.toContain('Zoé');
    expect(report.text).toContain('612345602');

    const audits = await db.query(`SELECT * FROM audit_events WHERE action = 'privacy.erase'`);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      target_type: 'phone',
      target_id: PERSON,
      role: 'compliance',
    });
    expect(JSON.stringify(audits[0].summary)).not.toContain('Zoé');

    const after = await api()
      .get('/v1/privacy/export')
      .query({ phone: PERSON })
      .set('X-Api-Key', dpo)
      .expect(200);
    expect(after.body).toMatchObject({
      leads: [],
      webhook_events: [],
      do_not_call: { reason: 'erased' },
    });
    const again = await api()
      .post('/v1/privacy/erase')
      .set('X-Api-Key', dpo)
      .send({ phone: PERSON })
      .expect(200);
    expect(again.body).toMatchObject({ leads_erased: 0, do_not_call: 'already_listed' });
  });
});
