import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKey } from '../access/support';
import { fixture, type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { SALON_AGENT_ID } from '../kit/simulator';
import { TEST_API_KEY } from '../kit/app';

interface AuditRow {
  key_id: string | null;
  key_name: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: Record<string, unknown>;
  client_address: string | null;
  request_id: string | null;
}

describe('audit trail: one row per committed change, none for a rejected one', () => {
  let env: LeadsTestEnv;
  let manager: { id: string; key: string };
  let compliance: { id: string; key: string };
  let mark: number;

  const as = (key: string) => ({
    get: (p: string) => env.http().get(p).set('X-Api-Key', key),
    post: (p: string, body?: object) => env.http().post(p).set('X-Api-Key', key).send(body),
    patch: (p: string, body: object) => env.http().patch(p).set('X-Api-Key', key).send(body),
    delete: (p: string) => env.http().delete(p).set('X-Api-Key', key),
  });
  /** Audit rows written since the test began. */
  const written = async (): Promise<AuditRow[]> =>
    (await env.pg.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id', [mark])).rows;

  beforeAll(async () => {
    // The api role: no dialler moves a campaign behind the test's back.
    env = await startLeadsEnv({ APP_ROLE: 'api' });
    manager = await createKey(env.http, 'manager', { name: 'Marketing scripts' });
    compliance = await createKey(env.http, 'compliance', { name: 'DPO' });
  });
  beforeEach(async () => {
    mark = (await env.pg.query('SELECT coalesce(max(id), 0)::int AS n FROM audit_events')).rows[0]
      .n;
  });
  afterAll(async () => env?.close());

  const newCampaign = async () =>
    (
      await as(manager.key)
        .post('/v1/campaigns', {
          name: 'Relance',
          agent_id: SALON_AGENT_ID,
          from_numbers: ['+33912345678'],
        })
        .expect(201)
    ).body.id as string;

  it('records who, what, from where and which request', async () => {
    const res = await env
      .http()
      .post('/v1/campaigns')
      .set('X-Api-Key', manager.key)
      .set('X-Request-Id', 'req-42')
      .send({
        name: 'Relance',
        agent_id: SALON_AGENT_ID,
        from_numbers: ['+33912345678'],
        webhook_url: 'https://crm.example.com/hooks/token-abc?sig=1',
      })
      .expect(201);
    expect(res.headers['x-request-id']).toBe('req-42');
    const rows = await written();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key_id: manager.id,
      key_name: 'Marketing scripts',
      role: 'manager',
      action: 'campaign.create',
      target_type: 'campaign',
      target_id: res.body.id,
      client_address: '127.0.0.1',
      request_id: 'req-42',
    });
    // No secret: neither the webhook secret nor the URL's path (tokens live there).
    const text = JSON.stringify(rows[0]);
    expect(text).not.toContain(res.body.webhook_secret);
    expect(text).not.toContain('token-abc');
  });

  it('a settings change records before → after; a rejected change writes nothing', async () => {
    const id = await newCampaign();
    mark += 1;
    await as(manager.key).patch(`/v1/campaigns/${id}`, { max_concurrent_calls: 0 }).expect(400);
    await as(manager.key)
      .patch(`/v1/campaigns/${id}`, { name: 'x'.repeat(500) })
      .expect(400);
    expect(await written()).toEqual([]);
    await as(manager.key)
      .patch(`/v1/campaigns/${id}`, { max_concurrent_calls: 3, name: 'Relance 2' })
      .expect(200);
    const rows = await written();
    expect(rows).toHaveLength(1);
    expect(rows[0].action).toBe('campaign.update');
    expect(rows[0].summary).toEqual({
      changes: {
        name: { before: 'Relance', after: 'Relance 2' },
        max_concurrent_calls: { before: 10, after: 3 },
      },
    });
  });

  it('lifecycle moves, imports and deletion: one row each, none when refused', async () => {
    const id = await newCampaign();
    mark += 1;
    await as(manager.key).post(`/v1/campaigns/${id}/start`).expect(409); // no lead yet
    await as(manager.key).post(`/v1/campaigns/${id}/pause`).expect(409);
    await env
      .http()
      .post(`/v1/campaigns/${id}/leads`)
      .set('X-Api-Key', manager.key)
      .attach('file', fixture('header-only.csv'), 'h.csv')
      .expect(400);
    expect(await written()).toEqual([]);

    await env
      .http()
      .post(`/v1/campaigns/${id}/leads`)
      .set('X-Api-Key', manager.key)
      .attach('file', fixture('phones.csv'), 'p.csv')
      .expect(201);
    await as(manager.key).post(`/v1/campaigns/${id}/start`).expect(200);
    await as(manager.key).delete(`/v1/campaigns/${id}`).expect(409); // running
    await as(manager.key).post(`/v1/campaigns/${id}/pause`).expect(200);
    await as(manager.key).post(`/v1/campaigns/${id}/resume`).expect(200);
    await as(manager.key).post(`/v1/campaigns/${id}/cancel`).expect(200);
    await as(manager.key).delete(`/v1/campaigns/${id}`).expect(204);
    const rows = await written();
    expect(rows.map((r) => r.action)).toEqual([
      'leads.import',
      'campaign.start',
      'campaign.pause',
      'campaign.resume',
      'campaign.cancel',
      'campaign.delete',
    ]);
    expect(rows.every((r) => r.target_id === id && r.key_id === manager.id)).toBe(true);
    expect(rows[1].summary).toMatchObject({ status: { before: 'draft', after: 'running' } });
    expect(rows[0].summary).toMatchObject({
      import_id: expect.any(String),
      accepted: expect.any(Number),
    });
    // Lead data stays out: no variable value of the file appears.
    expect(JSON.stringify(rows)).not.toMatch(/Zoé|Lyon/);
  });

  it('do-not-call additions and removals, and key changes', async () => {
    await as(compliance.key)
      .post('/v1/suppressions', { phones: ['+33612345678'] })
      .expect(201);
    await as(compliance.key).delete('/v1/suppressions/%2B33612345678').expect(204);
    await as(compliance.key).delete('/v1/suppressions/%2B33612345678').expect(404);
    await as(compliance.key).post('/v1/suppressions', { phones: 'nope' }).expect(400);
    const key = await createKey(env.http, 'viewer');
    await env.http().delete(`/v1/api-keys/${key.id}`).set('X-Api-Key', TEST_API_KEY).expect(204);
    const rows = await written();
    expect(rows.map((r) => [r.action, r.target_id, r.role])).toEqual([
      ['suppression.add', '+33612345678', 'compliance'],
      ['suppression.remove', '+33612345678', 'compliance'],
      ['api_key.create', key.id, 'admin'],
      ['api_key.revoke', key.id, 'admin'],
    ]);
    expect(rows[2].key_name).toBe('API_KEYS #1');
    expect(JSON.stringify(rows)).not.toContain(key.key);
  });

  it('is append-only', async () => {
    await expect(env.pg.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(env.pg.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(env.pg.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('lists events filtered by actor, action, target and time, page by page, and as CSV', async () => {
    const id = await newCampaign();
    await as(manager.key).patch(`/v1/campaigns/${id}`, { name: 'A' }).expect(200);
    await as(manager.key).patch(`/v1/campaigns/${id}`, { name: 'B' }).expect(200);
    await as(manager.key).get('/v1/audit-events').expect(403);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { action: string }[]; next_cursor: string | null } } = await as(
        compliance.key,
      )
        .get('/v1/audit-events')
        .query({ target: id, actor: 'Marketing scripts', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.data.map((e: { action: string }) => e.action));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['campaign.update', 'campaign.update', 'campaign.create']);
    const only = await as(compliance.key)
      .get('/v1/audit-events')
      .query({
        action: 'campaign.create',
        target: id,
        from: '2000-01-01T00:00:00Z',
        to: '2999-01-01T00:00:00Z',
      })
      .expect(200);
    expect(only.body.data).toHaveLength(1);
    expect(only.body.data[0].actor).toEqual({
      key_id: manager.id,
      key_name: 'Marketing scripts',
      role: 'manager',
    });
    const none = await as(compliance.key)
      .get('/v1/audit-events')
      .query({ target: id, to: '2000-01-01T00:00:00Z' })
      .expect(200);
    expect(none.body.data).toEqual([]);
    await as(compliance.key).get('/v1/audit-events').query({ from: 'yesterday' }).expect(400);

    const csv = await as(compliance.key)
      .get('/v1/audit-events.csv')
      .query({ target: id })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,at,key_id,key_name,role,action,target_type,target_id,summary,client_address,request_id',
    );
    expect(lines).toHaveLength(4);
  });
});
