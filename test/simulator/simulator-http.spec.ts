import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator } from '../../src/simulator/simulator';
import type { SimulatorHandle } from '../../src/simulator/simulator.types';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator/scenarios/hair-salon.fr';
import {
  FOLLOW_UP_AGENT_ID,
  FROM_NUMBER,
  raw,
  SALON_AGENT_ID,
  startCallRaw,
} from '../kit/simulator';
import { leadNumber } from '../kit/factories';

const SCENARIO_JSON = 'src/simulator/scenarios/hair-salon.fr.json';

describe('simulator HTTP surface', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, apiKey: 'test-key-123', seed: 1 });
  });
  afterAll(() => sim.close());

  it('listens on 127.0.0.1 with /v1 in its URL', () => {
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/v1`);
    expect(sim.apiKey).toBe('test-key-123');
  });

  it('answers 401 envelopes without or with a wrong X-Api-Key', async () => {
    for (const apiKey of [null, 'wrong']) {
      const answer = await raw(sim, 'GET', '/phone-numbers', { apiKey });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({
        data: null,
        status: 401,
        error: { status: 401, type: 'generic_error', details: [] },
      });
    }
  });

  it('answers 404 envelopes for unknown ids and routes, 405 for GET /agents', async () => {
    expect((await raw(sim, 'GET', '/calls/8f14e45f-ceea-4e7a-9b1d-000000000000')).status).toBe(404);
    expect((await raw(sim, 'GET', '/agents/8f14e45f-ceea-4e7a-9b1d-000000000000')).status).toBe(
      404,
    );
    expect((await raw(sim, 'POST', '/calls/nope/terminate')).status).toBe(404);
    const unknown = await raw(sim, 'GET', '/knowledge-bases/x');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.type).toBe('generic_error');
    const agents = await raw(sim, 'GET', '/agents');
    expect(agents.status).toBe(405);
    expect(agents.json.error.status).toBe(405);
    expect(sim.requestCount('GET /agents')).toBe(1);
  });

  it('validates POST /calls/phone with field details', async () => {
    const answer = await raw(sim, 'POST', '/calls/phone', {
      body: { from_number: '+33600000000', to_number: '0612', agent_id: 'not-a-uuid' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'agent_id',
      'from_number',
      'to_number',
    ]);
    const unknownAgent = await raw(sim, 'POST', '/calls/phone', {
      body: {
        from_number: FROM_NUMBER,
        to_number: leadNumber(1),
        agent_id: '8f14e45f-ceea-4e7a-9b1d-000000000000',
      },
    });
    expect(unknownAgent.status).toBe(400);
    expect(unknownAgent.json.error.details).toEqual([
      { field: 'agent_id', message: 'Agent not found' },
    ]);
    const notJson = await raw(sim, 'POST', '/calls/phone', { body: 'text' });
    expect(notJson.status).toBe(400);
    expect(sim.calls()).toHaveLength(0);
  });

  it('answers the call id only, and ignores metadata on create', async () => {
    const answer = await raw(sim, 'POST', '/calls/phone', {
      body: {
        from_number: FROM_NUMBER,
        to_number: leadNumber(2),
        agent_id: SALON_AGENT_ID,
        metadata: { lead_id: 'x' },
        dynamic_variables_values: { prenom: 'Léa', nested: { ok: true }, n: 3 },
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      message: 'Phone call started successfully',
      data: { call_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      error: null,
      status: 201,
    });
    const call = sim.calls().find((c) => c.id === answer.json.data.call_id);
    expect(call).toMatchObject({
      metadata: {},
      to_number: leadNumber(2),
      from_number: FROM_NUMBER,
      agent_id: SALON_AGENT_ID,
      dynamic_variables_values: { prenom: 'Léa', nested: { ok: true }, n: 3 },
    });
  });

  it('merges metadata by default and replaces it with override', async () => {
    const id = await startCallRaw(sim, leadNumber(3));
    await raw(sim, 'PATCH', `/calls/${id}`, { body: { metadata: { a: 1, b: 2 } } });
    const merged = await raw(sim, 'PATCH', `/calls/${id}`, { body: { metadata: { b: 3, c: 4 } } });
    expect(merged.json.data.metadata).toEqual({ a: 1, b: 3, c: 4 });
    const replaced = await raw(sim, 'PATCH', `/calls/${id}`, {
      body: { metadata: { z: true }, override: true },
    });
    expect(replaced.json.data.metadata).toEqual({ z: true });
    const bad = await raw(sim, 'PATCH', `/calls/${id}`, {
      body: { metadata: [1], override: 'yes' },
    });
    expect(bad.status).toBe(400);
  });

  it('serves the agent with variables and the questions on both paths', async () => {
    const agent = await raw(sim, 'GET', `/agents/${SALON_AGENT_ID}`);
    expect(agent.json.data).toMatchObject({ id: SALON_AGENT_ID, language: 'fr' });
    const varNames = agent.json.data.variables.map((v: { name: string }) => v.name);
    expect(varNames).toEqual(
      expect.arrayContaining(['from_number', 'to_number', 'call_id', 'call_start_time', 'prenom']),
    );
    const perAgent = await raw(sim, 'GET', `/agents/${SALON_AGENT_ID}/post-call-questions`);
    expect(perAgent.json.data).toHaveLength(6);
    expect(perAgent.json.data[2]).toMatchObject({
      agent_id: SALON_AGENT_ID,
      name: 'logiciel_actuel',
      type: 'single_choice',
      is_active: true,
    });
    expect(perAgent.json.data[2].options[0]).toEqual({ id: expect.any(String), value: 'Aucun' });
    const unscoped = await raw(sim, 'GET', '/post-call-questions');
    expect(unscoped.json.data).toHaveLength(10);
    const filtered = await raw(sim, 'GET', `/post-call-questions?agent_id=${FOLLOW_UP_AGENT_ID}`);
    expect(filtered.json.data.map((q: { name: string }) => q.name)).toEqual(['rdv_pris']);
  });

  it('injects 500s, and a 500 on POST may still have created the call', async () => {
    sim.clearCalls();
    sim.setFaults({ errorRate: 1, postErrorCreatesCallRate: 1 });
    expect((await raw(sim, 'GET', '/phone-numbers')).status).toBe(500);
    const post = await raw(sim, 'POST', '/calls/phone', {
      body: { from_number: FROM_NUMBER, to_number: leadNumber(4), agent_id: SALON_AGENT_ID },
    });
    expect(post.status).toBe(500);
    expect(post.json.error.type).toBe('generic_error');
    expect(sim.calls()).toHaveLength(1);
    sim.setFaults({ errorRate: 0 });
  });

  it('consumes scripted failures in order, with Retry-After', async () => {
    sim.setFaults({
      failNext: { status: 429, count: 2, route: 'GET /phone-numbers', retryAfterSeconds: 3 },
    });
    const first = await raw(sim, 'GET', '/phone-numbers');
    expect(first.status).toBe(429);
    expect(first.header('retry-after')).toBe('3');
    expect((await raw(sim, 'GET', `/agents/${SALON_AGENT_ID}`)).status).toBe(200);
    expect((await raw(sim, 'GET', '/phone-numbers')).status).toBe(429);
    expect((await raw(sim, 'GET', '/phone-numbers')).status).toBe(200);
  });

  it('can create a call and reset the connection instead of answering', async () => {
    sim.clearCalls();
    sim.setFaults({ postNoAnswerRate: 1, postNoAnswerMode: 'destroy' });
    await expect(startCallRaw(sim, leadNumber(5))).rejects.toThrow();
    expect(sim.calls()).toHaveLength(1);
    sim.setFaults({ postNoAnswerRate: 0 });
  });

  it('counts requests per route', () => {
    const counts = sim.requestCounts();
    expect(counts['POST /calls/phone']).toBeGreaterThan(3);
    expect(sim.requestCount()).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    sim.resetStats();
    expect(sim.requestCount()).toBe(0);
  });
});

describe('simulator scenarios', () => {
  it('ships a JSON copy identical to the TypeScript default', () => {
    expect(JSON.parse(readFileSync(SCENARIO_JSON, 'utf8'))).toEqual(HAIR_SALON_FR_SCENARIO);
  });

  it('loads a scenario from a JSON path', async () => {
    const sim = await startSimulator({ scenario: SCENARIO_JSON });
    try {
      expect(sim.scenario.name).toBe('hair-salon.fr');
      expect((await raw(sim, 'GET', `/agents/${SALON_AGENT_ID}`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('can expose only the unscoped questions path', async () => {
    const sim = await startSimulator({ questionRoutes: 'unscoped' });
    try {
      expect((await raw(sim, 'GET', `/agents/${SALON_AGENT_ID}/post-call-questions`)).status).toBe(
        404,
      );
      expect((await raw(sim, 'GET', '/post-call-questions')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('shifts platform timestamps by the configured clock skew', async () => {
    const sim = await startSimulator({ clockSkewMs: 120_000 });
    try {
      const id = await startCallRaw(sim, leadNumber(1));
      const call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
      const skew = Date.parse(call.start_time) - Date.now();
      expect(skew).toBeGreaterThan(115_000);
      expect(skew).toBeLessThanOrEqual(120_000);
    } finally {
      await sim.close();
    }
  });

  it('rejects a scenario without agents', async () => {
    await expect(
      startSimulator({ scenario: { ...HAIR_SALON_FR_SCENARIO, agents: [] } }),
    ).rejects.toThrow(/agents/);
  });
});
