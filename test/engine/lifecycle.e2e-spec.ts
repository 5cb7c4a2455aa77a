import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types';
import { TEST_API_KEY } from '../kit/app';
import { addLeads, ALWAYS_OPEN, phones, setCampaignStatus } from '../kit/factories';
import { AGENT_ID, FROM_NUMBERS, scenarioWith } from '../kit/simulator';
import {
  allLeadsFinal,
  createCampaign,
  type Engine,
  expectCallsAccountedFor,
  leadsOf,
  startEngine,
  useEngine,
} from './support/engine-fixtures';
import { sleep, waitFor } from '../kit/wait';

/** Calls long enough (1.5–2.5 s once answered) to pause and cancel while they are live. */
const LONG_CALLS = { ringMs: 100, talkMinMs: 1500, talkMaxMs: 2500 };

describe('pause, resume and cancel, through the API', () => {
  let engine: Engine;
  let http: App;

  const api = (method: 'get' | 'post', path: string) =>
    request(http)[method](path).set('X-Api-Key', TEST_API_KEY);

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }), durations: LONG_CALLS });
    http = engine.app.getHttpServer() as App;
  });

  afterAll(async () => {
    await engine?.close();
  });

  async function campaignWithLeads(count: number, base: number): Promise<string> {
    const created = await api('post', '/v1/campaigns')
      .send({
        name: 'lifecycle',
        agent_id: AGENT_ID,
        from_numbers: FROM_NUMBERS.slice(0, 1),
        timezone: 'Europe/Paris',
        calling_window: ALWAYS_OPEN,
        // Not about the calling laws: the clock is the wall clock, at any hour.
        compliance: { rules: 'none' },
        max_concurrent_calls: 3,
        max_calls_per_minute: 600,
        retry: { max_attempts: 1, delay_minutes: 1, on: ['missed'] },
      })
      .expect(201);
    const id = created.body.id as string;
    const csv = ['phone,prenom', ...phones(count, base).map((p, i) => `${p},Lead ${i}`)].join('\n');
    await api('post', `/v1/campaigns/${id}/leads`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    return id;
  }

  const liveAtPlatform = () =>
    engine.sim.calls().filter((c) => ['created', 'ongoing'].includes(c.status));

  it('pause stops new calls and keeps recording the live ones; resume carries on', async () => {
    const { pg, sim } = engine;
    const id = await campaignWithLeads(8, 0);
    await api('post', `/v1/campaigns/${id}/start`).expect(200);
    await waitFor('3 calls live', () => liveAtPlatform().length === 3);

    await api('post', `/v1/campaigns/${id}/pause`).expect(200);
    const startedBeforePause = sim.calls().length;
    await waitFor('live calls over and recorded', async () => {
      const leads = await leadsOf(pg, id);
      return liveAtPlatform().length === 0 && leads.every((l) => l.status !== 'calling');
    });
    await sleep(500);
    expect(sim.calls()).toHaveLength(startedBeforePause);
    const whilePaused = await leadsOf(pg, id);
    expect(whilePaused.filter((l) => l.status === 'completed')).toHaveLength(startedBeforePause);

    await api('post', `/v1/campaigns/${id}/resume`).expect(200);
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 30_000);
    expect((await leadsOf(pg, id)).every((l) => l.status === 'completed' && l.attempts === 1)).toBe(
      true,
    );
    expect(sim.maxLiveObserved()).toBeLessThanOrEqual(3);
    await waitFor('campaign completed', async () => {
      const res = await api('get', `/v1/campaigns/${id}`).expect(200);
      return res.body.status === 'completed';
    });
  });

  it('cancel terminates the live calls, records them, and cancels every lead left', async () => {
    const { pg, sim } = engine;
    sim.clearCalls();
    const id = await campaignWithLeads(10, 100);
    await api('post', `/v1/campaigns/${id}/start`).expect(200);
    await waitFor(
      '3 calls answered',
      () => liveAtPlatform().filter((c) => c.status === 'ongoing').length === 3,
    );

    await api('post', `/v1/campaigns/${id}/cancel`).expect(200);
    const started = sim.calls();
    await waitFor('every lead final', () => allLeadsFinal(pg, id));
    await sleep(500);

    expect(sim.calls()).toHaveLength(started.length);
    expect(liveAtPlatform()).toHaveLength(0);
    expect(sim.calls().filter((c) => c.terminated)).toHaveLength(3);
    const leads = await leadsOf(pg, id);
    const called = leads.filter((l) => l.attempts > 0);
    expect(called).toHaveLength(3);
    // The terminated calls had connected: they are recorded as talks that happened.
    expect(called.every((l) => l.status === 'completed' && l.last_call_id !== null)).toBe(true);
    expect(leads.filter((l) => l.attempts === 0).every((l) => l.status === 'cancelled')).toBe(true);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });
});

describe('graceful shutdown of an instance', () => {
  const engine = useEngine({ scenario: scenarioWith({ completed: 1 }) });

  it('releases the attempts still waiting to be sent, keeps the calls it made, and another start finishes them', async () => {
    const { pg, sim } = engine();
    // 6/min: one start at once, then one every 10 s, so nearly every claimed attempt is still
    // waiting in the queue when the instance stops, however slowly the machine runs.
    const id = await createCampaign(pg, { max_concurrent_calls: 20, max_calls_per_minute: 6 });
    await addLeads(pg, id, phones(20, 0));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('first call', () => sim.calls().length >= 1);
    await engine().stopApp();

    const { rows } = await pg.query(
      `SELECT state, count(*)::int AS n FROM call_attempts WHERE campaign_id = $1 GROUP BY state`,
      [id],
    );
    const byState = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    const claimed = rows.reduce((sum, r) => sum + Number(r.n), 0);
    const sent = sim.calls().length;
    expect(byState.starting).toBeUndefined();
    expect((byState.live ?? 0) + (byState.ended ?? 0)).toBe(sent);
    // Every attempt claimed and not sent was released, not left to its lease.
    expect(byState.not_dialled).toBe(claimed - sent);
    expect(byState.not_dialled).toBeGreaterThan(0);
    const waiting = (await leadsOf(pg, id)).filter((l) => l.status === 'pending');
    expect(waiting.every((l) => l.attempts === 0)).toBe(true);

    await pg.query(`UPDATE campaigns SET max_calls_per_minute = 600 WHERE id = $1`, [id]);
    await engine().startApp();
    await waitFor('every lead final', () => allLeadsFinal(pg, id));
    expect((await leadsOf(pg, id)).every((l) => l.status === 'completed' && l.attempts === 1)).toBe(
      true,
    );
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });
});
