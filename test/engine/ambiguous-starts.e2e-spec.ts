import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { dialerFaults, SimulatedCrash } from '../../src/engine/dialer-faults';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import { AGENT_ID, FROM_NUMBERS, scenarioWith } from '../kit/simulator';
import {
  allLeadsFinal,
  attemptsOf,
  createCampaign,
  type Engine,
  expectCallsAccountedFor,
  leadsOf,
  startEngine,
} from './support/engine-fixtures';
import { sleep, waitFor } from '../kit/wait';

/** One lead, run to its end; answers the campaign id. */
async function runOneLead(engine: Engine, phone: string): Promise<string> {
  const id = await createCampaign(engine.pg, {
    retry: { max_attempts: 2, delay_minutes: 0, on: ['missed', 'failed'] },
  });
  await addLeads(engine.pg, id, [phone]);
  await setCampaignStatus(engine.pg, id, 'running');
  await waitFor('lead final', () => allLeadsFinal(engine.pg, id), 20_000);
  return id;
}

const callsTo = (engine: Engine, phone: string) =>
  engine.sim.calls().filter((c) => c.to_number === phone);

describe('a start whose outcome is unknown is never dialled twice', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }) });
  });

  afterEach(() => {
    engine.sim.setFaults({ postNoAnswerRate: 0, listLagMs: 0, failNext: undefined });
    delete dialerFaults.afterPostBeforeSave;
    delete dialerFaults.beforeSend;
  });

  afterAll(async () => {
    await engine?.close();
  });

  it.each(['hang', 'destroy'] as const)(
    'a POST that creates the call but never answers (%s) yields no second call; the call ends on its lead',
    async (mode) => {
      const phone = phones(1, mode === 'hang' ? 0 : 1)[0];
      // The new call also shows in GET /calls only after a lag: reconciliation must look again.
      engine.sim.setFaults({ postNoAnswerRate: 1, postNoAnswerMode: mode, listLagMs: 700 });
      const id = await createCampaign(engine.pg, {
        retry: { max_attempts: 2, delay_minutes: 0, on: ['missed', 'failed'] },
      });
      await addLeads(engine.pg, id, [phone]);
      await setCampaignStatus(engine.pg, id, 'running');
      await waitFor('the POST reached the platform', () => callsTo(engine, phone).length === 1);
      engine.sim.setFaults({ postNoAnswerRate: 0 });
      await waitFor('lead final', () => allLeadsFinal(engine.pg, id), 20_000);

      expect(callsTo(engine, phone)).toHaveLength(1);
      const [lead] = await leadsOf(engine.pg, id);
      expect(lead).toMatchObject({
        status: 'completed',
        attempts: 1,
        last_call_id: callsTo(engine, phone)[0].id,
      });
      const attempts = await attemptsOf(engine.pg, id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ state: 'ended', call_id: callsTo(engine, phone)[0].id });
      expect(attempts[0].error).toMatch(/ambiguous start/);
      expect((await expectCallsAccountedFor(engine.pg, engine.sim, 2)).problems).toEqual([]);
    },
  );

  it('a 500 that created the call: the call is adopted, not dialled again', async () => {
    const phone = phones(1, 10)[0];
    engine.sim.setFaults({
      failNext: { status: 500, count: 1, route: 'POST /calls/phone', createsCall: true },
    });
    const id = await runOneLead(engine, phone);
    expect(callsTo(engine, phone)).toHaveLength(1);
    expect((await leadsOf(engine.pg, id))[0]).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('a 500 that created nothing: after the grace period the lead is dialled, and that first try does not count', async () => {
    const phone = phones(1, 20)[0];
    engine.sim.setFaults({
      failNext: { status: 500, count: 1, route: 'POST /calls/phone', createsCall: false },
    });
    const id = await runOneLead(engine, phone);
    expect(callsTo(engine, phone)).toHaveLength(1);
    expect((await leadsOf(engine.pg, id))[0]).toMatchObject({ status: 'completed', attempts: 1 });
    const attempts = await attemptsOf(engine.pg, id);
    expect(attempts.map((a) => [a.attempt_number, a.state])).toEqual([
      [1, 'not_dialled'],
      [2, 'ended'],
    ]);
    expect(attempts[0].error).toMatch(/no call found/);
  });

  it('dying between the POST and saving the call id: the call is found and adopted', async () => {
    const phone = phones(1, 30)[0];
    let crashes = 0;
    dialerFaults.afterPostBeforeSave = () => {
      if (crashes++ === 0) throw new SimulatedCrash('after POST');
    };
    const id = await runOneLead(engine, phone);
    expect(crashes).toBe(1);
    expect(callsTo(engine, phone)).toHaveLength(1);
    expect((await leadsOf(engine.pg, id))[0]).toMatchObject({
      status: 'completed',
      attempts: 1,
      last_call_id: callsTo(engine, phone)[0].id,
    });
    expect((await attemptsOf(engine.pg, id))[0].error).toMatch(/lease expired/);
  });

  it('an answer so late that another instance reaped and adopted the call meanwhile keeps the call', async () => {
    const { pg } = engine;
    const phone = phones(1, 35)[0];
    dialerFaults.afterPostBeforeSave = async (attemptId) => {
      // What another instance does when our lease looks expired: reap, then reconcile.
      await pg.query(
        `UPDATE call_attempts SET state = 'ambiguous', reconcile_until = now() + interval '10 s',
                lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
        [attemptId],
      );
      await waitFor('adopted by reconciliation', async () => {
        const { rows } = await pg.query(`SELECT state FROM call_attempts WHERE id = $1`, [
          attemptId,
        ]);
        return rows[0].state !== 'ambiguous';
      });
    };
    const id = await runOneLead(engine, phone);
    const calls = callsTo(engine, phone);
    expect(calls).toHaveLength(1);
    expect(calls[0].terminated).toBe(false);
    expect((await leadsOf(pg, id))[0]).toMatchObject({
      status: 'completed',
      attempts: 1,
      last_call_id: calls[0].id,
    });
  });

  it('dying between the claim and the POST: the slot is reclaimed and the lead dialled once', async () => {
    const { pg } = engine;
    const phone = phones(1, 40)[0];
    const id = await createCampaign(pg, { retry: { max_attempts: 1, delay_minutes: 0, on: [] } });
    await addLeads(pg, id, [phone]);
    // What a process killed right after its claim transaction leaves behind.
    await pg.query(
      `WITH l AS (UPDATE leads SET status = 'calling', attempts = 1 WHERE campaign_id = $1 RETURNING id, phone)
       INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number,
                                  state, requested_at, lease_owner, lease_expires_at)
       SELECT l.id, $1, 1, $2, $3, l.phone, 'starting', now() - interval '2 s', 'dead-host-1-abcdef', now() - interval '1 s'
         FROM l`,
      [id, AGENT_ID, FROM_NUMBERS[0]],
    );
    await setCampaignStatus(pg, id, 'running');
    await waitFor('lead final', () => allLeadsFinal(pg, id), 20_000);
    expect(callsTo(engine, phone)).toHaveLength(1);
    expect((await leadsOf(pg, id))[0]).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await attemptsOf(pg, id)).map((a) => a.state)).toEqual(['not_dialled', 'ended']);
  });
});

describe('clean refusals', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }) });
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('a 429 pauses every start for Retry-After and loses no lead', async () => {
    const { pg, sim } = engine;
    sim.setFaults({
      failNext: { status: 429, count: 1, route: 'POST /calls/phone', retryAfterSeconds: 1 },
    });
    const id = await createCampaign(pg, { max_concurrent_calls: 1 });
    await addLeads(pg, id, phones(2, 0));
    const before = Date.now();
    await setCampaignStatus(pg, id, 'running');
    await waitFor('leads final', () => allLeadsFinal(pg, id));
    const leads = await leadsOf(pg, id);
    expect(leads.map((l) => [l.status, l.attempts])).toEqual([
      ['completed', 1],
      ['completed', 1],
    ]);
    // The first start after the 429 waited for Retry-After.
    const firstStart = Math.min(...sim.calls().map((c) => Date.parse(c.start_time)));
    expect(firstStart - before).toBeGreaterThanOrEqual(1000);
    const { rows } = await pg.query(`SELECT consecutive_429, last_429_at FROM platform_pause`);
    expect(rows[0].last_429_at).not.toBeNull();
    expect(rows[0].consecutive_429).toBe(0);
  });

  it('a number the platform refuses fails its lead without counting an attempt', async () => {
    const { pg, sim } = engine;
    const id = await createCampaign(pg);
    await addLeads(pg, id, ['+12345']);
    await setCampaignStatus(pg, id, 'running');
    await waitFor('lead final', () => allLeadsFinal(pg, id));
    const [lead] = await leadsOf(pg, id);
    expect(lead).toMatchObject({ status: 'failed', attempts: 0 });
    expect(lead.status_reason).toMatch(/to_number/);
    expect(sim.calls().filter((c) => c.to_number === '+12345')).toHaveLength(0);
  });

  it('a from-number the platform refuses pauses the campaign and keeps its leads', async () => {
    const { pg } = engine;
    const id = await createCampaign(pg, { from_numbers: ['+33999999999'] });
    await addLeads(pg, id, phones(3, 100));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('campaign paused', async () => {
      const { rows } = await pg.query(`SELECT status FROM campaigns WHERE id = $1`, [id]);
      return rows[0].status === 'paused';
    });
    await sleep(300);
    const leads = await leadsOf(pg, id);
    expect(leads.every((l) => l.status === 'pending' && l.attempts === 0)).toBe(true);
    expect(leads.some((l) => /from_number/.test(l.status_reason ?? ''))).toBe(true);
    const { rows } = await pg.query(
      `SELECT paused_reason, paused_detail FROM campaigns WHERE id = $1`,
      [id],
    );
    expect(rows[0].paused_reason).toBe('platform_rejected');
    expect(rows[0].paused_detail.message).toMatch(/from_number/);
  });
});
