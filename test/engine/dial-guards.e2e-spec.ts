import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { dialerFaults } from '../../src/engine/dialer-faults';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import {
  allLeadsFinal,
  attemptsOf,
  createCampaign,
  type Engine,
  expectCallsAccountedFor,
  leadsOf,
  startEngine,
} from './support/engine-fixtures';
import { scenarioWith } from '../kit/simulator';
import { sleep, waitFor } from '../kit/wait';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

describe('nobody is called outside their window, twice at once, or against their wish', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({ scenario: scenarioWith({ completed: 1 }) });
  });

  afterEach(() => {
    delete dialerFaults.beforeSend;
    delete dialerFaults.afterPostBeforeSave;
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('a lead outside its window waits for the opening, in its own zone, then is called', async () => {
    const { pg, sim, clock } = engine;
    // A French mobile: Paris time. The window opens in 3 hours (Paris) and lasts 30 minutes.
    const paris = DateTime.fromJSDate(clock.now()).setZone('Europe/Paris');
    const openHour = (paris.hour + 3) % 24;
    const id = await createCampaign(pg, {
      timezone: 'America/New_York',
      calling_window: {
        days: EVERY_DAY,
        hours: [{ start: hh(openHour), end: `${hh(openHour).slice(0, 2)}:30` }],
      },
    });
    const [phone] = phones(1, 0);
    await addLeads(pg, id, [phone]);
    await setCampaignStatus(pg, id, 'running');

    let opening = paris.startOf('hour').set({ hour: openHour });
    if (opening <= paris) opening = opening.plus({ days: 1 });
    await waitFor(
      'lead told to wait',
      async () => (await leadsOf(pg, id))[0].next_attempt_at !== null,
    );
    const [lead] = await leadsOf(pg, id);
    expect(lead.status).toBe('pending');
    expect(lead.next_attempt_at?.toISOString()).toBe(
      opening.toUTC().toISO({ suppressMilliseconds: false }),
    );
    await sleep(500);
    expect(sim.calls().filter((c) => c.to_number === phone)).toHaveLength(0);

    clock.advance(opening.toMillis() - clock.nowMs() + 1000);
    await waitFor('lead called at the opening', () => allLeadsFinal(pg, id));
    expect(sim.calls().filter((c) => c.to_number === phone)).toHaveLength(1);
  });

  it('the window is checked again at the moment of the POST: a lead claimed just before closing is not called', async () => {
    const { pg, sim, clock } = engine;
    const paris = DateTime.fromJSDate(clock.now()).setZone('Europe/Paris');
    const from = Math.max(0, paris.hour - 1);
    const to = Math.min(24, paris.hour + 1);
    const id = await createCampaign(pg, {
      calling_window: { days: EVERY_DAY, hours: [{ start: hh(from), end: hh(to) }] },
    });
    const [phone] = phones(1, 10);
    await addLeads(pg, id, [phone]);
    // Between the claim and the POST (a backoff, a slow queue...), the window closes.
    let delayed = 0;
    dialerFaults.beforeSend = () => {
      if (delayed++ === 0) clock.advance(3 * 3600_000);
    };
    await setCampaignStatus(pg, id, 'running');
    await waitFor(
      'attempt released',
      async () => (await attemptsOf(pg, id))[0]?.state === 'not_dialled',
    );
    await sleep(300);
    expect(sim.calls().filter((c) => c.to_number === phone)).toHaveLength(0);
    const [lead] = await leadsOf(pg, id);
    expect(lead).toMatchObject({ status: 'pending', attempts: 0 });
    expect(lead.next_attempt_at!.getTime()).toBeGreaterThan(clock.nowMs());
    expect((await attemptsOf(pg, id))[0].error).toMatch(/window closed at dial time/);

    clock.advance(lead.next_attempt_at!.getTime() - clock.nowMs() + 1000);
    await waitFor('lead called when the window opens again', () => allLeadsFinal(pg, id));
    expect(sim.calls().filter((c) => c.to_number === phone)).toHaveLength(1);
  });

  it('a suppressed number is never dialled, even when suppressed after its lead was claimed', async () => {
    const { pg, sim } = engine;
    const id = await createCampaign(pg);
    const [early, late, other] = phones(3, 20);
    await addLeads(pg, id, [early, late, other]);
    await pg.query(`INSERT INTO suppressions (phone, reason) VALUES ($1, 'asked')`, [early]);
    dialerFaults.beforeSend = async () => {
      await pg.query(
        `INSERT INTO suppressions (phone, reason) VALUES ($1, 'asked') ON CONFLICT DO NOTHING`,
        [late],
      );
    };
    await setCampaignStatus(pg, id, 'running');
    await waitFor('leads final', () => allLeadsFinal(pg, id));
    const statuses = Object.fromEntries(
      (await leadsOf(pg, id)).map((l) => [l.phone, [l.status, l.attempts]]),
    );
    expect(statuses[early]).toEqual(['suppressed', 0]);
    expect(statuses[late]).toEqual(['suppressed', 0]);
    expect(sim.calls().filter((c) => [early, late].includes(c.to_number))).toHaveLength(0);
    expect(sim.calls().filter((c) => c.to_number === other)).toHaveLength(1);
    expect(statuses[other]).toEqual(['completed', 1]);
  });

  it('two campaigns holding the same numbers never ring one of them twice at once', async () => {
    const { pg, sim } = engine;
    sim.clearCalls();
    const shared = phones(6, 30);
    const a = await createCampaign(pg, { max_concurrent_calls: 6 });
    const b = await createCampaign(pg, { max_concurrent_calls: 6 });
    await addLeads(pg, a, shared);
    await addLeads(pg, b, shared);
    await setCampaignStatus(pg, a, 'running');
    await setCampaignStatus(pg, b, 'running');
    await waitFor(
      'both campaigns done',
      async () => (await allLeadsFinal(pg, a)) && (await allLeadsFinal(pg, b)),
    );

    const byNumber = new Map<string, { start: number; end: number }[]>();
    for (const c of sim.calls()) {
      const spans = byNumber.get(c.to_number) ?? [];
      spans.push({ start: Date.parse(c.start_time), end: Date.parse(c.end_time!) });
      byNumber.set(c.to_number, spans);
    }
    for (const number of shared) {
      const spans = (byNumber.get(number) ?? []).sort((x, y) => x.start - y.start);
      expect(spans).toHaveLength(2);
      expect(spans[1].start).toBeGreaterThanOrEqual(spans[0].end);
    }
    expect((await expectCallsAccountedFor(pg, sim, 2)).problems).toEqual([]);
  });

  it('a call that goes live after its campaign was cancelled is terminated at once', async () => {
    const { pg, sim } = engine;
    const id = await createCampaign(pg);
    const [phone] = phones(1, 40);
    await addLeads(pg, id, [phone]);
    dialerFaults.afterPostBeforeSave = async () => {
      await pg.query(`UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, [id]);
    };
    // Still ringing when terminated (a call answered first would be a talk that happened).
    sim.setOptions({ durations: { ringMs: 3000 } });
    await setCampaignStatus(pg, id, 'running');
    await waitFor('lead final', () => allLeadsFinal(pg, id));
    sim.setOptions({ durations: { ringMs: 50 } });
    const calls = sim.calls().filter((c) => c.to_number === phone);
    expect(calls).toHaveLength(1);
    expect(calls[0].terminated).toBe(true);
    expect((await leadsOf(pg, id))[0]).toMatchObject({
      status: 'cancelled',
      attempts: 1,
      last_call_id: calls[0].id,
    });
  });
});
