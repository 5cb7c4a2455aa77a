import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AGENT_ID, OTHER_AGENT_ID, FROM_NUMBER as FROM } from '../kit/simulator';
import { CampaignKit, minimalCampaign, startCampaignKit } from './support/campaign-kit';
import { insertAttempt, insertLeads } from '../kit/factories';

let kit: CampaignKit;

beforeAll(async () => {
  kit = await startCampaignKit();
});

afterAll(async () => {
  await kit?.close();
});

const create = (extra: object = {}) => kit.api().post('/v1/campaigns', minimalCampaign(extra));

describe('POST /v1/campaigns', () => {
  it('creates a draft with documented defaults and the agent’s questions', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c).toMatchObject({
      name: 'Relance salons novembre',
      agent_id: AGENT_ID,
      from_numbers: [FROM],
      // +339… is a French number: its only zone becomes the campaign's.
      timezone: 'Europe/Paris',
      calling_window: {
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        hours: [
          { start: '10:00', end: '13:00' },
          { start: '14:00', end: '18:00' },
        ],
      },
      max_concurrent_calls: 10,
      max_calls_per_minute: 60,
      retry: { max_attempts: 3, delay_minutes: 60, on: ['missed', 'failed'] },
      schedule: null,
      default_country: null,
      qualification: null,
      variables: {},
      webhook_url: null,
      status: 'draft',
      resumes_to: null,
      started_at: null,
      completed_at: null,
      next_run_at: null,
      progress: {
        total: 0,
        pending: 0,
        in_progress: 0,
        completed: 0,
        failed: 0,
        qualified: 0,
        live_calls: 0,
      },
    });
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(c.created_at)).not.toBeNaN();
    expect(c.questions.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(['interested', 'nb_employes', 'logiciel_actuel']),
    );
    expect(c).not.toHaveProperty('webhook_secret');
  });

  it('keeps every given setting and shows the webhook secret only in that answer', async () => {
    const res = await create({
      timezone: 'america/new_york',
      calling_window: {
        days: ['sat', 'mon'],
        hours: [
          { start: '14:00', end: '24:00' },
          { start: '09:00', end: '12:00' },
        ],
      },
      max_concurrent_calls: 1000,
      max_calls_per_minute: 6000,
      retry: { max_attempts: 10, delay_minutes: 0, on: [] },
      schedule: { cron: '0 19 * * 1-5' },
      default_country: 'fr',
      qualification: {
        match: 'any',
        rules: [
          { question: 'interested', equals: true },
          { question: 'nb_employes', gte: 3 },
        ],
      },
      variables: { offre: 'Black Friday' },
      webhook_url: 'https://crm.example.com/hooks/calls',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      timezone: 'America/New_York',
      calling_window: {
        days: ['sat', 'mon'],
        hours: [
          { start: '09:00', end: '12:00' },
          { start: '14:00', end: '24:00' },
        ],
      },
      max_concurrent_calls: 1000,
      max_calls_per_minute: 6000,
      retry: { max_attempts: 10, delay_minutes: 0, on: [] },
      schedule: { cron: '0 19 * * 1-5' },
      default_country: 'FR',
      qualification: {
        match: 'any',
        rules: [
          { question: 'interested', equals: true },
          { question: 'nb_employes', gte: 3 },
        ],
      },
      variables: { offre: 'Black Friday' },
      webhook_url: 'https://crm.example.com/hooks/calls',
    });
    expect(res.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // A draft shows when its schedule would fire: 19:00 in New York on a weekday.
    const next = new Date(res.body.next_run_at);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(
      next.toLocaleString('en-US', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
    ).toBe('19:00');

    const again = await kit.api().get(`/v1/campaigns/${res.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('webhook_secret');
    const { rows } = await kit.sql.query('SELECT webhook_secret FROM campaigns WHERE id = $1', [
      res.body.id,
    ]);
    expect(rows[0].webhook_secret).toBe(res.body.webhook_secret);
  });

  const BAD: [string, object, string][] = [
    ['name', { name: '' }, 'name'],
    ['name', { name: '   ' }, 'name'],
    ['name', { name: 42 }, 'name'],
    ['agent_id', { agent_id: 'agent-1' }, 'agent_id'],
    ['from_numbers', { from_numbers: [] }, 'from_numbers'],
    ['from_numbers', { from_numbers: ['0912345678'] }, 'from_numbers'],
    ['from_numbers', { from_numbers: ['+3391234'] }, 'from_numbers'],
    ['from_numbers', { from_numbers: [FROM, FROM] }, 'from_numbers'],
    ['timezone', { timezone: 'Europe/Pariss' }, 'timezone'],
    ['timezone', { timezone: '+01:00' }, 'timezone'],
    ['timezone', { timezone: null }, 'timezone'],
    ['days', { calling_window: { days: ['monday'] } }, 'calling_window.days'],
    ['days', { calling_window: { days: ['mon', 'mon'] } }, 'calling_window.days'],
    ['days', { calling_window: { days: [] } }, 'calling_window.days'],
    [
      'hours',
      { calling_window: { hours: [{ start: '9:00', end: '12:00' }] } },
      'calling_window.hours[0].start',
    ],
    [
      'hours',
      { calling_window: { hours: [{ start: '09:00', end: '24:30' }] } },
      'calling_window.hours[0].end',
    ],
    [
      'hours',
      { calling_window: { hours: [{ start: '18:00', end: '09:00' }] } },
      'calling_window.hours',
    ],
    [
      'hours',
      {
        calling_window: {
          hours: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '14:00' },
          ],
        },
      },
      'calling_window.hours',
    ],
    ['hours', { calling_window: { hours: [] } }, 'calling_window.hours'],
    ['max_concurrent_calls', { max_concurrent_calls: 0 }, 'max_concurrent_calls'],
    ['max_concurrent_calls', { max_concurrent_calls: 1001 }, 'max_concurrent_calls'],
    ['max_concurrent_calls', { max_concurrent_calls: 2.5 }, 'max_concurrent_calls'],
    ['max_calls_per_minute', { max_calls_per_minute: 6001 }, 'max_calls_per_minute'],
    ['max_calls_per_minute', { max_calls_per_minute: '60' }, 'max_calls_per_minute'],
    ['retry', { retry: { max_attempts: 11 } }, 'retry.max_attempts'],
    ['retry', { retry: { max_attempts: 0 } }, 'retry.max_attempts'],
    ['retry', { retry: { delay_minutes: 10081 } }, 'retry.delay_minutes'],
    ['retry', { retry: { on: ['busy'] } }, 'retry.on'],
    ['retry', { retry: 3 }, 'retry'],
    ['schedule', { schedule: { cron: '0 19 * *' } }, 'schedule.cron'],
    ['schedule', { schedule: { cron: '0 25 * * *' } }, 'schedule.cron'],
    ['schedule', { schedule: { cron: '0 0 30 2 *' } }, 'schedule.cron'],
    ['schedule', { schedule: {} }, 'schedule.cron'],
    ['default_country', { default_country: 'XX' }, 'default_country'],
    ['default_country', { default_country: 'FRA' }, 'default_country'],
    [
      'qualification',
      { qualification: { match: 'most', rules: [{ question: 'interested', equals: true }] } },
      'qualification.match',
    ],
    ['qualification', { qualification: { rules: [] } }, 'qualification.rules'],
    [
      'qualification',
      { qualification: { rules: [{ equals: true }] } },
      'qualification.rules[0].question',
    ],
    [
      'qualification',
      { qualification: { rules: [{ question: 'interested' }] } },
      'qualification.rules[0]',
    ],
    [
      'qualification',
      { qualification: { rules: [{ question: 'nb_employes', gte: 'three' }] } },
      'qualification.rules[0].gte',
    ],
    ['variables', { variables: { offre: 20 } }, 'variables'],
    ['variables', { variables: ['a'] }, 'variables'],
    ['variables', { variables: { 'bad name': 'x' } }, 'variables'],
    ['webhook_url', { webhook_url: 'ftp://crm.example.com/x' }, 'webhook_url'],
    ['webhook_url', { webhook_url: 'not a url' }, 'webhook_url'],
    ['unknown field', { colour: 'blue' }, 'colour'],
    ['unknown nested field', { retry: { max_attempts: 2, backoff: 'exp' } }, 'retry.backoff'],
    [
      'unknown rule field',
      { qualification: { rules: [{ question: 'interested', equals: true, not: 1 }] } },
      'qualification.rules[0].not',
    ],
  ];

  it.each(BAD)('refuses a bad %s with 400 naming it (%j)', async (_what, extra, field) => {
    const before = await kit.sql.query('SELECT count(*)::int AS n FROM campaigns');
    const res = await create(extra);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(res.body.message).toContain(field);
    const after = await kit.sql.query('SELECT count(*)::int AS n FROM campaigns');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses required fields left out, naming each', async () => {
    const res = await kit.api().post('/v1/campaigns', {});
    expect(res.status).toBe(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'agent_id', 'from_numbers']));
  });

  it('refuses rules naming a question the agent does not have, listing its questions', async () => {
    const res = await create({
      qualification: { rules: [{ question: 'intrested', equals: true }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      {
        field: 'qualification.rules[0].question',
        message: expect.stringContaining('unknown question "intrested"'),
      },
    ]);
    expect(res.body.message).toContain('interested');
  });
});

describe('GET /v1/campaigns', () => {
  it('pages newest first with cursors, and filters by status', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    for (const name of names) expect((await create({ name })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await kit.api().get(`/v1/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c: { name: string }) => c.name));
      cursor = res.body.next_cursor;
    } while (cursor);
    const all = (
      await kit.sql.query('SELECT name FROM campaigns ORDER BY created_at DESC, id DESC')
    ).rows.map((r) => r.name);
    expect(seen).toEqual(all);
    expect(seen.slice(0, 5)).toEqual([...names].reverse());

    const drafts = await kit.api().get('/v1/campaigns?status=draft&limit=200');
    expect(drafts.body.data.length).toBe(all.length);
    const running = await kit.api().get('/v1/campaigns?status=running');
    expect(running.body).toEqual({ data: [], next_cursor: null });
  });

  it('refuses a bad limit, status, cursor or parameter with 400', async () => {
    for (const q of [
      'limit=0',
      'limit=201',
      'limit=abc',
      'status=done',
      'cursor=bm9wZQ',
      'colour=blue',
    ]) {
      const res = await kit.api().get(`/v1/campaigns?${q}`);
      expect(res.status).toBe(400);
    }
  });
});

describe('GET /v1/campaigns/{id}', () => {
  it('answers 404 for an unknown or malformed id, and 401 without a key', async () => {
    expect((await kit.api().get('/v1/campaigns/6f1c1b0e-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await kit.api().get('/v1/campaigns/nope')).status).toBe(404);
    const { default: request } = await import('supertest');
    expect((await request(kit.app.getHttpServer()).get('/v1/campaigns')).status).toBe(401);
  });

  it('counts progress from the leads and live calls in one answer', async () => {
    const { body: c } = await create();
    const statuses = [
      ...Array(3).fill({ status: 'pending' }),
      ...Array(2).fill({ status: 'retry_scheduled' }),
      { status: 'calling' },
      { status: 'calling' },
      { status: 'completed', qualified: true },
      { status: 'completed', qualified: true },
      { status: 'completed', qualified: false },
      { status: 'completed', qualified: null },
      { status: 'failed' },
      { status: 'exhausted' },
      { status: 'exhausted' },
      { status: 'suppressed' },
      { status: 'cancelled' },
      { status: 'expired' },
    ];
    const ids = await insertLeads(kit.sql, c.id, statuses);
    await insertAttempt(kit.sql, c.id, ids[5], 'live', 'call-progress-1');
    await insertAttempt(kit.sql, c.id, ids[6], 'starting');
    const res = await kit.api().get(`/v1/campaigns/${c.id}`);
    expect(res.body.progress).toEqual({
      total: 17,
      pending: 5,
      in_progress: 2,
      completed: 4,
      failed: 3,
      qualified: 2,
      not_qualified: 1,
      retry_scheduled: 2,
      exhausted: 2,
      suppressed: 1,
      cancelled: 1,
      expired: 1,
      ineligible: 0,
      final: 10,
      live_calls: 2,
    });
    const p = res.body.progress;
    expect(
      p.pending +
        p.in_progress +
        p.completed +
        p.failed +
        p.suppressed +
        p.cancelled +
        p.expired +
        p.ineligible,
    ).toBe(p.total);
    const listed = await kit.api().get('/v1/campaigns?limit=200');
    expect(listed.body.data.find((x: { id: string }) => x.id === c.id).progress).toEqual(
      res.body.progress,
    );
  });
});

describe('PATCH /v1/campaigns/{id}', () => {
  it('changes what it is given, merging window and retry keys', async () => {
    const { body: c } = await create();
    const res = await kit.api().patch(`/v1/campaigns/${c.id}`, {
      name: 'Renamed',
      calling_window: { days: ['sat'] },
      retry: { max_attempts: 5 },
      max_concurrent_calls: 3,
      schedule: { cron: '30 8 * * *' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      calling_window: { days: ['sat'], hours: c.calling_window.hours },
      retry: { max_attempts: 5, delay_minutes: 60, on: ['missed', 'failed'] },
      max_concurrent_calls: 3,
      max_calls_per_minute: 60,
      schedule: { cron: '30 8 * * *' },
    });
    const cleared = await kit.api().patch(`/v1/campaigns/${c.id}`, { schedule: null });
    expect(cleared.body.schedule).toBeNull();
  });

  it('validates like creation and changes nothing on a bad field', async () => {
    const { body: c } = await create();
    for (const [body, field] of [
      [{ name: null }, 'name'],
      [{ from_numbers: null }, 'from_numbers'],
      [{ max_calls_per_minute: 0, name: 'x' }, 'max_calls_per_minute'],
      [{ calling_window: { hours: [{ start: '10:00', end: '10:00' }] } }, 'calling_window.hours'],
      [{ status: 'running' }, 'status'],
      [
        { qualification: { rules: [{ question: 'nope', equals: 1 }] } },
        'qualification.rules[0].question',
      ],
    ] as [object, string][]) {
      const res = await kit.api().patch(`/v1/campaigns/${c.id}`, body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const after = await kit.api().get(`/v1/campaigns/${c.id}`);
    expect({ ...after.body, progress: undefined }).toEqual({
      ...c,
      progress: undefined,
      questions: after.body.questions,
    });
  });

  it('issues a webhook secret when a URL is added, keeps it when the URL changes, drops it on null', async () => {
    const { body: c } = await create();
    const added = await kit
      .api()
      .patch(`/v1/campaigns/${c.id}`, { webhook_url: 'https://crm.example.com/first' });
    expect(added.body.webhook_secret).toMatch(/^whsec_/);
    const changed = await kit
      .api()
      .patch(`/v1/campaigns/${c.id}`, { webhook_url: 'https://crm.example.com/new' });
    expect(changed.body).not.toHaveProperty('webhook_secret');
    const { rows } = await kit.sql.query('SELECT webhook_secret FROM campaigns WHERE id = $1', [
      c.id,
    ]);
    expect(rows[0].webhook_secret).toBe(added.body.webhook_secret);
    const removed = await kit.api().patch(`/v1/campaigns/${c.id}`, { webhook_url: null });
    expect(removed.body.webhook_url).toBeNull();
    const after = await kit.sql.query('SELECT webhook_secret FROM campaigns WHERE id = $1', [c.id]);
    expect(after.rows[0].webhook_secret).toBeNull();
  });

  it('lets a draft change agent, fetching the new agent’s questions and checking the rules on them', async () => {
    const { body: c } = await create({
      qualification: { rules: [{ question: 'interested', equals: true }] },
    });
    const refused = await kit.api().patch(`/v1/campaigns/${c.id}`, { agent_id: OTHER_AGENT_ID });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('rdv_pris');
    const res = await kit.api().patch(`/v1/campaigns/${c.id}`, {
      agent_id: OTHER_AGENT_ID,
      qualification: { rules: [{ question: 'rdv_pris', equals: true }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.agent_id).toBe(OTHER_AGENT_ID);
    expect(res.body.questions.map((q: { name: string }) => q.name)).toEqual(['rdv_pris']);
  });
});

describe('DELETE /v1/campaigns/{id}', () => {
  it('deletes a draft with its leads (204), then it is gone', async () => {
    const { body: c } = await create();
    await insertLeads(kit.sql, c.id, [{ status: 'pending' }]);
    expect((await kit.api().delete(`/v1/campaigns/${c.id}`)).status).toBe(204);
    expect((await kit.api().get(`/v1/campaigns/${c.id}`)).status).toBe(404);
    expect((await kit.api().delete(`/v1/campaigns/${c.id}`)).status).toBe(404);
    const { rows } = await kit.sql.query(
      'SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1',
      [c.id],
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('describes the campaign routes and every body field', async () => {
    const { default: request } = await import('supertest');
    const doc = (await request(kit.app.getHttpServer()).get('/docs-json')).body;
    for (const path of [
      '/v1/campaigns',
      '/v1/campaigns/{id}',
      '/v1/campaigns/{id}/start',
      '/v1/campaigns/{id}/cancel',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    const props = Object.keys(doc.components.schemas.CreateCampaignDto.properties);
    expect(props).toEqual(
      expect.arrayContaining([
        'name',
        'agent_id',
        'from_numbers',
        'timezone',
        'calling_window',
        'max_concurrent_calls',
        'max_calls_per_minute',
        'retry',
        'schedule',
        'default_country',
        'qualification',
        'variables',
        'webhook_url',
      ]),
    );
    expect(Object.keys(doc.components.schemas.CampaignView.properties)).toEqual(
      expect.arrayContaining(['status', 'progress', 'next_run_at', 'questions']),
    );
  });
});
