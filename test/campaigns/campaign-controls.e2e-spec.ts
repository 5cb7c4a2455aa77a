import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CampaignKit,
  insertLeads,
  minimalCampaign,
  startCampaignKit,
} from './support/campaign-kit';

// The settings of issue 13's campaign controls, as the API takes, checks and answers them.
let kit: CampaignKit;

beforeAll(async () => {
  kit = await startCampaignKit({ env: { CALLROUNDED_TERMINAL_STATUSES: 'voicemail=missed,busy' } });
});

afterAll(async () => {
  await kit?.close();
});

const create = (extra: object = {}) => kit.api().post('/v1/campaigns', minimalCampaign(extra));
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('campaign controls settings', () => {
  it('default to no end, no caps, the circuit breaker on, and no pause reason', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ends_at: null,
      max_calls_per_day: null,
      max_cost: null,
      auto_pause: { failure_rate: 0.5, window_minutes: 2, min_calls: 10 },
      paused_reason: null,
      paused_detail: null,
      retry: { max_attempts: 3, delay_minutes: 60, on: ['missed', 'failed'] },
    });
    expect(res.body.retry).not.toHaveProperty('by_outcome');
    expect(res.body.progress.expired).toBe(0);
  });

  it('keeps every control given, and PATCH changes them on a running campaign', async () => {
    const endsAt = future(7);
    const res = await create({
      ends_at: endsAt,
      max_calls_per_day: 500,
      max_cost: 12.5,
      auto_pause: { failure_rate: 0.3 },
      retry: {
        by_outcome: { missed: { max_attempts: 4, delay_minutes: 120 } },
        by_status: { voicemail: { max_attempts: 2, delay_minutes: 1440 } },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ends_at: endsAt,
      max_calls_per_day: 500,
      max_cost: 12.5,
      auto_pause: { failure_rate: 0.3, window_minutes: 2, min_calls: 10 },
      retry: {
        max_attempts: 3,
        by_outcome: { missed: { max_attempts: 4, delay_minutes: 120 } },
        by_status: { voicemail: { max_attempts: 2, delay_minutes: 1440 } },
      },
    });
    const id = res.body.id;
    await insertLeads(kit.sql, id, [{ status: 'pending' }]);
    expect((await kit.api().post(`/v1/campaigns/${id}/start`)).body.status).toBe('running');

    const patched = await kit.api().patch(`/v1/campaigns/${id}`, {
      max_cost: 40,
      max_calls_per_day: null,
      auto_pause: false,
      ends_at: null,
      retry: { by_status: {} },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      status: 'running',
      max_cost: 40,
      max_calls_per_day: null,
      auto_pause: false,
      ends_at: null,
      retry: { by_outcome: { missed: { max_attempts: 4, delay_minutes: 120 } } },
    });
    expect(patched.body.retry).not.toHaveProperty('by_status');
    const on = await kit.api().patch(`/v1/campaigns/${id}`, { auto_pause: { min_calls: 5 } });
    expect(on.body.auto_pause).toEqual({ failure_rate: 0.5, window_minutes: 2, min_calls: 5 });
  });

  it('says why a campaign is paused, and resume clears it', async () => {
    const { body: c } = await create();
    await insertLeads(kit.sql, c.id, [{ status: 'pending' }]);
    await kit.api().post(`/v1/campaigns/${c.id}/start`);
    const paused = await kit.api().post(`/v1/campaigns/${c.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', paused_reason: 'manual' });
    expect((await kit.api().get(`/v1/campaigns/${c.id}`)).body.paused_reason).toBe('manual');
    const resumed = await kit.api().post(`/v1/campaigns/${c.id}/resume`);
    expect(resumed.body).toMatchObject({
      status: 'running',
      paused_reason: null,
      paused_detail: null,
    });
  });

  const BAD: [object, string][] = [
    [{ ends_at: 'tomorrow' }, 'ends_at'],
    [{ ends_at: '2026-12-24T18:00:00' }, 'ends_at'],
    [{ ends_at: '2020-01-01T00:00:00Z' }, 'ends_at'],
    [{ max_calls_per_day: 0 }, 'max_calls_per_day'],
    [{ max_calls_per_day: 2.5 }, 'max_calls_per_day'],
    [{ max_cost: 0 }, 'max_cost'],
    [{ max_cost: -3 }, 'max_cost'],
    [{ max_cost: '10' }, 'max_cost'],
    [{ auto_pause: true }, 'auto_pause'],
    [{ auto_pause: { failure_rate: 0 } }, 'auto_pause.failure_rate'],
    [{ auto_pause: { failure_rate: 1.5 } }, 'auto_pause.failure_rate'],
    [{ auto_pause: { window_minutes: 0 } }, 'auto_pause.window_minutes'],
    [{ auto_pause: { min_calls: 0 } }, 'auto_pause.min_calls'],
    [{ auto_pause: { min_calls: 3, often: 1 } }, 'auto_pause.often'],
    [
      { retry: { by_outcome: { missed: { max_attempts: 0, delay_minutes: 5 } } } },
      'retry.by_outcome.missed.max_attempts',
    ],
    [
      { retry: { by_outcome: { failed: { max_attempts: 2 } } } },
      'retry.by_outcome.failed.delay_minutes',
    ],
    [
      { retry: { by_outcome: { busy: { max_attempts: 2, delay_minutes: 5 } } } },
      'retry.by_outcome.busy',
    ],
    [
      { retry: { by_status: { voicemail: { max_attempts: 11, delay_minutes: 5 } } } },
      'retry.by_status.voicemail.max_attempts',
    ],
    [
      { retry: { by_status: { voicemail: { max_attempts: 2, delay_minutes: -1 } } } },
      'retry.by_status.voicemail.delay_minutes',
    ],
    [
      { retry: { by_status: { fax: { max_attempts: 2, delay_minutes: 5 } } } },
      'retry.by_status.fax',
    ],
    [
      { retry: { by_status: { completed: { max_attempts: 2, delay_minutes: 5 } } } },
      'retry.by_status',
    ],
    [{ retry: { by_status: ['voicemail'] } }, 'retry.by_status'],
  ];

  it.each(BAD)('refuses %j with a 400 naming %s', async (extra, field) => {
    const before = await kit.sql.query('SELECT count(*)::int AS n FROM campaigns');
    const res = await create(extra);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(res.body.message).toContain(field);
    const after = await kit.sql.query('SELECT count(*)::int AS n FROM campaigns');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses the same values in a PATCH', async () => {
    const { body: c } = await create();
    const res = await kit.api().patch(`/v1/campaigns/${c.id}`, { max_cost: 0 });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('max_cost');
  });
});
