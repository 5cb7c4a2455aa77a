import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CampaignKit, minimalCampaign, startCampaignKit } from './support/campaign-kit';

describe('POST /v1/campaigns/{id}/clone', () => {
  let kit: CampaignKit;

  beforeAll(async () => {
    kit = await startCampaignKit();
  });

  afterAll(async () => {
    await kit?.close();
  });

  /** A campaign with one lead per status, the lead's variables and its call history. */
  async function sourceCampaign(): Promise<string> {
    const created = await kit.api().post(
      '/v1/campaigns',
      minimalCampaign({
        max_concurrent_calls: 3,
        calling_window: { days: ['mon', 'tue'], hours: [{ start: '09:30', end: '12:00' }] },
        retry: { max_attempts: 4, delay_minutes: 30 },
        default_country: 'FR',
        variables: { offre: 'Essai' },
        webhook_url: 'https://crm.example.com/hooks/leads',
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const rows: [string, string][] = [
      ['+33612340001', 'pending'],
      ['+33612340002', 'completed'],
      ['+33612340003', 'exhausted'],
      ['+33612340004', 'failed'],
      ['+33612340005', 'exhausted'],
    ];
    for (const [phone, status] of rows) {
      await kit.sql.query(
        `INSERT INTO leads (campaign_id, phone, status, attempts, variables, answers, qualified, outcome)
         VALUES ($1, $2, $3, 2, $4, '{"interested": true}', true, 'missed')`,
        [id, phone, status, JSON.stringify({ prenom: `P${phone.slice(-1)}` })],
      );
    }
    return id;
  }

  it('a draft with the same settings and no lead by default; the webhook gets a new secret', async () => {
    const source = await sourceCampaign();
    const original = (await kit.api().get(`/v1/campaigns/${source}`)).body;
    const res = await kit.api().post(`/v1/campaigns/${source}/clone`, { name: 'Relance décembre' });
    expect(res.status).toBe(201);
    const same = (c: Record<string, unknown>) => ({
      agent_id: c.agent_id,
      from_numbers: c.from_numbers,
      timezone: c.timezone,
      calling_window: c.calling_window,
      max_concurrent_calls: c.max_concurrent_calls,
      max_calls_per_minute: c.max_calls_per_minute,
      retry: c.retry,
      schedule: c.schedule,
      default_country: c.default_country,
      qualification: c.qualification,
      variables: c.variables,
      webhook_url: c.webhook_url,
    });
    expect(same(res.body)).toEqual(same(original));
    expect(res.body).toMatchObject({ name: 'Relance décembre', status: 'draft' });
    expect(res.body.id).not.toBe(source);
    expect(res.body.progress.total).toBe(0);
    expect(res.body.webhook_secret).toEqual(expect.any(String));
    const { rows } = await kit.sql.query(
      'SELECT webhook_secret FROM campaigns WHERE id = ANY($1::uuid[]) ORDER BY created_at',
      [[source, res.body.id]],
    );
    expect(rows[0].webhook_secret).not.toBe(rows[1].webhook_secret);
  });

  it('copies the leads in the statuses asked as fresh pending leads, a suppressed number suppressed', async () => {
    const source = await sourceCampaign();
    await kit.api().post('/v1/suppressions', { phones: ['+33612340005'] });
    const res = await kit.api().post(`/v1/campaigns/${source}/clone`, {
      name: 'Jamais joints',
      leads: ['exhausted', 'failed'],
    });
    expect(res.status).toBe(201);
    const { rows } = await kit.sql.query(
      `SELECT phone, status, attempts, answers, qualified, outcome, variables FROM leads WHERE campaign_id = $1 ORDER BY seq`,
      [res.body.id],
    );
    expect(rows).toEqual([
      {
        phone: '+33612340003',
        status: 'pending',
        attempts: 0,
        answers: null,
        qualified: null,
        outcome: null,
        variables: { prenom: 'P3' },
      },
      {
        phone: '+33612340004',
        status: 'pending',
        attempts: 0,
        answers: null,
        qualified: null,
        outcome: null,
        variables: { prenom: 'P4' },
      },
      {
        phone: '+33612340005',
        status: 'suppressed',
        attempts: 0,
        answers: null,
        qualified: null,
        outcome: null,
        variables: { prenom: 'P5' },
      },
    ]);
    expect(res.body.progress).toMatchObject({ total: 3, pending: 2 });
    const imports = await kit.api().get(`/v1/campaigns/${res.body.id}/imports`);
    expect(imports.body.data).toEqual([
      expect.objectContaining({
        status: 'completed',
        rows: 3,
        accepted: 2,
        suppressed: 1,
        file_name: null,
      }),
    ]);
    // The source is left as it was.
    const { rows: left } = await kit.sql.query(
      `SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1 AND attempts = 2`,
      [source],
    );
    expect(left[0].n).toBe(5);

    const all = await kit
      .api()
      .post(`/v1/campaigns/${source}/clone`, { name: 'Tout', leads: 'all' });
    expect(all.body.progress.total).toBe(5);
  });

  it('validates: name required, leads none/all/statuses; unknown campaign 404', async () => {
    const source = await sourceCampaign();
    expect((await kit.api().post(`/v1/campaigns/${source}/clone`, {})).status).toBe(400);
    const bad = await kit
      .api()
      .post(`/v1/campaigns/${source}/clone`, { name: 'x', leads: ['lost'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].message).toContain(
      'leads must be "none", "all" or a list of lead statuses',
    );
    expect(
      (await kit.api().post(`/v1/campaigns/${source}/clone`, { name: 'x', leads: [] })).status,
    ).toBe(400);
    const missing = await kit
      .api()
      .post('/v1/campaigns/00000000-0000-4000-8000-000000000000/clone', { name: 'x' });
    expect(missing.status).toBe(404);
  });
});
