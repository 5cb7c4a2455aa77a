import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CallRoundedClient } from '../../src/callrounded';
import type { PlatformCall, PlatformPostCallAnswer } from '../../src/callrounded';
import type { WebhookTuning, WorkerTuning } from '../../src/core/runtime';
import { HAIR_SALON_FR_SCENARIO, type SimulatorHandle } from '../../src/simulator';
import { TEST_API_KEY } from '../kit/app';
import { startStack, type Stack } from '../kit/stack';
import { TestReceiver } from '../webhooks/receiver';

/**
 * End to end through the public API: a campaign on the simulator (seeded, so the answer mix is
 * fixed) runs to completion; the report must agree exactly with what the platform says happened,
 * recomputed here independently from GET /calls/{id}.
 */

const AGENT = HAIR_SALON_FR_SCENARIO.agents[0];
const LEADS = 40;
const RULES = {
  match: 'all',
  rules: [
    { question: 'interested', equals: true },
    { question: 'nb_employes', gte: 5 },
  ],
};

const TUNING: Partial<WorkerTuning> = {
  dialIntervalMs: 50,
  pollIntervalMs: 100,
  leaseMs: 2000,
  reconcileGraceMs: 1500,
  clockSkewMs: 5000,
  maxCallAgeMs: 60_000,
  scheduleIntervalMs: 60_000,
};
const WEBHOOKS: Partial<WebhookTuning> = { webhookPollIntervalMs: 50 };

/** The answer as a CRM would read it off the platform's payload. */
function truth(a: PlatformPostCallAnswer): unknown {
  if (!a.has_answer) return null;
  switch (a.question.question_type) {
    case 'boolean':
      return a.answer_boolean;
    case 'number':
      return a.answer_number;
    case 'text':
      return a.answer_text;
    case 'single_choice':
      return a.selected_options[0]?.option.value ?? null;
    default:
      return a.selected_options.map((o) => o.option.value);
  }
}

describe('a campaign run to completion gives an exact report', () => {
  let stack: Stack;
  let sim: SimulatorHandle;
  let app: INestApplication;
  let receiver: TestReceiver;
  let campaignId: string;
  let secret: string;
  const api = () => ({
    get: (p: string) => request(app.getHttpServer()).get(p).set('X-Api-Key', TEST_API_KEY),
    post: (p: string) => request(app.getHttpServer()).post(p).set('X-Api-Key', TEST_API_KEY),
  });

  beforeAll(async () => {
    receiver = await new TestReceiver('set-below').start();
    stack = await startStack({
      worker: TUNING,
      webhooks: WEBHOOKS,
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
      simulator: {
      seed: 'report-e2e',
      scenario: { ...HAIR_SALON_FR_SCENARIO, outcomes: { completed: 6, missed: 3, failed: 1, unknown: 0 } },
      durations: { ringMs: 30, talkMinMs: 100, talkMaxMs: 400, missedAfterMs: 150, failedAfterMs: 100, answersDelayMs: 50 },
      },
    });
    ({ sim, app } = stack);

    const created = await api()
      .post('/v1/campaigns')
      .send({
        name: 'Salons — run complet',
        agent_id: AGENT.id,
        from_numbers: [HAIR_SALON_FR_SCENARIO.phone_numbers[0].number],
        timezone: 'Europe/Paris',
        default_country: 'FR',
        calling_window: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: [{ start: '00:00', end: '24:00' }] },
        // Not about the calling laws: the clock is the wall clock, at any hour.
        compliance: { rules: 'none' },
        max_concurrent_calls: 8,
        max_calls_per_minute: 6000,
        retry: { max_attempts: 2, delay_minutes: 0, on: ['missed', 'failed'] },
        qualification: RULES,
        webhook_url: `${receiver.url}/crm`,
      });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    secret = created.body.webhook_secret;
    expect(secret).toEqual(expect.any(String));
    receiver.secret = secret;

    const csv = ['telephone,prenom,nom_du_salon,ville'];
    for (let i = 0; i < LEADS; i++) csv.push(`06 12 34 ${String(10 + i).padStart(2, '0')} 00,Prénom ${i},Salon ${i},Paris`);
    const imported = await api()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('Content-Type', 'text/csv')
      .send(csv.join('\n'));
    expect(imported.status).toBe(201);
    expect({ ...imported.body, errors: imported.body.errors?.slice(0, 2) }).toMatchObject({ accepted: LEADS, errors: [] });

    expect((await api().post(`/v1/campaigns/${campaignId}/start`)).status).toBeLessThan(300);
    const end = Date.now() + 45_000;
    for (;;) {
      const c = await api().get(`/v1/campaigns/${campaignId}`);
      if (c.body.status === 'completed') break;
      if (Date.now() > end) throw new Error(`campaign still ${c.body.status}: ${JSON.stringify(c.body.progress)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('totals, the qualified set and the distributions match the platform', async () => {
    const db = app.get(DataSource);
    const attempts: { phone: string; call_id: string; attempt_number: number }[] = await db.query(
      `SELECT l.phone, a.call_id, a.attempt_number FROM call_attempts a JOIN leads l ON l.id = a.lead_id
        WHERE a.campaign_id = $1 AND a.call_id IS NOT NULL ORDER BY l.seq, a.attempt_number`,
      [campaignId],
    );
    const client = new CallRoundedClient({ baseUrl: sim.url, apiKey: sim.apiKey });
    const calls = new Map<string, PlatformCall>();
    for (const a of attempts) calls.set(a.call_id, await client.getCall(a.call_id));
    await client.close();
    expect(calls.size).toBe(sim.calls().length);

    // What the platform says, lead by lead.
    const perLead = new Map<string, { last?: PlatformCall; completed?: PlatformCall }>();
    for (const a of attempts) {
      const call = calls.get(a.call_id) as PlatformCall;
      const entry = perLead.get(a.phone) ?? {};
      entry.last = call;
      if (call.status === 'completed') entry.completed = call;
      perLead.set(a.phone, entry);
    }
    const answersOf = (p: string) =>
      Object.fromEntries((perLead.get(p)?.completed?.post_call_answers ?? []).map((a) => [a.question.name, truth(a)]));
    const reached = [...perLead.keys()].filter((p) => perLead.get(p)?.completed);
    const qualified = reached.filter((p) => {
      const a = answersOf(p);
      return a.interested === true && typeof a.nb_employes === 'number' && a.nb_employes >= 5;
    });
    const all = [...calls.values()];
    const totalCost = all.reduce((s, c) => s + (c.cost ?? 0), 0);
    const totalDuration = all.reduce((s, c) => s + (c.duration_seconds ?? 0), 0);
    expect(reached.length).toBeGreaterThan(10);
    expect(qualified.length).toBeGreaterThan(0);
    expect(qualified.length).toBeLessThan(reached.length);

    const report = await api().get(`/v1/campaigns/${campaignId}/report?limit=1000`);
    expect(report.status).toBe(200);
    const s = report.body.summary;
    expect(s).toMatchObject({
      leads: LEADS,
      dialled: perLead.size,
      reached: reached.length,
      qualified: qualified.length,
      not_qualified: reached.length - qualified.length,
      qualification_rate: Math.round((qualified.length / reached.length) * 10_000) / 10_000,
    });
    expect(s.total_cost).toBeCloseTo(totalCost, 6);
    expect(s.total_duration_seconds).toBeCloseTo(totalDuration, 3);
    expect(s.calls.total).toBe(calls.size);

    const leads: { phone: string; qualified: boolean | null; answers: Record<string, unknown> | null }[] = report.body.leads;
    expect(leads).toHaveLength(LEADS);
    expect(leads.filter((l) => l.qualified === true).map((l) => l.phone).sort()).toEqual([...qualified].sort());
    for (const l of leads) {
      if (reached.includes(l.phone)) expect(l.answers).toEqual(answersOf(l.phone));
      else expect(l).toMatchObject({ qualified: null, answers: null });
    }

    // Distributions, recounted from the platform's answers.
    const interested = { true: 0, false: 0 };
    const software: Record<string, number> = {};
    const services: Record<string, number> = {};
    const sizes: number[] = [];
    for (const p of reached) {
      const a = answersOf(p);
      if (typeof a.interested === 'boolean') interested[String(a.interested) as 'true' | 'false']++;
      if (typeof a.logiciel_actuel === 'string') software[a.logiciel_actuel] = (software[a.logiciel_actuel] ?? 0) + 1;
      for (const v of (a.services as string[] | null) ?? []) services[v] = (services[v] ?? 0) + 1;
      if (typeof a.nb_employes === 'number') sizes.push(a.nb_employes);
    }
    const dist = Object.fromEntries(s.questions.map((q: { name: string }) => [q.name, q]));
    expect(dist.interested.counts).toEqual(interested);
    expect(Object.fromEntries(Object.entries(dist.logiciel_actuel.counts).filter(([, n]) => n))).toEqual(software);
    expect(Object.fromEntries(Object.entries(dist.services.counts).filter(([, n]) => n))).toEqual(services);
    expect(dist.nb_employes).toMatchObject({ answered: sizes.length, min: Math.min(...sizes), max: Math.max(...sizes) });
    expect(dist.nb_employes.mean).toBeCloseTo(sizes.reduce((x, y) => x + y, 0) / sizes.length, 3);

    // The CSV holds the same leads and verdicts.
    const csv = await api().get(`/v1/campaigns/${campaignId}/report.csv?qualified=true`);
    const rows: string[][] = parse(csv.text);
    // The lead columns in the uploaded file's order (the import records it).
    expect(rows[0]).toEqual([
      'phone',
      'prenom',
      'nom_du_salon',
      'ville',
      'status',
      'attempts',
      'last_call_id',
      'last_call_status',
      'duration_seconds',
      'cost',
      ...AGENT.post_call_questions.map((q) => q.name),
      'qualified',
      'status_reason',
      'contact_type',
      'consent_at',
      'consent_source',
    ]);
    expect(rows.slice(1).map((r) => r[0].slice(1)).sort()).toEqual([...qualified].sort());
    const verdict = rows[0].indexOf('qualified');
    expect(rows.slice(1).every((r) => r[verdict] === 'true')).toBe(true);
  });

  it('the CRM received every qualified lead and the completion, signed', async () => {
    const report = await api().get(`/v1/campaigns/${campaignId}/report`);
    const expected = report.body.summary.qualified + 1;
    await receiver.waitFor(expected, 15_000);
    const got = receiver.received.filter((r) => r.path === '/crm');
    expect(got.every((r) => r.signatureValid)).toBe(true);
    expect(got.filter((r) => r.body.type === 'lead.qualified')).toHaveLength(report.body.summary.qualified);
    const done = got.find((r) => r.body.type === 'campaign.completed');
    expect(done?.body.data).toMatchObject({
      campaign: { id: campaignId, status: 'completed' },
      summary: { leads: LEADS, qualified: report.body.summary.qualified, reached: report.body.summary.reached },
    });
    const events = await api().get(`/v1/campaigns/${campaignId}/webhook-events`);
    expect(events.body.data).toHaveLength(expected);
    expect(events.body.data.every((e: { status: string }) => e.status === 'delivered')).toBe(true);
  });
});
