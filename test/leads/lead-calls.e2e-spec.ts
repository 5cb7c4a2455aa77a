import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TEST_API_KEY } from '../kit/app';
import {
  addLeads,
  attemptsOf,
  createCampaign,
  type Engine,
  leadsOf,
  phones,
  scenarioWith,
  setCampaignStatus,
  startEngine,
  waitFor,
} from '../engine/support/engine-fixtures';

// The lead detail's two actions: a call's transcript read from the platform, and "call this
// lead again" — the real engine against the simulator.
const get = (engine: Engine, path: string) =>
  request(engine.app.getHttpServer()).get(path).set('X-Api-Key', TEST_API_KEY);
const post = (engine: Engine, path: string, body: object) =>
  request(engine.app.getHttpServer()).post(path).set('X-Api-Key', TEST_API_KEY).send(body);

async function campaignStatus(engine: Engine, id: string): Promise<string> {
  const { rows } = await engine.pg.query(`SELECT status FROM campaigns WHERE id = $1`, [id]);
  return rows[0].status as string;
}

describe('a lead’s call transcript', () => {
  let engine: Engine;
  let id: string;

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }) });
    id = await createCampaign(engine.pg);
    await addLeads(engine.pg, id, phones(2, 810), (i) => ({ prenom: ['Zoé', 'Luc'][i] }));
    await setCampaignStatus(engine.pg, id, 'running');
    await waitFor(
      'campaign completed',
      async () => (await campaignStatus(engine, id)) === 'completed',
    );
  });
  afterAll(async () => engine?.close());

  it('answers what the platform transcribed, line by line and as one text', async () => {
    const [zoe] = await leadsOf(engine.pg, id);
    const res = await get(
      engine,
      `/v1/campaigns/${id}/leads/${zoe.id}/calls/${zoe.last_call_id}/transcript`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ call_id: zoe.last_call_id, call_status: 'completed' });
    expect(res.body.transcript[0]).toMatchObject({ role: 'agent' });
    expect(res.body.transcript[0].content).toContain('Zoé');
    expect(res.body.transcript_string).toContain('Agent: Bonjour Zoé');
  });

  it('refuses a call of another lead (404) and ids that are not UUIDs (400 naming the field)', async () => {
    const [zoe, luc] = await leadsOf(engine.pg, id);
    const other = await get(
      engine,
      `/v1/campaigns/${id}/leads/${zoe.id}/calls/${luc.last_call_id}/transcript`,
    );
    expect(other.status).toBe(404);
    const bad = await get(engine, `/v1/campaigns/${id}/leads/${zoe.id}/calls/nope/transcript`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('call_id');
  });

  it('refuses to requeue a completed lead (409) and an unknown one (404)', async () => {
    const [zoe] = await leadsOf(engine.pg, id);
    const done = await post(engine, `/v1/campaigns/${id}/leads/${zoe.id}/requeue`, {
      extra_attempts: 1,
    });
    expect(done.status).toBe(409);
    expect(done.body.message).toContain('completed');
    const unknown = await post(
      engine,
      `/v1/campaigns/${id}/leads/0192f0c4-1b2e-7c3d-9e4f-5a6b7c8d9e0f/requeue`,
      { extra_attempts: 1 },
    );
    expect(unknown.status).toBe(404);
    const zero = await post(engine, `/v1/campaigns/${id}/leads/${zoe.id}/requeue`, {
      extra_attempts: 0,
    });
    expect(zero.status).toBe(400);
    expect(zero.body.message).toContain('extra_attempts');
  });
});

describe('calling one lead again', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ missed: 1 }) });
  });
  afterAll(async () => engine?.close());

  it('puts only that exhausted lead back, extra_attempts more calls, and the campaign runs again', async () => {
    const id = await createCampaign(engine.pg, {
      retry: { max_attempts: 1, delay_minutes: 0, on: ['missed'] },
    });
    await addLeads(engine.pg, id, phones(2, 820));
    await setCampaignStatus(engine.pg, id, 'running');
    await waitFor(
      'campaign completed',
      async () => (await campaignStatus(engine, id)) === 'completed',
    );
    const [first, second] = await leadsOf(engine.pg, id);

    const res = await post(engine, `/v1/campaigns/${id}/leads/${first.id}/requeue`, {
      extra_attempts: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      moved: 1,
      by_status: { exhausted: 1 },
      campaign: { status: 'running' },
    });
    await waitFor(
      'completed again',
      async () => (await campaignStatus(engine, id)) === 'completed',
    );
    const leads = await leadsOf(engine.pg, id);
    expect(leads.map((l) => [l.id, l.status, l.attempts])).toEqual([
      [first.id, 'exhausted', 3],
      [second.id, 'exhausted', 1],
    ]);
    expect((await attemptsOf(engine.pg, id)).length).toBe(4);
  });
});
