import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { addLeads, phones, setCampaignStatus } from '../../kit/factories';
import {
  allLeadsFinal,
  createCampaign,
  type Engine,
  expectCallsAccountedFor,
  leadsOf,
  startEngine,
} from '../support/engine-fixtures';
import { scenarioWith } from '../../kit/simulator';
import { waitFor } from '../../kit/wait';

const START = 'POST /calls/phone';

describe('platform 429s: a rate 429 pauses, a concurrency 429 teaches the limit (AIMD)', () => {
  let engine: Engine;

  const pauseRow = async () =>
    (
      await engine.pg.query(
        `SELECT observed_limit, last_429_at, consecutive_429, unexplained_429s FROM platform_pause`,
      )
    ).rows[0] as {
      observed_limit: number | null;
      last_429_at: Date | null;
      consecutive_429: number;
      unexplained_429s: number;
    };

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }) });
  });

  afterEach(async () => {
    engine.sim.setOptions({ concurrencyLimit: undefined });
    engine.sim.setFaults({ limitMessage: undefined, failNext: undefined });
    engine.sim.clearCalls();
    engine.sim.resetStats();
    await engine.pg.query(
      `UPDATE platform_pause SET paused_until = to_timestamp(0), observed_limit = NULL, consecutive_429 = 0,
              growth_starts = 0, unexplained_429_live = NULL, unexplained_429s = 0`,
    );
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('lone 429s with Retry-After: 1 and rate-limit 429s pause starts but never lower the limit', async () => {
    const { pg, sim } = engine;
    const id = await createCampaign(pg, { max_concurrent_calls: 6, max_calls_per_minute: 6000 });
    await addLeads(pg, id, phones(60, 0));
    await setCampaignStatus(pg, id, 'running');
    // Spread over the run, each followed by accepted starts: what 5 % random 429s look like.
    const messages = [
      'Too many requests',
      'Call rate limit reached',
      'Too many requests',
      'Rate limit exceeded: 600 calls per minute',
      'Too many requests',
    ];
    for (const message of messages) {
      const sent = sim.requestCount(START);
      sim.setFaults({
        failNext: { status: 429, count: 1, route: START, retryAfterSeconds: 1, message },
      });
      await waitFor('the 429 answered, then starts accepted again', () => {
        const accepted = sim.calls().length;
        return sim.requestCount(START) >= sent + 4 && accepted >= 1;
      });
    }
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 40_000);

    const row = await pauseRow();
    expect(row.last_429_at).not.toBeNull();
    expect(row.observed_limit).toBeNull();
    expect(row.consecutive_429).toBe(0);
    // Refused starts were not attempts: every lead called once, and the cap was used in full.
    const leads = await leadsOf(pg, id);
    expect(leads.filter((l) => l.status !== 'completed' || l.attempts !== 1)).toEqual([]);
    expect(sim.requestCount(START) - sim.calls().length).toBe(messages.length);
    expect(sim.maxLiveObserved()).toBe(6);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });

  it('429s that name no limit, repeated at one live count, teach a concurrency limit', async () => {
    const { pg, sim } = engine;
    sim.setOptions({ concurrencyLimit: 3 });
    sim.setFaults({ limitMessage: 'Too many requests' });
    const id = await createCampaign(pg, { max_concurrent_calls: 8, max_calls_per_minute: 6000 });
    await addLeads(pg, id, phones(30, 1000));
    await setCampaignStatus(pg, id, 'running');

    await waitFor('every lead final', () => allLeadsFinal(pg, id), 40_000);

    const row = await pauseRow();
    expect(row.observed_limit).not.toBeNull();
    expect(row.observed_limit).toBeLessThanOrEqual(4);
    const leads = await leadsOf(pg, id);
    expect(leads.filter((l) => l.status !== 'completed' || l.attempts !== 1)).toEqual([]);
    // Learned, the limit keeps refusals to the first burst and the probes above it.
    expect(sim.requestCount(START) - sim.calls().length).toBeLessThan(30);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });

  it('a learned limit grows back one step at a time while starts succeed, without a quiet period', async () => {
    const { pg, sim } = engine;
    sim.setOptions({ concurrencyLimit: 2 });
    const id = await createCampaign(pg, { max_concurrent_calls: 6, max_calls_per_minute: 6000 });
    await addLeads(pg, id, phones(100, 2000));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('the limit learned', async () => (await pauseRow()).observed_limit === 2);

    // The platform lifts its limit: nothing says so but accepted starts.
    sim.setOptions({ concurrencyLimit: undefined });
    sim.resetStats();
    const seen = new Set<number>();
    await waitFor(
      'the limit back to the cap',
      async () => {
        const limit = (await pauseRow()).observed_limit ?? 0;
        seen.add(limit);
        return limit >= 6;
      },
      25_000,
    );
    // Additive: it went through the steps in between, not in one jump.
    expect([...seen].filter((n) => n > 2 && n < 6).length).toBeGreaterThanOrEqual(2);
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 40_000);
    expect(sim.maxLiveObserved()).toBe(6);
    const leads = await leadsOf(pg, id);
    expect(leads.filter((l) => l.status !== 'completed' || l.attempts !== 1)).toEqual([]);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });
});
