import { describe, expect, it } from '@jest/globals';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import {
  allLeadsFinal,
  attemptsOf,
  createCampaign,
  expectCallsAccountedFor,
  leadsOf,
  useEngine,
} from './support/engine-fixtures';
import { scenarioWith } from '../kit/simulator';
import { sleep, waitFor } from '../kit/wait';

describe('caps hold at the platform', () => {
  const engine = useEngine({ scenario: scenarioWith({ completed: 1 }) });

  it('never has more calls live than max_concurrent_calls, and fills the slots it has', async () => {
    const { pg, sim } = engine();
    sim.resetStats();
    const id = await createCampaign(pg, { max_concurrent_calls: 4, max_calls_per_minute: 6000 });
    await addLeads(pg, id, phones(30, 0));
    await setCampaignStatus(pg, id, 'running');

    await waitFor('every lead final', () => allLeadsFinal(pg, id), 30_000);

    expect(sim.maxLiveObserved()).toBe(4);
    const leads = await leadsOf(pg, id);
    expect(leads.every((l) => l.status === 'completed' && l.attempts === 1)).toBe(true);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
    // Each call was tagged with where it belongs, and sent the lead's variables.
    const attempts = await attemptsOf(pg, id);
    const byCall = new Map(attempts.map((a) => [a.call_id, a]));
    await waitFor('metadata on every call', () =>
      sim.calls().every((c) => c.metadata.attempt_id !== undefined),
    );
    for (const call of sim.calls()) {
      const attempt = byCall.get(call.id);
      expect(call.metadata).toEqual({
        campaign_id: id,
        lead_id: attempt?.lead_id,
        attempt_id: attempt?.id,
      });
      expect(call.dynamic_variables_values).toHaveProperty('prenom');
    }
    // From-numbers are used in turn.
    const froms = new Set(sim.calls().map((c) => c.from_number));
    expect(froms.size).toBe(2);
  });

  it('starts at most max_calls_per_minute calls in any 60 s window, and more only as time passes', async () => {
    const { pg, sim, clock } = engine();
    sim.clearCalls();
    sim.resetStats();
    const id = await createCampaign(pg, { max_concurrent_calls: 20, max_calls_per_minute: 5 });
    await addLeads(pg, id, phones(12, 1000));
    await setCampaignStatus(pg, id, 'running');

    await waitFor('5 calls started', () => sim.calls().length >= 5);
    await sleep(1200);
    expect(sim.calls().length).toBe(5);

    clock.advance(30_000);
    await sleep(600);
    expect(sim.calls().length).toBe(5);

    clock.advance(32_500);
    await waitFor('10 calls started', () => sim.calls().length >= 10);
    await sleep(800);
    expect(sim.calls().length).toBe(10);

    clock.advance(62_500);
    await waitFor('every lead final', () => allLeadsFinal(pg, id), 20_000);
    expect(sim.calls().length).toBe(12);
    expect(sim.maxStartsInWindow(60_000)).toBeLessThanOrEqual(5);
  });

  it('converges to a platform concurrency limit below the cap without failing any lead', async () => {
    const { pg, sim } = engine();
    sim.clearCalls();
    sim.resetStats();
    sim.setOptions({ concurrencyLimit: 3 });
    try {
      const id = await createCampaign(pg, { max_concurrent_calls: 10, max_calls_per_minute: 6000 });
      await addLeads(pg, id, phones(25, 2000));
      await setCampaignStatus(pg, id, 'running');

      await waitFor('every lead final', () => allLeadsFinal(pg, id), 40_000);

      const leads = await leadsOf(pg, id);
      expect(leads.filter((l) => l.status !== 'completed')).toEqual([]);
      expect(leads.every((l) => l.attempts === 1)).toBe(true);
      expect(sim.maxLiveObserved()).toBeLessThanOrEqual(3);
      const { rows } = await pg.query(`SELECT observed_limit FROM platform_pause`);
      expect(rows[0].observed_limit).toBeLessThanOrEqual(4);
      // Once learned, the limit keeps refusals rare: far fewer 429s than leads.
      const refused = sim.requestCount('POST /calls/phone') - sim.calls().length;
      expect(refused).toBeLessThan(12);
      expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
    } finally {
      sim.setOptions({ concurrencyLimit: undefined });
      await pg.query(
        `UPDATE platform_pause SET paused_until = to_timestamp(0), observed_limit = NULL, consecutive_429 = 0`,
      );
    }
  });
});
