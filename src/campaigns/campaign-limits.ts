import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';
import { DIALABLE_LEAD_STATUSES_SQL } from '../leads/lead-statuses';
import type { Campaign } from './campaign.entity';
import { readCounters } from './campaign-counters';
import { CampaignLifecycle } from './campaign-lifecycle.service';

export interface StartsAllowed {
  /** Calls the controls let this campaign start now (Infinity: no control limits it). */
  starts: number;
  /** Leads that became final here (`expired` once the end date passed). */
  expired: number;
}

const UNLIMITED: StartsAllowed = { starts: Infinity, expired: 0 };
const NONE: StartsAllowed = { starts: 0, expired: 0 };

/**
 * The campaign controls of a claim: end date, circuit breaker, budget, daily cap. Called by the
 * dialler's claim with the campaign row locked (FOR NO KEY UPDATE) in `tx`, so that every instance's
 * claims of a campaign are serialised and the counts below exact (attempts being claimed hold
 * the same lock). Each control costs one indexed query, and only when it is set: the budget
 * reads the campaign's counters, the daily cap and the breaker a window of
 * `call_attempts (campaign_id, requested_at)`.
 */
@Injectable()
export class CampaignLimits {
  constructor(private readonly lifecycle: CampaignLifecycle) {}

  async startsAllowed(tx: EntityManager, c: Campaign, now: Date): Promise<StartsAllowed> {
    if (c.endsAt && now.getTime() >= new Date(c.endsAt).getTime()) {
      return { starts: 0, expired: await this.expireWaitingLeads(tx, c.id) };
    }
    if (c.autoPause && (await this.breakerTrips(tx, c, now))) return NONE;
    let starts = Infinity;
    if (c.maxCost !== null) {
      starts = await this.withinBudget(tx, c);
      if (starts <= 0) return NONE;
    }
    if (c.maxCallsPerDay !== null) {
      starts = Math.min(starts, c.maxCallsPerDay - (await this.startedToday(tx, c, now)));
    }
    return starts === Infinity ? UNLIMITED : { starts: Math.max(0, starts), expired: 0 };
  }

  /** The end date passed: leads still waiting for a call become `expired` (final). */
  private async expireWaitingLeads(tx: EntityManager, campaignId: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE leads SET status = 'expired', status_reason = 'the campaign’s end date (ends_at) passed',
              next_attempt_at = NULL, updated_at = now()
        WHERE campaign_id = $1 AND status IN ${DIALABLE_LEAD_STATUSES_SQL}
        RETURNING id`,
      [campaignId],
    );
    return rows.length;
  }

  /**
   * Calls started in the window (since the last resume at most) that reached the platform, and
   * how many of them it failed (5xx, 4xx other than 429, outcome failed: `platform_failed`).
   * At least min_calls with a failed share ≥ failure_rate → paused `failure_rate`.
   */
  private async breakerTrips(tx: EntityManager, c: Campaign, now: Date): Promise<boolean> {
    if (!c.autoPause) return false;
    const { failure_rate: threshold, window_minutes: minutes, min_calls: minCalls } = c.autoPause;
    const windowStart = now.getTime() - minutes * 60_000;
    const since = new Date(Math.max(windowStart, c.resumedAt ? c.resumedAt.getTime() : 0));
    // Tripping needs failed ≥ threshold × calls ≥ threshold × min_calls: the failures alone (a
    // small partial index) settle the common case; the window's calls are counted only then.
    const [{ failed }] = await queryRows<{ failed: number }>(
      tx,
      `SELECT count(*)::int AS failed FROM call_attempts
        WHERE campaign_id = $1 AND requested_at >= $2 AND platform_failed`,
      [c.id, since],
    );
    if (failed === 0 || failed < threshold * minCalls - 1e-9) return false;
    const [{ calls }] = await queryRows<{ calls: number }>(
      tx,
      `SELECT count(*)::int AS calls FROM call_attempts
        WHERE campaign_id = $1 AND requested_at >= $2
          AND (platform_failed OR state NOT IN ('starting', 'not_dialled'))`,
      [c.id, since],
    );
    const row = { calls, failed };
    if (row.calls < minCalls || row.failed / row.calls < threshold) return false;
    return this.lifecycle.pauseLocked(tx, c, 'failure_rate', {
      failure_rate: Math.round((row.failed / row.calls) * 1000) / 1000,
      failed_calls: row.failed,
      calls: row.calls,
      threshold,
      window_minutes: minutes,
      min_calls: minCalls,
    });
  }

  /**
   * Spent (finished calls' cost) plus expected (live calls × mean cost per finished call) against
   * max_cost: reached → paused `budget_reached`, 0 starts; else the starts whose expected cost
   * still fits (unbounded until a finished call gives a mean). The figures come from the
   * campaign's counters (kept by triggers in the transactions that change the attempts), so the
   * check costs the same whatever the number of calls made.
   */
  private async withinBudget(tx: EntityManager, c: Campaign): Promise<number> {
    const maxCost = Number(c.maxCost);
    const counters =
      (await readCounters(tx, [c.id], BUDGET_KEYS)).get(c.id) ?? new Map<string, number>();
    const spent = counters.get('spent') ?? 0;
    const priced = counters.get('priced_calls') ?? 0;
    const live = counters.get('slots') ?? 0;
    const mean = priced > 0 ? spent / priced : 0;
    const projected = spent + live * mean;
    if (projected < maxCost) return mean > 0 ? Math.ceil((maxCost - projected) / mean) : Infinity;
    await this.lifecycle.pauseLocked(tx, c, 'budget_reached', {
      spent: round(spent),
      expected_live: round(live * mean),
      live_calls: live,
      mean_cost: round(mean),
      max_cost: maxCost,
    });
    return 0;
  }

  /** Attempts that reached (or are about to reach) the platform since local midnight in the campaign's zone. */
  private async startedToday(tx: EntityManager, c: Campaign, now: Date): Promise<number> {
    const midnight = DateTime.fromJSDate(now).setZone(c.timezone).startOf('day').toJSDate();
    const [row] = await queryRows<{ n: number }>(
      tx,
      `SELECT count(*)::int AS n FROM call_attempts
        WHERE campaign_id = $1 AND requested_at >= $2 AND state <> 'not_dialled'`,
      [c.id, midnight],
    );
    return row.n;
  }
}

/** The budget's figures in `campaign_counters` (migration BudgetCounters). */
const BUDGET_KEYS = ['spent', 'priced_calls', 'slots'] as const;

const round = (n: number) => Math.round(n * 10_000) / 10_000;
