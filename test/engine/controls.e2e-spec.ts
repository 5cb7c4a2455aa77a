import { afterAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { DateTime } from 'luxon';
import ExcelJS from 'exceljs';
import { startTestApp } from '../helpers/test-app';
import {
  addLeads,
  allLeadsFinal,
  campaignRow,
  createCampaign,
  FAST_TUNING,
  leadsAllAt,
  leadsOf,
  retryDelaysOf,
  phones,
  scenarioWith,
  setCampaignStatus,
  sleep,
  useEngine,
  waitFor,
} from './support/engine-fixtures';

// Issue 13's campaign controls, end to end: the real engine against the simulator, with the
// test's clock (ShiftedClock) moved by hand for delays, end dates and days.
const MIN = 60_000;

async function setControls(pg: Client, id: string, sets: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(sets);
  await pg.query(
    `UPDATE campaigns SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...keys.map((k) => sets[k])],
  );
}

describe('retry rules per status and per outcome', () => {
  // Every call ends with the status "voicemail", which the platform setting maps to missed.
  const engine = useEngine(
    { scenario: scenarioWith({ unknown: 1 }) },
    { env: { CALLROUNDED_TERMINAL_STATUSES: 'voicemail=missed' } },
  );

  it('a status with its own rule is called exactly its max_attempts, delay_minutes apart', async () => {
    const { pg, sim, clock } = engine();
    const id = await createCampaign(pg, {
      retry: {
        max_attempts: 1,
        delay_minutes: 0,
        on: [],
        by_outcome: { missed: { max_attempts: 2, delay_minutes: 0 } },
        by_status: { voicemail: { max_attempts: 3, delay_minutes: 10 } },
      },
    });
    await addLeads(pg, id, phones(2, 0));
    await setCampaignStatus(pg, id, 'running');
    const leadsAt = (status: string, attempts: number) => leadsAllAt(pg, id, status, attempts);

    await waitFor('first calls ended', () => leadsAt('retry_scheduled', 1));
    expect(await retryDelaysOf(pg, id)).toEqual(Array(2).fill(10 * MIN));
    clock.advance(9 * MIN);
    await sleep(600);
    expect(sim.calls()).toHaveLength(2);
    clock.advance(MIN + 1000);
    await waitFor('second calls ended', () => leadsAt('retry_scheduled', 2));
    clock.advance(10 * MIN + 1000);
    await waitFor('leads exhausted', () => leadsAt('exhausted', 3));
    clock.advance(60 * MIN);
    await sleep(600);
    expect(sim.calls()).toHaveLength(6);
    expect((await leadsOf(pg, id))[0].status_reason).toMatch(/missed \(voicemail\) after 3 of 3/);
  });

  it('a status without a rule reaches the rule of the outcome it is mapped to, whatever `on` says', async () => {
    const { pg, sim } = engine();
    sim.clearCalls();
    const id = await createCampaign(pg, {
      retry: {
        max_attempts: 1,
        delay_minutes: 60,
        on: [],
        by_outcome: { missed: { max_attempts: 2, delay_minutes: 0 } },
      },
    });
    await addLeads(pg, id, phones(3, 100));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('leads final', () => allLeadsFinal(pg, id));
    const leads = await leadsOf(pg, id);
    expect(leads.map((l) => [l.status, l.attempts, l.outcome])).toEqual(
      Array(3).fill(['exhausted', 2, 'missed']),
    );
    expect(sim.calls()).toHaveLength(6);
  });
});

describe('end date', () => {
  const engine = useEngine({ scenario: scenarioWith({ missed: 1 }) });

  it('starts no call after ends_at: waiting leads become expired and the campaign completes', async () => {
    const { pg, sim, clock } = engine();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 5, delay_minutes: 10, on: ['missed'] },
    });
    await setControls(pg, id, { ends_at: new Date(clock.now().getTime() + 15 * MIN) });
    await addLeads(pg, id, phones(2, 200));
    // One lead waits for a retry long after the end date: the claim expires it then.
    const { rows } = await pg.query(
      `INSERT INTO leads (campaign_id, phone, status, attempts, next_attempt_at)
       VALUES ($1, $2, 'retry_scheduled', 1, $3) RETURNING id`,
      [id, phones(1, 299)[0], new Date(clock.now().getTime() + 120 * MIN)],
    );
    await setCampaignStatus(pg, id, 'running');
    const statuses = async () => (await leadsOf(pg, id)).map((l) => l.status);

    await waitFor(
      'first calls ended',
      async () =>
        (await leadsOf(pg, id)).filter((l) => l.attempts === 1 && l.status === 'retry_scheduled')
          .length === 3,
    );
    clock.advance(10 * MIN + 1000);
    // Second calls: the next retry (+10 min) would fall after the end date: expired at once.
    await waitFor(
      'two leads expired',
      async () => (await statuses()).filter((s) => s === 'expired').length === 2,
    );
    expect(sim.calls()).toHaveLength(4);
    expect((await campaignRow(pg, id)).status).toBe('running');

    clock.advance(5 * MIN);
    await waitFor(
      'campaign completed',
      async () => (await campaignRow(pg, id)).status === 'completed',
    );
    expect(await statuses()).toEqual(['expired', 'expired', 'expired']);
    expect((await leadsOf(pg, id)).find((l) => l.id === rows[0].id)?.status_reason).toMatch(
      /end date/,
    );
    const view = await engine().api().get(`/v1/campaigns/${id}`);
    expect(view.body.progress).toMatchObject({ expired: 3, final: 3, pending: 0 });
    expect(sim.calls()).toHaveLength(4);
    // The report says it too: the end date and the expired leads, in JSON and in the workbook.
    const endsAt = (await pg.query(`SELECT ends_at FROM campaigns WHERE id = $1`, [id])).rows[0]
      .ends_at as Date;
    const report = await engine().api().get(`/v1/campaigns/${id}/report`);
    expect(report.body.campaign.ends_at).toBe(endsAt.toISOString());
    expect(report.body.summary.by_status).toMatchObject({ expired: 3 });
    const xlsx = await engine()
      .api()
      .get(`/v1/campaigns/${id}/report.xlsx`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const byLabel = new Map<string, ExcelJS.CellValue>();
    (wb.getWorksheet('Summary') as ExcelJS.Worksheet).eachRow((row) =>
      byLabel.set(row.getCell(1).text, row.getCell(2).value),
    );
    expect(byLabel.get('Ends at (UTC, ends_at)')).toEqual(endsAt);
    expect(byLabel.get('expired')).toBe(3);

    // Called again only with a later end date.
    const again = { statuses: ['expired'], extra_attempts: 1 };
    expect((await engine().api().post(`/v1/campaigns/${id}/requeue`, again)).status).toBe(409);
    const later = new Date(clock.now().getTime() + 60 * MIN).toISOString();
    const res = await engine()
      .api()
      .post(`/v1/campaigns/${id}/requeue`, { ...again, ends_at: later });
    expect(res.body).toMatchObject({
      moved: 3,
      by_status: { expired: 3 },
      campaign: { status: 'running', ends_at: later },
    });
    await waitFor('called again', () => sim.calls().length >= 7);
    await engine().api().post(`/v1/campaigns/${id}/cancel`);
  });
});

describe('requeue', () => {
  const engine = useEngine({ scenario: scenarioWith({ missed: 1 }) });

  it('calls the exhausted leads of a completed campaign again, extra_attempts more, do-not-call list honoured', async () => {
    const { pg, sim } = engine();
    const id = await createCampaign(pg, {
      retry: { max_attempts: 1, delay_minutes: 0, on: ['missed'] },
    });
    const numbers = phones(3, 700);
    await addLeads(pg, id, numbers);
    await setCampaignStatus(pg, id, 'running');
    await waitFor(
      'campaign completed',
      async () => (await campaignRow(pg, id)).status === 'completed',
    );
    expect(sim.calls()).toHaveLength(3);
    await pg.query(`INSERT INTO suppressions (phone, reason) VALUES ($1, 'asked')`, [numbers[2]]);

    const res = await engine()
      .api()
      .post(`/v1/campaigns/${id}/requeue`, {
        statuses: ['exhausted', 'failed'],
        extra_attempts: 2,
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      moved: 3,
      by_status: { exhausted: 3 },
      campaign: { status: 'running' },
    });
    await waitFor(
      'campaign completed again',
      async () => (await campaignRow(pg, id)).status === 'completed',
    );
    const leads = await leadsOf(pg, id);
    expect(leads.map((l) => [l.status, l.attempts])).toEqual([
      ['exhausted', 3],
      ['exhausted', 3],
      ['suppressed', 1],
    ]);
    expect(sim.calls()).toHaveLength(7);
    expect(sim.calls().filter((c) => c.to_number === numbers[2])).toHaveLength(1);
  });
});

describe('daily cap across two instances', () => {
  let second: INestApplication | undefined;
  // Declared first, so it runs first (afterAll hooks run in order): before the database goes.
  afterAll(async () => {
    await second?.close();
  });
  const engine = useEngine({ scenario: scenarioWith({ completed: 1 }) });

  it('two engines claiming at once never start more than max_calls_per_day in the local day', async () => {
    const { pg, sim, clock } = engine();
    // A second instance on the same database and platform, sharing the clock.
    second = await startTestApp({
      databaseUrl: engine().db.url,
      platformUrl: sim.url,
      platformKey: sim.apiKey,
      clock,
      worker: FAST_TUNING,
    });
    // Local noon in New York: the day cannot turn while the first day's calls run.
    const local = DateTime.fromJSDate(clock.now()).setZone('America/New_York');
    const noon = local.startOf('day').plus({ hours: local.hour < 12 ? 12 : 36 });
    clock.advance(noon.toMillis() - clock.now().getTime());
    const id = await createCampaign(pg, { max_concurrent_calls: 10, questions: [] });
    await setControls(pg, id, { max_calls_per_day: 7, timezone: 'America/New_York' });
    await addLeads(pg, id, phones(30, 300));
    await setCampaignStatus(pg, id, 'running');
    await waitFor(
      'seven calls ended',
      async () => (await leadsOf(pg, id)).filter((l) => l.status === 'completed').length === 7,
    );
    await sleep(1000);
    expect(sim.calls()).toHaveLength(7);
    expect((await leadsOf(pg, id)).filter((l) => l.status === 'pending')).toHaveLength(23);

    clock.advance(24 * 60 * MIN);
    await waitFor(
      'seven more the next day',
      async () => (await leadsOf(pg, id)).filter((l) => l.status === 'completed').length === 14,
    );
    await sleep(1000);
    expect(sim.calls()).toHaveLength(14);
  });
});

describe('budget', () => {
  // Calls of about a second at 60 per minute: each costs exactly 1.
  const engine = useEngine({
    scenario: { ...scenarioWith({ completed: 1 }), cost_per_minute: 60 },
  });

  it('pauses budget_reached once spent reaches max_cost; raising it and resuming continues', async () => {
    const { pg, sim } = engine();
    const id = await createCampaign(pg, { max_concurrent_calls: 1, questions: [] });
    await setControls(pg, id, { max_cost: 3.5 });
    await addLeads(pg, id, phones(8, 400));
    await setCampaignStatus(pg, id, 'running');
    await waitFor(
      'paused by the budget',
      async () => (await campaignRow(pg, id)).status === 'paused',
    );
    const paused = await campaignRow(pg, id);
    expect(paused.paused_reason).toBe('budget_reached');
    expect(paused.paused_detail).toMatchObject({ spent: 4, max_cost: 3.5, live_calls: 0 });
    expect(sim.calls()).toHaveLength(4);
    const view = await engine().api().get(`/v1/campaigns/${id}`);
    expect(view.body).toMatchObject({ status: 'paused', paused_reason: 'budget_reached' });

    expect((await engine().api().patch(`/v1/campaigns/${id}`, { max_cost: 6 })).status).toBe(200);
    const resumed = await engine().api().post(`/v1/campaigns/${id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'running', paused_reason: null });
    await waitFor('paused again', async () => (await campaignRow(pg, id)).status === 'paused');
    expect(sim.calls()).toHaveLength(6);
    expect((await campaignRow(pg, id)).paused_detail).toMatchObject({ spent: 6, max_cost: 6 });
  });
});

describe('circuit breaker and platform refusals', () => {
  const engine = useEngine({ scenario: scenarioWith({ completed: 1 }) });

  it('pauses failure_rate with the figures when the platform answers 5xx to the starts', async () => {
    const { pg, sim } = engine();
    sim.setFaults({ failNext: { status: 503, count: 1000, route: 'POST /calls/phone' } });
    const id = await createCampaign(pg, { max_concurrent_calls: 10, questions: [] });
    await setControls(pg, id, { webhook_url: 'https://crm.example.com/hooks' });
    await addLeads(pg, id, phones(40, 500));
    await setCampaignStatus(pg, id, 'running');
    await waitFor(
      'paused by the breaker',
      async () => (await campaignRow(pg, id)).status === 'paused',
    );
    const row = await campaignRow(pg, id);
    expect(row.paused_reason).toBe('failure_rate');
    expect(row.paused_detail).toMatchObject({ threshold: 0.5, window_minutes: 2, min_calls: 10 });
    expect(row.paused_detail!.calls).toBeGreaterThanOrEqual(10);
    expect(row.paused_detail!.failed_calls / row.paused_detail!.calls).toBeGreaterThanOrEqual(0.5);
    const { rows: attempts } = await pg.query(
      `SELECT count(*)::int AS n FROM call_attempts WHERE campaign_id = $1`,
      [id],
    );
    // The breaker stops the campaign at its first claim after the first full round of starts.
    expect(attempts[0].n).toBeLessThanOrEqual(10);
    const { rows: events } = await pg.query(
      `SELECT payload FROM webhook_events WHERE campaign_id = $1 AND type = 'campaign.paused'`,
      [id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ paused_reason: 'failure_rate' });

    // Once the platform is well again, resuming counts only the calls started since.
    sim.setFaults({ failNext: { status: 503, count: 0 } });
    await waitFor('ambiguous starts settled', async () => {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM call_attempts WHERE campaign_id = $1 AND state IN ('starting', 'ambiguous')`,
        [id],
      );
      return rows[0].n === 0;
    });
    await engine().api().post(`/v1/campaigns/${id}/resume`);
    await waitFor('every lead completed', () => allLeadsFinal(pg, id), 40_000);
    await waitFor(
      'campaign completed',
      async () => (await campaignRow(pg, id)).status === 'completed',
    );
  });

  it('pauses platform_auth when the platform answers 401, the lead back in the queue', async () => {
    const { pg, sim } = engine();
    sim.clearCalls();
    sim.setFaults({ failNext: { status: 401, count: 1, route: 'POST /calls/phone' } });
    const id = await createCampaign(pg, { max_concurrent_calls: 1, questions: [] });
    await addLeads(pg, id, phones(1, 600));
    await setCampaignStatus(pg, id, 'running');
    await waitFor('paused', async () => (await campaignRow(pg, id)).status === 'paused');
    expect(await campaignRow(pg, id)).toMatchObject({
      paused_reason: 'platform_auth',
      paused_detail: { http_status: 401 },
    });
    expect((await leadsOf(pg, id)).map((l) => [l.status, l.attempts])).toEqual([['pending', 0]]);
    expect(sim.calls()).toHaveLength(0);
  });
});
