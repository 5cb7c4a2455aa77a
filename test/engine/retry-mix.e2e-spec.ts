import { describe, expect, it } from '@jest/globals';
import type { Client } from 'pg';
import type { RetryPolicy, RetryRule } from '../../src/campaigns/campaign.entity';
import { addLeads, phones, setCampaignStatus } from '../kit/factories';
import { scenarioWith } from '../kit/simulator';
import { waitFor } from '../kit/wait';
import {
  allLeadsFinal,
  createCampaign,
  expectCallsAccountedFor,
  leadsOf,
  useEngine,
} from './support/engine-fixtures';

// Retry rules by outcome and by status against a mix of outcomes: scripted numbers (each call
// of a number ends as its script says, so every path of the rules is taken whatever order the
// calls come in) and numbers that draw from the scenario's weights. The database is the judge:
// for each lead, its calls are exactly those the policy asks for.
const MIN = 60_000;

/** The platform setting: voicemail is a missed call, busy one whose outcome is unknown. */
const MAPPED: Record<string, string> = { voicemail: 'missed', busy: 'unknown' };

const POLICY: RetryPolicy = {
  max_attempts: 1,
  delay_minutes: 0,
  on: [],
  by_outcome: {
    missed: { max_attempts: 3, delay_minutes: 10 },
    failed: { max_attempts: 2, delay_minutes: 20 },
    unknown: { max_attempts: 2, delay_minutes: 5 },
  },
  by_status: { voicemail: { max_attempts: 4, delay_minutes: 60 } },
};

/** Per script (how a number's 1st, 2nd… call ends, the last repeating): the lead's end. */
const SCRIPTS: { script: string[]; calls: number; status: string }[] = [
  { script: ['completed'], calls: 1, status: 'completed' },
  { script: ['missed'], calls: 3, status: 'exhausted' },
  { script: ['missed', 'completed'], calls: 2, status: 'completed' },
  { script: ['failed'], calls: 2, status: 'exhausted' },
  { script: ['voicemail'], calls: 4, status: 'exhausted' },
  { script: ['busy'], calls: 2, status: 'exhausted' },
  // Every call counts towards the rule of the call that just ended.
  { script: ['failed', 'missed'], calls: 3, status: 'exhausted' },
  { script: ['voicemail', 'failed'], calls: 2, status: 'exhausted' },
  { script: ['missed', 'voicemail', 'voicemail', 'completed'], calls: 4, status: 'completed' },
  { script: ['busy', 'missed'], calls: 3, status: 'exhausted' },
  { script: ['voicemail', 'busy'], calls: 2, status: 'exhausted' },
];
const SCRIPTED = phones(SCRIPTS.length, 0);
const DRAWN = phones(12, 100);

/** The outcome a platform status ends a call with, as the service is configured here. */
function outcomeOf(status: string): string {
  return ['completed', 'missed', 'failed'].includes(status)
    ? status
    : (MAPPED[status] ?? 'unknown');
}

/** What the policy says after a call that ended `status`, the lead's `calls`-th call. */
function policySays(status: string, calls: number): { end: string } | { retryAfterMs: number } {
  const outcome = outcomeOf(status);
  if (outcome === 'completed') return { end: 'completed' };
  const byOutcome = POLICY.by_outcome as Record<string, RetryRule | undefined>;
  const rule = POLICY.by_status?.[status] ?? byOutcome[outcome];
  if (!rule) return { end: 'failed' };
  if (calls >= rule.max_attempts) return { end: 'exhausted' };
  return { retryAfterMs: rule.delay_minutes * MIN };
}

interface Call {
  lead_id: string;
  call_status: string;
  outcome: string;
  requested_at: Date;
  finished_at: Date;
}

async function callsOf(pg: Client, campaignId: string): Promise<Map<string, Call[]>> {
  const { rows } = await pg.query<Call>(
    `SELECT lead_id, call_status, outcome, requested_at, finished_at FROM call_attempts
      WHERE campaign_id = $1 AND call_id IS NOT NULL ORDER BY lead_id, attempt_number`,
    [campaignId],
  );
  const byLead = new Map<string, Call[]>();
  for (const r of rows) byLead.set(r.lead_id, [...(byLead.get(r.lead_id) ?? []), r]);
  return byLead;
}

/** No call in progress and none due: the engine has done all it may do until the clock moves. */
async function idleUntilNextRetry(pg: Client, campaignId: string, now: Date): Promise<boolean> {
  const { rows } = await pg.query(
    `SELECT (SELECT count(*)::int FROM leads WHERE campaign_id = $1
              AND (status IN ('pending', 'calling') OR (status = 'retry_scheduled' AND next_attempt_at <= $2))) AS busy,
            (SELECT count(*)::int FROM call_attempts WHERE campaign_id = $1
              AND state IN ('starting', 'ambiguous', 'live')) AS slots`,
    [campaignId, now],
  );
  return rows[0].busy === 0 && rows[0].slots === 0;
}

describe('retry rules against the simulator’s outcome mix', () => {
  const engine = useEngine(
    {
      scenario: {
        ...scenarioWith({ completed: 3, missed: 3, failed: 2, unknown: 2 }),
        outcomes_by_number: Object.fromEntries(SCRIPTED.map((n, i) => [n, SCRIPTS[i].script])),
      },
    },
    { env: { CALLROUNDED_TERMINAL_STATUSES: 'voicemail=missed,busy=unknown' } },
  );

  it('calls every lead exactly as its rule says: how many times, how far apart, how it ends', async () => {
    const { pg, sim, clock } = engine();
    const id = await createCampaign(pg, { retry: POLICY, max_concurrent_calls: 8 });
    // The failed calls of the mix are what is tested here, not a reason to pause.
    await pg.query(`UPDATE campaigns SET auto_pause = 'false' WHERE id = $1`, [id]);
    await addLeads(pg, id, [...SCRIPTED, ...DRAWN]);
    await setCampaignStatus(pg, id, 'running');

    // Each round: wait until nothing is due, then move the clock to the next retry.
    while (!(await allLeadsFinal(pg, id))) {
      await waitFor('calls due now ended', () => idleUntilNextRetry(pg, id, clock.now()), 30_000);
      const { rows } = await pg.query(
        `SELECT min(next_attempt_at) AS next FROM leads WHERE campaign_id = $1 AND status = 'retry_scheduled'`,
        [id],
      );
      const next = rows[0].next as Date | null;
      if (next) clock.advance(next.getTime() - clock.now().getTime() + 1000);
    }

    const leads = await leadsOf(pg, id);
    const calls = await callsOf(pg, id);
    const judged = leads.map((lead) => {
      const own = calls.get(lead.id) ?? [];
      const problems: string[] = [];
      own.forEach((call, i) => {
        if (call.outcome !== outcomeOf(call.call_status))
          problems.push(`call ${i + 1}: ${call.call_status} recorded as ${call.outcome}`);
        const says = policySays(call.call_status, i + 1);
        const next = own[i + 1];
        if ('end' in says) {
          if (next) problems.push(`call ${i + 2} made after the policy ended the lead`);
          else if (lead.status !== says.end) problems.push(`${lead.status}, not ${says.end}`);
        } else if (!next) {
          problems.push(`no call ${i + 2} though the policy retries ${call.call_status}`);
        } else if (next.requested_at.getTime() - call.finished_at.getTime() < says.retryAfterMs) {
          problems.push(
            `call ${i + 2} less than ${says.retryAfterMs / MIN} min after call ${i + 1}`,
          );
        }
      });
      if (own.length === 0 || lead.attempts !== own.length)
        problems.push(`${lead.attempts} attempts counted for ${own.length} calls`);
      return { phone: lead.phone, statuses: own.map((c) => c.call_status), problems };
    });
    expect(judged.filter((j) => j.problems.length > 0)).toEqual([]);

    // The scripted numbers took every path of the rules, as written above.
    const byPhone = new Map(judged.map((j) => [j.phone, j.statuses]));
    const leadStatus = new Map(leads.map((l) => [l.phone, l.status]));
    SCRIPTS.forEach(({ script, calls: n, status }, i) => {
      const expected = Array.from({ length: n }, (_, k) => script[Math.min(k, script.length - 1)]);
      expect([SCRIPTED[i], byPhone.get(SCRIPTED[i]), leadStatus.get(SCRIPTED[i])]).toEqual([
        SCRIPTED[i],
        expected,
        status,
      ]);
    });
    // The platform's side: every call it made is on exactly one attempt of its lead.
    expect((await expectCallsAccountedFor(pg, sim, 4)).problems).toEqual([]);
    expect(sim.calls()).toHaveLength([...calls.values()].reduce((n, c) => n + c.length, 0));
  }, 180_000);
});
