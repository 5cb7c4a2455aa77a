import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp } from '../../kit/app';
import { addLeads, phones, setCampaignStatus } from '../../kit/factories';
import {
  allLeadsFinal,
  attemptsOf,
  createCampaign,
  type Engine,
  expectCallsAccountedFor,
  FAST_TUNING,
  startEngine,
} from '../support/engine-fixtures';
import { scenarioWith } from '../../kit/simulator';
import { waitFor } from '../../kit/wait';

const PLATFORM_LIMIT = 4;
const LEADS = 80;

describe('campaigns share a platform limit by their caps, across instances', () => {
  let engine: Engine;
  let second: INestApplication;

  beforeAll(async () => {
    engine = await startEngine({
      scenario: scenarioWith({ completed: 1 }),
      concurrencyLimit: PLATFORM_LIMIT,
    });
    // A second instance of the engine on the same database and platform.
    second = await startTestApp({
      databaseUrl: engine.db.url,
      platformUrl: engine.sim.url,
      platformKey: engine.sim.apiKey,
      clock: engine.clock,
      worker: FAST_TUNING,
    });
  });

  afterAll(async () => {
    await second?.close();
    await engine?.close();
  });

  it('two campaigns with caps 8 and 4 under a limit of 4 both progress, about 2:1', async () => {
    const { pg, sim } = engine;
    // The bigger one starts first: in start order it would take every freed slot.
    const big = await createCampaign(pg, { name: 'big', max_concurrent_calls: 8 });
    const small = await createCampaign(pg, { name: 'small', max_concurrent_calls: 4 });
    await addLeads(pg, big, phones(LEADS, 0));
    await addLeads(pg, small, phones(LEADS, 10_000));
    await setCampaignStatus(pg, big, 'running');
    await setCampaignStatus(pg, small, 'running');

    // While both still have leads to call (each has 80: neither is done at 60 calls). A cap-weighted
    // share is a third; in start order the small one got its slots only by luck around pauses.
    await waitFor('60 calls made', () => sim.calls().length >= 60, 40_000);
    const made = async (id: string) =>
      (await attemptsOf(pg, id)).filter((a) => a.call_id !== null).length;
    const [bigCalls, smallCalls] = [await made(big), await made(small)];
    const share = smallCalls / (bigCalls + smallCalls);
    expect(share).toBeGreaterThanOrEqual(0.25);
    // Weighted by the caps: the campaign with twice the cap gets more, not a half each.
    expect(bigCalls).toBeGreaterThan(smallCalls);

    await waitFor(
      'both campaigns done',
      async () => {
        return (await allLeadsFinal(pg, big)) && (await allLeadsFinal(pg, small));
      },
      90_000,
    );
    expect(sim.maxLiveObserved()).toBeLessThanOrEqual(PLATFORM_LIMIT);
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });
});
