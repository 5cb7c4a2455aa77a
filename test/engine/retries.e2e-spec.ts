import { afterEach, describe, expect, it } from '@jest/globals';
import { dialerFaults, SimulatedCrash } from '../../src/engine/dialer-faults';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import {
  allLeadsFinal,
  attemptsOf,
  createCampaign,
  expectCallsAccountedFor,
  leadsAllAt,
  leadsOf,
  retryDelaysOf,
  useEngine,
} from './support/engine-fixtures';
import { scenarioWith } from '../kit/simulator';
import { sleep, waitFor } from '../kit/wait';

const MIN = 60_000;

describe('outcomes and retries follow the campaign policy', () => {
  const engine = useEngine({ scenario: scenarioWith({ missed: 1 }) });

  it('calls a lead that never answers exactly max_attempts times, delay_minutes apart, then exhausts it', async () => {
    const { pg, sim, clock } = engine();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 3, delay_minutes: 10, on: ['missed'] },
    });
    await addLeads(pg, id, phones(3, 0));
    await setCampaignStatus(pg, id, 'running');

    const leadsAt = (status: string, attempts: number) => leadsAllAt(pg, id, status, attempts);

    await waitFor('first attempts missed', () => leadsAt('retry_scheduled', 1));
    expect(sim.calls()).toHaveLength(3);
    expect(await retryDelaysOf(pg, id)).toEqual(Array(3).fill(10 * MIN));

    clock.advance(9 * MIN);
    await sleep(800);
    expect(sim.calls()).toHaveLength(3);

    clock.advance(MIN + 1000);
    await waitFor('second attempts missed', () => leadsAt('retry_scheduled', 2));
    expect(sim.calls()).toHaveLength(6);

    clock.advance(10 * MIN + 1000);
    await waitFor('leads exhausted', () => leadsAt('exhausted', 3));
    clock.advance(60 * MIN);
    await sleep(800);
    expect(sim.calls()).toHaveLength(9);
    const attempts = await attemptsOf(pg, id);
    expect(attempts.map((a) => a.outcome)).toEqual(Array(9).fill('missed'));
    expect(attempts.every((a) => a.state === 'ended' && a.call_status === 'missed')).toBe(true);
    expect((await expectCallsAccountedFor(pg, sim, 3)).problems).toEqual([]);
  });

  it('fails a lead at once when its outcome is not one the policy retries', async () => {
    const { pg, sim } = engine();
    sim.clearCalls();
    sim.setOptions({});
    const id = await createCampaign(pg, {
      retry: { max_attempts: 3, delay_minutes: 0, on: ['failed'] },
    });
    await addLeads(pg, id, phones(2, 100));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('leads final', () => allLeadsFinal(pg, id));
    await sleep(500);
    const leads = await leadsOf(pg, id);
    expect(leads.map((l) => [l.status, l.attempts, l.outcome])).toEqual([
      ['failed', 1, 'missed'],
      ['failed', 1, 'missed'],
    ]);
    expect(leads[0].status_reason).toMatch(/does not retry missed/);
    expect(sim.calls()).toHaveLength(2);
  });

  afterEach(() => {
    delete dialerFaults.afterEndBeforeSettle;
  });

  it('a lead whose process stopped between freeing the slot and settling it is settled once, by its own outcome', async () => {
    const { pg, sim } = engine();
    sim.clearCalls();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 2, delay_minutes: 30, on: ['missed'] },
    });
    await addLeads(pg, id, phones(2, 200));
    // Every first try to settle "crashes" after the attempt ended (its slot free).
    const crashed = new Set<string>();
    dialerFaults.afterEndBeforeSettle = (attemptId) => {
      if (crashed.has(attemptId)) return;
      crashed.add(attemptId);
      throw new SimulatedCrash('after the end, before the lead');
    };
    await setCampaignStatus(pg, id, 'running');
    await waitFor('both leads settled after the crash', () =>
      leadsAllAt(pg, id, 'retry_scheduled', 1),
    );
    expect(crashed.size).toBe(2);
    const attempts = await attemptsOf(pg, id);
    expect(attempts.map((a) => [a.state, a.outcome, a.error])).toEqual([
      ['ended', 'missed', null],
      ['ended', 'missed', null],
    ]);
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM call_attempts WHERE campaign_id = $1 AND answers_due_until IS NOT NULL`,
      [id],
    );
    expect(rows[0].n).toBe(0);
    expect(await retryDelaysOf(pg, id)).toEqual(Array(2).fill(30 * MIN));
    expect(sim.calls()).toHaveLength(2);
  });
});

describe('completed calls', () => {
  const engine = useEngine({
    scenario: scenarioWith({ completed: 1 }),
    durations: { answersDelayMs: 600 },
  });

  it('complete the lead with the raw answers, cost and duration, once post-call processing is done', async () => {
    const { pg, sim } = engine();
    const id = await createCampaign(pg, { max_concurrent_calls: 3 });
    await addLeads(pg, id, phones(4, 200));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('leads completed', () => allLeadsFinal(pg, id));

    const { rows } = await pg.query(
      `SELECT a.state, a.outcome, a.call_status, a.post_call_answers, a.cost, a.duration_seconds,
              a.ended_at, a.answers_due_until, l.status, l.last_call_id, a.call_id
         FROM call_attempts a JOIN leads l ON l.id = a.lead_id WHERE a.campaign_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r).toMatchObject({
        state: 'ended',
        outcome: 'completed',
        call_status: 'completed',
        status: 'completed',
      });
      expect(r.last_call_id).toBe(r.call_id);
      expect(r.answers_due_until).toBeNull();
      expect(Array.isArray(r.post_call_answers) && r.post_call_answers.length).toBeGreaterThan(0);
      expect(Number(r.duration_seconds)).toBeGreaterThan(0);
      expect(r.cost).not.toBeNull();
      expect(r.ended_at).not.toBeNull();
    }
    expect((await expectCallsAccountedFor(pg, sim, 1)).problems).toEqual([]);
  });
});

describe('statuses the platform never documented', () => {
  // The scenario's unknown outcome ends calls with the status "voicemail".
  const engine = useEngine({ scenario: scenarioWith({ unknown: 1 }) });

  it('keep the call polled until the maximum call age, then end it `unknown`', async () => {
    const { pg, sim, clock } = engine();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 2, delay_minutes: 0, on: ['unknown'] },
    });
    await addLeads(pg, id, phones(1, 300));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('call ended on the platform', () => sim.calls()[0]?.status === 'voicemail');
    await sleep(800);
    // Still polled: the lead is neither retried nor finished on a status never seen before.
    expect((await leadsOf(pg, id))[0]).toMatchObject({ status: 'calling', attempts: 1 });
    expect(sim.calls()).toHaveLength(1);

    clock.advance(61_000);
    await waitFor('second call', () => sim.calls().length === 2);
    await waitFor('second call ended on the platform', () => sim.calls()[1].status === 'voicemail');
    clock.advance(61_000);
    await waitFor('lead final', () => allLeadsFinal(pg, id));
    const [lead] = await leadsOf(pg, id);
    expect(lead).toMatchObject({ status: 'exhausted', attempts: 2, outcome: 'unknown' });
    const attempts = await attemptsOf(pg, id);
    expect(attempts.map((a) => [a.outcome, a.call_status])).toEqual([
      ['unknown', 'voicemail'],
      ['unknown', 'voicemail'],
    ]);
  });

  it('end it at once when the status is configured as terminal, with the outcome it maps to', async () => {
    const { pg, sim } = engine();
    await engine().startApp({ env: { CALLROUNDED_TERMINAL_STATUSES: 'voicemail=missed' } });
    sim.clearCalls();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 1, delay_minutes: 0, on: ['missed'] },
    });
    await addLeads(pg, id, phones(1, 400));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('lead final', () => allLeadsFinal(pg, id));
    const [lead] = await leadsOf(pg, id);
    expect(lead).toMatchObject({ status: 'exhausted', attempts: 1, outcome: 'missed' });
  });
});
