import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import request from 'supertest';
import { HAIR_SALON_FR_SCENARIO, type SimulatorHandle } from '../../src/simulator';
import { TEST_API_KEY } from '../kit/app';
import { startStack, type Stack } from '../kit/stack';

const AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
const FROM = HAIR_SALON_FR_SCENARIO.phone_numbers[0].number;
/** Monday 30 November 2026, 11:00 in Paris: inside the default window (Mon–Fri 10–13, 14–18). */
const MONDAY_11_PARIS = Date.parse('2026-11-30T10:00:00Z');

describe('test calls', () => {
  let stack: Stack;
  let sim: SimulatorHandle;
  let app: INestApplication;
  let sql: Client;
  let now = MONDAY_11_PARIS;
  const api = () => ({
    get: (path: string) => request(app.getHttpServer()).get(path).set('X-Api-Key', TEST_API_KEY),
    post: (path: string, body: object) =>
      request(app.getHttpServer()).post(path).set('X-Api-Key', TEST_API_KEY).send(body),
  });

  beforeAll(async () => {
    stack = await startStack({
      role: 'api',
      clock: { now: () => new Date(now) },
      // Every call is answered, and ends quickly with its answers.
      simulator: {
        scenario: { ...HAIR_SALON_FR_SCENARIO, outcomes: { completed: 1, missed: 0, failed: 0 } },
        durations: { ringMs: 20, talkMinMs: 50, talkMaxMs: 80, answersDelayMs: 20 },
      },
    });
    ({ sim, app, sql } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function campaign(extra: object = {}): Promise<string> {
    const res = await api().post('/v1/campaigns', {
      name: 'Relance salons',
      agent_id: AGENT_ID,
      from_numbers: [FROM],
      default_country: 'FR',
      variables: { offre: 'Essai' },
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('places one real call with a lead’s variables; listed with its status and answers, never in progress or report', async () => {
    const id = await campaign();
    const { rows } = await sql.query(
      `INSERT INTO leads (campaign_id, phone, variables) VALUES ($1, '+33698765432', '{"prenom": "Zoé", "nom_du_salon": "Salon Zoé"}') RETURNING id`,
      [id],
    );
    const res = await api().post(`/v1/campaigns/${id}/test-call`, {
      to_number: '06 12 34 56 78',
      lead_id: rows[0].id,
      variables: { ville: 'Lyon' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      campaign_id: id,
      to_number: '+33612345678',
      from_number: FROM,
      status: 'created',
      call_id: expect.any(String),
      variables: { offre: 'Essai', prenom: 'Zoé', nom_du_salon: 'Salon Zoé', ville: 'Lyon' },
    });
    const placed = sim.calls().filter((c) => c.id === res.body.call_id);
    expect(placed).toEqual([
      expect.objectContaining({
        agent_id: AGENT_ID,
        from_number: FROM,
        to_number: '+33612345678',
        dynamic_variables_values: {
          offre: 'Essai',
          prenom: 'Zoé',
          nom_du_salon: 'Salon Zoé',
          ville: 'Lyon',
        },
      }),
    ]);

    // Followed on GET until it has ended and its answers are in.
    let listed: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      listed = (await api().get(`/v1/campaigns/${id}/test-calls`)).body.data;
      // null until the platform has them (a little after the call ends).
      if (listed[0]?.answers !== null && listed[0]?.answers !== undefined) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed).toEqual([
      expect.objectContaining({
        id: res.body.id,
        status: 'completed',
        answers: expect.objectContaining({ interested: expect.anything() }),
        ended_at: expect.any(String),
      }),
    ]);

    // Not a lead's call: progress and report know nothing of it.
    const view = (await api().get(`/v1/campaigns/${id}`)).body;
    expect(view.progress).toMatchObject({ total: 1, pending: 1, in_progress: 0, completed: 0 });
    const report = (await api().get(`/v1/campaigns/${id}/report`)).body;
    expect(report.summary).toMatchObject({ leads: 1, dialled: 0 });
    const { rows: attempts } = await sql.query('SELECT count(*)::int AS n FROM call_attempts');
    expect(attempts[0].n).toBe(0);
  });

  it('refuses a number on the do-not-call list, and outside the calling window', async () => {
    const id = await campaign();
    await api().post('/v1/suppressions', { phones: ['+33611111111'] });
    const calls = sim.calls().length;
    const suppressed = await api().post(`/v1/campaigns/${id}/test-call`, {
      to_number: '+33611111111',
    });
    expect(suppressed.status).toBe(409);
    expect(suppressed.body.message).toBe(
      '+33611111111 is on the do-not-call list: no call, not even a test call',
    );
    const weekend = await campaign({
      calling_window: { days: ['sat'], hours: [{ start: '10:00', end: '12:00' }] },
    });
    const closed = await api().post(`/v1/campaigns/${weekend}/test-call`, {
      to_number: '+33622222222',
    });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('+33622222222 may not be called now');
    expect(closed.body.message).toContain('it next opens at 2026-12-05T09:00:00.000Z');
    expect(sim.calls().length).toBe(calls);
    expect((await api().get(`/v1/campaigns/${id}/test-calls`)).body.data).toEqual([]);
  });

  it('goes through the calling laws of the number: French hours hold it back even when the campaign window is open', async () => {
    const always = {
      calling_window: {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        hours: [{ start: '00:00', end: '24:00' }],
      },
    };
    const lawful = await campaign(always);
    const unlawful = await campaign({ ...always, compliance: { rules: 'none' } });
    const calls = sim.calls().length;
    const before = now;
    now = MONDAY_11_PARIS + 10 * 3600_000; // Monday 21:00 in Paris: after French law's 20:00.
    try {
      const held = await api().post(`/v1/campaigns/${lawful}/test-call`, {
        to_number: '+33644444444',
      });
      expect(held.status).toBe(409);
      expect(held.body.message).toMatch(/^\+33644444444 may not be called now: /);
      expect(held.body.details).toEqual([
        { field: 'to_number', message: 'the calling laws forbid this call now' },
      ]);
      expect(sim.calls().length).toBe(calls);
      // The same number, with the laws turned off by the campaign: called.
      const called = await api().post(`/v1/campaigns/${unlawful}/test-call`, {
        to_number: '+33644444444',
      });
      expect(called.status).toBe(201);
      expect(sim.calls().length).toBe(calls + 1);
    } finally {
      now = before;
    }
  });

  it('at most 10 per campaign per hour: then 429 with Retry-After, free again an hour later', async () => {
    const id = await campaign();
    for (let i = 0; i < 10; i++) {
      const res = await api().post(`/v1/campaigns/${id}/test-call`, {
        to_number: `+3363333333${i}`,
      });
      expect(res.status).toBe(201);
    }
    now += 10 * 60_000;
    const limited = await api().post(`/v1/campaigns/${id}/test-call`, {
      to_number: '+33644444444',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3000');
    expect(limited.body.message).toContain('At most 10 test calls per campaign per hour');
    // Another campaign has its own allowance.
    const other = await campaign();
    expect(
      (await api().post(`/v1/campaigns/${other}/test-call`, { to_number: '+33644444444' })).status,
    ).toBe(201);
    now += 50 * 60_000 + 1000;
    expect(
      (await api().post(`/v1/campaigns/${id}/test-call`, { to_number: '+33644444444' })).status,
    ).toBe(201);
  });

  it('erasing a person (privacy) empties their test calls', async () => {
    const id = await campaign();
    const res = await api().post(`/v1/campaigns/${id}/test-call`, {
      to_number: '+33655555555',
      variables: { prenom: 'Zoé' },
    });
    expect(res.status).toBe(201);
    const erased = await api().post('/v1/privacy/erase', { phone: '+33655555555' });
    expect(erased.body).toMatchObject({ test_calls_erased: 1 });
    const { rows } = await sql.query('SELECT to_number, variables FROM test_calls WHERE id = $1', [
      res.body.id,
    ]);
    expect(rows).toEqual([{ to_number: 'erased', variables: {} }]);
  });

  it('validates the number and the lead', async () => {
    const id = await campaign();
    const bad = await api().post(`/v1/campaigns/${id}/test-call`, { to_number: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('to_number: "12" is too short for FR');
    const lead = await api().post(`/v1/campaigns/${id}/test-call`, {
      to_number: '+33612345678',
      lead_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(lead.status).toBe(404);
    expect((await api().post(`/v1/campaigns/${id}/test-call`, {})).status).toBe(400);
  });
});
