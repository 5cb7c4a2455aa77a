import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dialerFaults } from '../../src/engine/dialer-faults';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { App } from 'supertest/types';
import { HAIR_SALON_FR_SCENARIO, type SimScenario } from '../../src/simulator';
import { TEST_API_KEY } from '../helpers/test-app';
import {
  AGENT_ID,
  ALWAYS_OPEN,
  type Engine,
  FROM_NUMBERS,
  startEngine,
  waitFor,
} from '../engine/support/engine-fixtures';

const DAY = 86_400_000;
/** Ascension Thursday 2027, 11:00 in Paris. */
const ASCENSION_11_PARIS = Date.parse('2027-05-06T09:00:00Z');

/** Every call completes; the agent also asks whether the person refuses calls and wants none again. */
const SCENARIO: SimScenario = {
  ...HAIR_SALON_FR_SCENARIO,
  outcomes: { completed: 1, missed: 0, failed: 0, unknown: 0 },
  agents: HAIR_SALON_FR_SCENARIO.agents.map((a, i) =>
    i > 0
      ? a
      : {
          ...a,
          post_call_questions: [
            ...a.post_call_questions,
            ...['refuses_calls', 'do_not_call'].map((name, k) => ({
              id: `9e1f7a2b-4c5d-4e6f-8a9b-0c1d2e3f4a${50 + k}`,
              name,
              description: name,
              type: 'boolean',
              optional: false,
              answer: { rate: 1, true_rate: 1 },
            })),
          ],
        },
  ) as SimScenario['agents'],
};

describe('calling laws, end to end (French numbers, injected clock)', () => {
  let engine: Engine;
  let http: App;
  const api = (method: 'get' | 'post' | 'patch', path: string) =>
    request(http)[method](path).set('X-Api-Key', TEST_API_KEY);

  async function campaign(
    name: string,
    compliance: Record<string, unknown>,
    csv: string,
  ): Promise<string> {
    const created = await api('post', '/v1/campaigns')
      .send({
        name,
        agent_id: AGENT_ID,
        from_numbers: FROM_NUMBERS.slice(0, 1),
        timezone: 'Europe/Paris',
        calling_window: ALWAYS_OPEN,
        retry: { max_attempts: 1, delay_minutes: 0, on: [] },
        compliance,
      })
      .expect(201);
    const id = created.body.id as string;
    await api('post', `/v1/campaigns/${id}/leads`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    return id;
  }
  const start = (id: string) => api('post', `/v1/campaigns/${id}/start`).expect(200);
  const leads = async (id: string) =>
    (await api('get', `/v1/campaigns/${id}/leads`).expect(200)).body.data as {
      phone: string;
      status: string;
      status_reason: string | null;
      next_attempt_at: string | null;
      contact_type: string | null;
      consent_at: string | null;
    }[];
  const lead = async (id: string, phone: string) =>
    (await leads(id)).find((l) => l.phone === phone)!;

  beforeAll(async () => {
    engine = await startEngine({ scenario: SCENARIO });
    engine.clock.advance(ASCENSION_11_PARIS - engine.clock.nowMs());
    http = engine.app.getHttpServer() as App;
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('holds a lead back on Ascension Thursday with its reason; rules none is shown and calls', async () => {
    const held = await campaign('ascension', { contact_type: 'business' }, 'phone\n+33611000001\n');
    const none = await campaign('no law', { rules: 'none' }, 'phone\n+33611000002\n');
    const dry = (await api('get', `/v1/campaigns/${held}/eligibility`).expect(200)).body;
    expect(dry).toMatchObject({
      waiting: 1,
      callable_now: 0,
      held_back: [
        {
          reason: 'holiday: Ascension (FR)',
          leads: 1,
          earliest_allowed_at: '2027-05-07T08:00:00.000Z',
        },
      ],
      ineligible: [],
    });
    expect(dry.days.map((d: { callable: number }) => d.callable)).toEqual([0, 1, 0, 0, 1, 1, 1]);
    await start(held);
    await start(none);
    await waitFor(
      'the lead without law called',
      async () => (await lead(none, '+33611000002')).status === 'completed',
    );
    await waitFor(
      'the holiday noted',
      async () => (await lead(held, '+33611000001')).status_reason !== null,
    );
    expect(await lead(held, '+33611000001')).toMatchObject({
      status: 'pending',
      status_reason: 'holiday: Ascension (FR)',
      next_attempt_at: '2027-05-07T08:00:00.000Z',
    });
    const shown = (await api('get', `/v1/campaigns/${none}/report`).expect(200)).body;
    expect(shown.campaign.compliance).toMatchObject({ rules: 'none' });
    const xlsx = await api('get', `/v1/campaigns/${none}/report.xlsx`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const labels = new Map<string, unknown>();
    book
      .getWorksheet('Summary')!
      .eachRow((row) => labels.set(row.getCell(1).text, row.getCell(2).value));
    expect(labels.get('Calling laws (compliance.rules)')).toBe('none (no calling law applied)');
    expect((await api('get', `/v1/campaigns/${held}`).expect(200)).body.compliance).toEqual({
      rules: 'auto',
      contact_type: 'business',
      refusal_question: null,
      opt_out_question: null,
      max_contacts: null,
      conservative_holidays: true,
    });

    engine.clock.advance(DAY); // Friday 11:00
    await waitFor(
      'called the next day',
      async () => (await lead(held, '+33611000001')).status === 'completed',
    );
  });

  it('a consumer without recorded consent is ineligible; a business contact and a consented consumer are called', async () => {
    const csv = [
      'phone,contact_type,consent_at,consent_source',
      '+33611000011,,,',
      '+33611000012,business,,',
      '+33611000013,,01/09/2026,web form',
    ].join('\n');
    const id = await campaign('consent', {}, csv);
    const dry = (await api('get', `/v1/campaigns/${id}/eligibility`).expect(200)).body;
    expect(dry).toMatchObject({
      callable_now: 2,
      ineligible: [
        { reason: 'consent: no recorded consent for a consumer lead (FR-consent)', leads: 1 },
      ],
    });
    await start(id);
    await waitFor('every lead final', async () =>
      (await leads(id)).every((l) => ['completed', 'ineligible'].includes(l.status)),
    );
    expect(await lead(id, '+33611000011')).toMatchObject({
      status: 'ineligible',
      status_reason: 'consent: no recorded consent for a consumer lead (FR-consent)',
    });
    expect(await lead(id, '+33611000012')).toMatchObject({
      status: 'completed',
      contact_type: 'business',
    });
    expect(await lead(id, '+33611000013')).toMatchObject({
      status: 'completed',
      consent_at: '2026-09-01T00:00:00.000Z',
    });
    const report = await api('get', `/v1/campaigns/${id}/report.csv`).expect(200);
    const [header, ...rows]: string[][] = parse(report.text);
    const at = (phone: string, col: string) =>
      rows.find((r) => r[0] === `'${phone}`)![header.indexOf(col)];
    expect(at('+33611000011', 'status')).toBe('ineligible');
    expect(at('+33611000013', 'consent_at')).toBe('2026-09-01T00:00:00Z');
    expect(at('+33611000013', 'consent_source')).toBe('web form');
    expect(at('+33611000012', 'contact_type')).toBe('business');
  });

  it('rejects a lead row whose consent date or contact type cannot be read, naming the column', async () => {
    const created = await api('post', '/v1/campaigns')
      .send({ name: 'bad evidence', agent_id: AGENT_ID, from_numbers: FROM_NUMBERS.slice(0, 1) })
      .expect(201);
    const csv = [
      'phone,Consent At,contact_type',
      '+33611000041,yesterday,',
      '+33611000042,,robot',
      '+33611000043,2026-09-01,b2b',
    ].join('\n');
    const res = await api('post', `/v1/campaigns/${created.body.id}/leads`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(res.body.errors).toEqual([
      {
        row: 2,
        column: 'Consent At',
        message: '"yesterday" is not a date (such as 2026-09-01 or 01/09/2026)',
      },
      {
        row: 3,
        column: 'contact_type',
        message: '"robot" is not a contact type: consumer or business',
      },
    ]);
    expect(await lead(created.body.id, '+33611000043')).toMatchObject({
      contact_type: 'business',
      consent_at: '2026-09-01T00:00:00.000Z',
    });
  });

  it('refuses a refusal or opt-out question the agent does not ask, naming the field', async () => {
    const res = await api('post', '/v1/campaigns')
      .send({
        name: 'x',
        agent_id: AGENT_ID,
        from_numbers: FROM_NUMBERS.slice(0, 1),
        compliance: { refusal_question: 'nope' },
      })
      .expect(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({ field: 'compliance.refusal_question' }),
    ]);
    const bad = await api('post', '/v1/campaigns')
      .send({
        name: 'x',
        agent_id: AGENT_ID,
        from_numbers: FROM_NUMBERS.slice(0, 1),
        compliance: { contact_type: 'robot' },
      })
      .expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('compliance.contact_type');
  });

  it('an opt-out answer adds the number to the do-not-call list with its reason and source', async () => {
    const id = await campaign(
      'opt-out',
      { contact_type: 'business', opt_out_question: 'do_not_call' },
      'phone\n+33611000021\n',
    );
    await start(id);
    await waitFor('called', async () => (await lead(id, '+33611000021')).status === 'completed');
    const listed = (await api('get', '/v1/suppressions').expect(200)).body.data as {
      phone: string;
      reason: string;
      source: { campaign_id: string; call_id: string };
    }[];
    const entry = listed.find((s) => s.phone === '+33611000021');
    expect(entry).toMatchObject({
      reason: 'opt-out during the call (question do_not_call)',
      source: { campaign_id: id, call_id: expect.any(String) },
    });
  });

  it('a refusal answer blocks the number in every campaign for 60 days', async () => {
    const phone = '+33611000031';
    const first = await campaign(
      'refusal',
      { contact_type: 'business', refusal_question: 'refuses_calls' },
      `phone\n${phone}\n`,
    );
    await start(first);
    await waitFor('called', async () => (await lead(first, phone)).status === 'completed');
    const refusedAt = engine.clock.nowMs();

    const other = await campaign(
      'another offer',
      { contact_type: 'business' },
      `phone\n${phone}\n`,
    );
    await start(other);
    await waitFor('held back', async () => (await lead(other, phone)).status_reason !== null);
    const held = await lead(other, phone);
    expect(held.status).toBe('pending');
    expect(held.status_reason).toMatch(
      /^refusal: refused on .*, no call for 60 days \(FR-refusal\), next /,
    );
    const next = Date.parse(held.next_attempt_at!);
    expect(next).toBeGreaterThan(refusedAt + 60 * DAY - 60_000);
    expect(next).toBeLessThanOrEqual(refusedAt + 60 * DAY);

    engine.clock.advance(59 * DAY);
    await new Promise((r) => setTimeout(r, 300));
    expect((await lead(other, phone)).status).toBe('pending');
    engine.clock.advance(DAY + 60_000); // a Tuesday, 11:01 in Paris
    await waitFor(
      'called after 60 days',
      async () => (await lead(other, phone)).status === 'completed',
    );
  });

  it('checks the laws again right before the POST: a refusal or a consent withdrawn after the claim stops the call', async () => {
    const [refused, withdrawn, fine] = ['+33611000041', '+33611000042', '+33611000043'];
    const csv = [
      'phone,contact_type,consent_at',
      `${refused},business,`,
      `${withdrawn},consumer,01/09/2026`,
      `${fine},business,`,
    ].join('\n');
    const id = await campaign('changed after the claim', {}, csv);
    // Between each claim and its POST: the number refuses calls, the consumer withdraws consent.
    dialerFaults.beforeSend = async () => {
      await engine.pg.query(
        `INSERT INTO contact_refusals (phone, refused_at)
         SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM contact_refusals WHERE phone = $1)`,
        [refused, new Date(engine.clock.nowMs())],
      );
      await engine.pg.query(`UPDATE leads SET consent_at = NULL WHERE phone = $1`, [withdrawn]);
    };
    try {
      await start(id);
      await waitFor('every lead settled', async () =>
        (await leads(id)).every(
          (l) => (l.status !== 'calling' && l.status_reason !== null) || l.status === 'completed',
        ),
      );
    } finally {
      delete dialerFaults.beforeSend;
    }
    expect(await lead(id, refused)).toMatchObject({
      status: 'pending',
      status_reason: expect.stringMatching(/^refusal: refused on .*\(FR-refusal\)/),
    });
    expect(await lead(id, withdrawn)).toMatchObject({
      status: 'ineligible',
      status_reason: 'consent: no recorded consent for a consumer lead (FR-consent)',
    });
    expect((await lead(id, fine)).status).toBe('completed');
    const dialled = engine.sim.calls().map((c) => c.to_number);
    expect(dialled).toContain(fine);
    expect(dialled).not.toContain(refused);
    expect(dialled).not.toContain(withdrawn);
    const attempts = await engine.pg.query(
      `SELECT l.phone, a.state, a.error FROM call_attempts a JOIN leads l ON l.id = a.lead_id
        WHERE a.campaign_id = $1 AND l.phone <> $2 ORDER BY l.phone`,
      [id, fine],
    );
    for (const a of attempts.rows) {
      expect(a).toMatchObject({
        state: 'not_dialled',
        error: expect.stringMatching(/^law at dial time: /),
      });
    }
    expect(attempts.rows.map((a) => a.phone)).toEqual([refused, withdrawn]);
  });
});
