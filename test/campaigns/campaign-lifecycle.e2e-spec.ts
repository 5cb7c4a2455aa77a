import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CallRoundedClient } from '../../src/callrounded';
import { CampaignLifecycle } from '../../src/campaigns/campaign-lifecycle.service';
import { AGENT_ID, FROM_NUMBER as FROM } from '../kit/simulator';
import { CampaignKit, minimalCampaign, startCampaignKit } from './support/campaign-kit';
import { insertAttempt, insertLeads } from '../kit/factories';

/**
 * Every legal and illegal move, through HTTP on the real app (api role: no loop dials or settles
 * behind the test's back; settling is called on the app's own CampaignLifecycle).
 */
let kit: CampaignKit;
let lifecycle: CampaignLifecycle;

beforeAll(async () => {
  kit = await startCampaignKit();
  lifecycle = kit.app.get(CampaignLifecycle);
});

afterAll(async () => {
  await kit?.close();
});

async function draft(extra: object = {}, leads = 1): Promise<string> {
  const res = await kit.api().post('/v1/campaigns', minimalCampaign(extra));
  expect(res.status).toBe(201);
  if (leads > 0) await insertLeads(kit.sql, res.body.id, Array(leads).fill({ status: 'pending' }));
  return res.body.id;
}

const move = (id: string, action: string) => kit.api().post(`/v1/campaigns/${id}/${action}`);

async function expectMove(
  id: string,
  action: string,
  status: number,
  campaignStatus: string,
  message?: RegExp,
) {
  const res = await move(id, action);
  expect({ action, status: res.status }).toEqual({ action, status });
  if (status === 200) expect(res.body.status).toBe(campaignStatus);
  else {
    expect(res.body).toMatchObject({ statusCode: status, error: 'Conflict' });
    if (message) expect(res.body.message).toMatch(message);
    expect((await kit.api().get(`/v1/campaigns/${id}`)).body.status).toBe(campaignStatus);
  }
  return res.body;
}

describe('a campaign started by hand', () => {
  it('goes draft → running ⇄ paused → cancelled, refusing every other move with 409', async () => {
    const id = await draft();
    await expectMove(id, 'pause', 409, 'draft', /not started/);
    await expectMove(id, 'resume', 409, 'draft', /not paused/);
    const started = await expectMove(id, 'start', 200, 'running');
    expect(Date.parse(started.started_at)).not.toBeNaN();
    await expectMove(id, 'start', 409, 'running', /already running/);
    await expectMove(id, 'resume', 409, 'running', /not paused/);
    const paused = await expectMove(id, 'pause', 200, 'paused');
    expect(paused.resumes_to).toBe('running');
    await expectMove(id, 'pause', 409, 'paused', /already paused/);
    await expectMove(id, 'start', 409, 'paused', /resume it instead/);
    const resumed = await expectMove(id, 'resume', 200, 'running');
    expect(resumed.resumes_to).toBeNull();
    expect(resumed.started_at).toBe(started.started_at);
    const cancelled = await expectMove(id, 'cancel', 200, 'cancelled');
    expect(Date.parse(cancelled.completed_at)).not.toBeNaN();
    for (const action of ['start', 'pause', 'resume', 'cancel'])
      await expectMove(id, action, 409, 'cancelled');
    expect((await kit.api().patch(`/v1/campaigns/${id}`, { name: 'late' })).status).toBe(409);
    expect((await kit.api().delete(`/v1/campaigns/${id}`)).status).toBe(204);
  });

  it('refuses to start without a lead to call', async () => {
    const empty = await draft({}, 0);
    await expectMove(empty, 'start', 409, 'draft', /no leads to call: import leads first/);
    const done = await draft({}, 0);
    await insertLeads(kit.sql, done, [{ status: 'suppressed' }, { status: 'completed' }]);
    await expectMove(done, 'start', 409, 'draft', /all 2 of its leads are already final/);
  });

  it('completes once every lead is final and no call is in progress, never while a lead waits', async () => {
    const id = await draft({}, 0);
    const [waiting, calling] = await insertLeads(kit.sql, id, [
      { status: 'retry_scheduled', nextAttemptAt: new Date(Date.now() + 3_600_000) },
      { status: 'calling' },
      { status: 'completed' },
    ]);
    await expectMove(id, 'start', 200, 'running');
    expect(await lifecycle.settle(id)).toBeNull();
    await kit.sql.query(`UPDATE leads SET status = 'exhausted' WHERE id = $1`, [waiting]);
    await insertAttempt(kit.sql, id, calling, 'live', 'call-settle-1');
    expect(await lifecycle.settle(id)).toBeNull();
    // The lead is final but its attempt still holds a slot: not yet.
    await kit.sql.query(`UPDATE leads SET status = 'completed' WHERE id = $1`, [calling]);
    expect(await lifecycle.settle(id)).toBeNull();
    await kit.sql.query(`UPDATE call_attempts SET state = 'ended' WHERE lead_id = $1`, [calling]);
    expect(await lifecycle.settle(id)).toBe('completed');
    const c = (await kit.api().get(`/v1/campaigns/${id}`)).body;
    expect(c.status).toBe('completed');
    expect(Date.parse(c.completed_at)).not.toBeNaN();
    expect(c.progress).toMatchObject({ total: 3, final: 3 });
    for (const action of ['start', 'pause', 'resume', 'cancel'])
      await expectMove(id, action, 409, 'completed');
    // Leads imported after completion run when it is started again.
    await insertLeads(kit.sql, id, [{ status: 'pending' }]);
    const again = await expectMove(id, 'start', 200, 'running');
    expect(again.completed_at).toBeNull();
    expect(again.started_at).toBe(c.started_at);
    // A paused campaign does not complete behind the user's back.
    const paused = await draft({}, 1);
    await move(paused, 'start');
    await move(paused, 'pause');
    await kit.sql.query(`UPDATE leads SET status = 'completed' WHERE campaign_id = $1`, [paused]);
    expect(await lifecycle.settle(paused)).toBeNull();
    await move(paused, 'resume');
    expect(await lifecycle.settle(paused)).toBe('completed');
  });

  it('lets one of two simultaneous starts win', async () => {
    const id = await draft();
    const answers = await Promise.all([move(id, 'start'), move(id, 'start'), move(id, 'start')]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });
});

describe('a scheduled campaign', () => {
  it('goes draft → scheduled ⇄ paused and keeps its schedule while scheduled', async () => {
    const id = await draft({ schedule: { cron: '0 19 * * *' } }, 0);
    const scheduled = await expectMove(id, 'start', 200, 'scheduled');
    expect(new Date(scheduled.next_run_at).getTime()).toBeGreaterThan(Date.now());
    const refused = await kit.api().patch(`/v1/campaigns/${id}`, { schedule: null });
    expect(refused.status).toBe(409);
    expect(
      (await kit.api().patch(`/v1/campaigns/${id}`, { schedule: { cron: '0 20 * * *' } })).status,
    ).toBe(200);
    const paused = await expectMove(id, 'pause', 200, 'paused');
    expect(paused.resumes_to).toBe('scheduled');
    await expectMove(id, 'resume', 200, 'scheduled');
    // Without its schedule a paused campaign resumes running.
    await move(id, 'pause');
    expect((await kit.api().patch(`/v1/campaigns/${id}`, { schedule: null })).status).toBe(200);
    const resumed = await expectMove(id, 'resume', 200, 'running');
    expect(resumed.next_run_at).toBeNull();
  });

  it('ends a run (running → scheduled) once nothing is due now, leads waiting or not', async () => {
    const id = await draft({ schedule: { cron: '0 19 * * *' } }, 0);
    const [pending, later] = await insertLeads(kit.sql, id, [
      { status: 'pending' },
      { status: 'retry_scheduled', nextAttemptAt: new Date(Date.now() + 3_600_000) },
      { status: 'completed' },
    ]);
    await move(id, 'start');
    await kit.sql.query(`UPDATE campaigns SET status = 'running' WHERE id = $1`, [id]); // as a run does
    expect(await lifecycle.settle(id)).toBeNull(); // a pending lead is due
    // The dialer found it outside its window and set the next opening: nothing due now.
    await kit.sql.query(
      `UPDATE leads SET next_attempt_at = now() + interval '1 day' WHERE id = $1`,
      [pending],
    );
    expect(await lifecycle.settle(id)).toBe('scheduled');
    const c = (await kit.api().get(`/v1/campaigns/${id}`)).body;
    expect(c.status).toBe('scheduled');
    expect(c.progress.pending).toBe(2);
    expect(later).toBeDefined();
  });

  it('completes when every lead is final, and goes back to its schedule when new leads are imported', async () => {
    const id = await draft({ schedule: { cron: '0 19 * * *' } }, 0);
    await insertLeads(kit.sql, id, [{ status: 'completed' }, { status: 'exhausted' }]);
    await move(id, 'start');
    await kit.sql.query(`UPDATE campaigns SET status = 'running' WHERE id = $1`, [id]); // as a run does
    expect(await lifecycle.settle(id)).toBe('completed');
    expect((await kit.api().get(`/v1/campaigns/${id}`)).body.status).toBe('completed');

    const imported = await kit
      .api()
      .post(`/v1/campaigns/${id}/leads`)
      .set('Content-Type', 'text/csv')
      .send('phone,prenom\n+33612349999,Zoé\n');
    expect(imported.status).toBe(201);
    expect(imported.body.accepted).toBe(1);
    expect(imported.body.warnings).toEqual([
      'The campaign was completed: it is scheduled again, and its next run dials the new leads',
    ]);
    const c = (await kit.api().get(`/v1/campaigns/${id}`)).body;
    expect(c.status).toBe('scheduled');
    expect(c.completed_at).toBeNull();
  });

  it('does not let a cancelled run leave leads waiting', async () => {
    const id = await draft({}, 0);
    const [a] = await insertLeads(kit.sql, id, [{ status: 'calling' }, { status: 'pending' }]);
    await move(id, 'start');
    await move(id, 'cancel');
    // The lead's call ended after the cancel and asked for a retry: settling cancels it.
    await kit.sql.query(`UPDATE leads SET status = 'retry_scheduled' WHERE id = $1`, [a]);
    await lifecycle.settleAll();
    const { rows } = await kit.sql.query('SELECT status FROM leads WHERE campaign_id = $1', [id]);
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('cancel', () => {
  it('cancels waiting leads in one move and terminates live calls on the platform', async () => {
    const id = await draft({}, 0);
    const [live, starting, pending, retry, done] = await insertLeads(kit.sql, id, [
      { status: 'calling', phone: '+33612340001' },
      { status: 'calling', phone: '+33612340002' },
      { status: 'pending' },
      { status: 'retry_scheduled', nextAttemptAt: new Date(Date.now() + 60_000) },
      { status: 'completed' },
    ]);
    await move(id, 'start');
    const client = new CallRoundedClient({ baseUrl: kit.sim.url, apiKey: kit.sim.apiKey });
    const { call_id } = await client.startPhoneCall({
      from_number: FROM,
      to_number: '+33612340001',
      agent_id: AGENT_ID,
    });
    await client.close();
    const attempt = await insertAttempt(kit.sql, id, live, 'live', call_id);
    await insertAttempt(kit.sql, id, starting, 'starting');
    expect(kit.sim.calls().find((c) => c.id === call_id)?.terminated).toBe(false);

    const res = await move(id, 'cancel');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(kit.sim.calls().find((c) => c.id === call_id)?.terminated).toBe(true);
    const leads = await kit.sql.query(
      'SELECT id, status, status_reason FROM leads WHERE campaign_id = $1',
      [id],
    );
    const byId = new Map(leads.rows.map((r) => [r.id, r]));
    expect(byId.get(pending)).toMatchObject({
      status: 'cancelled',
      status_reason: 'campaign cancelled',
    });
    expect(byId.get(retry)).toMatchObject({ status: 'cancelled' });
    expect(byId.get(done)).toMatchObject({ status: 'completed' });
    // Leads in a call end with their call (the poller records it).
    expect(byId.get(live)).toMatchObject({ status: 'calling' });
    expect(byId.get(starting)).toMatchObject({ status: 'calling' });
    const { rows } = await kit.sql.query(
      'SELECT terminate_requested_at FROM call_attempts WHERE id = $1',
      [attempt],
    );
    expect(rows[0].terminate_requested_at).not.toBeNull();
    // Calls in progress keep the campaign from being deleted.
    const del = await kit.api().delete(`/v1/campaigns/${id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toMatch(/2 call\(s\) in progress/);
  });

  it('cancels a draft, a scheduled and a paused campaign', async () => {
    await expectMove(await draft(), 'cancel', 200, 'cancelled');
    const scheduled = await draft({ schedule: { cron: '@daily' } });
    await move(scheduled, 'start');
    const c = await expectMove(scheduled, 'cancel', 200, 'cancelled');
    expect(c.next_run_at).toBeNull();
    const paused = await draft();
    await move(paused, 'start');
    await move(paused, 'pause');
    await expectMove(paused, 'cancel', 200, 'cancelled');
  });
});

describe('changes while started', () => {
  it('allows caps, window, retry and schedule; refuses agent_id and deleting a running campaign', async () => {
    const id = await draft();
    await move(id, 'start');
    const ok = await kit.api().patch(`/v1/campaigns/${id}`, {
      max_concurrent_calls: 2,
      max_calls_per_minute: 5,
      calling_window: { hours: [{ start: '08:00', end: '20:00' }] },
      retry: { on: ['missed'] },
      schedule: { cron: '0 9 * * *' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'running',
      max_concurrent_calls: 2,
      retry: { on: ['missed'] },
    });
    const agent = await kit
      .api()
      .patch(`/v1/campaigns/${id}`, { agent_id: '6f1c1b0e-0000-4000-8000-000000000000' });
    expect(agent.status).toBe(409);
    expect(agent.body.message).toMatch(/agent_id can change only while the campaign is a draft/);
    expect((await kit.api().patch(`/v1/campaigns/${id}`, { agent_id: AGENT_ID })).status).toBe(200);
    const del = await kit.api().delete(`/v1/campaigns/${id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toMatch(/running/);
  });
});

describe('rules checked at start', () => {
  it('refuses (409) a campaign whose rules name a question the agent no longer has', async () => {
    const id = await draft();
    // As if the platform had been unreachable at creation: rules stored unchecked.
    await kit.sql.query(`UPDATE campaigns SET questions = NULL, qualification = $2 WHERE id = $1`, [
      id,
      JSON.stringify({ match: 'all', rules: [{ question: 'budget', gte: 100 }] }),
    ]);
    const res = await move(id, 'start');
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual([
      {
        field: 'qualification.rules[0].question',
        message: expect.stringContaining('unknown question "budget"'),
      },
    ]);
    expect((await kit.api().get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
  });

  it('answers 503 when the questions cannot be fetched and were never known', async () => {
    const id = await draft({
      qualification: { rules: [{ question: 'interested', equals: true }] },
    });
    await kit.sql.query(`UPDATE campaigns SET questions = NULL WHERE id = $1`, [id]);
    kit.sim.setFaults({
      failNext: { status: 401, count: 1, route: 'GET /agents/:id/post-call-questions' },
    });
    const res = await move(id, 'start');
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/could not be fetched/);
    kit.sim.setFaults({ failNext: undefined });
    expect((await move(id, 'start')).status).toBe(200);
  });
});
