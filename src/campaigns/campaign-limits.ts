import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';
import { DIALABLE_LEAD_STATUSES_SQL } from '../leads/lead-statuses';
import type { Campaign } from './campaign.entity';
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
 * the same lock). The controls that are set are read in one statement of indexed look-ups: the
 * budget reads the campaign's counters, the daily cap and the breaker a window of
 * `call_attempts (campaign_id, requested_at)`.
 */
@Injectable()
export class CampaignLimits {
  constructor(private readonly lifecycle: CampaignLifecycle) {}

  /**
   * The figures of the controls that are set, as columns for the claim's counting statement
   * (each round trip inside the claim is slot time on a busy machine): `failed`, the breaker's
   * failed starts in its window (a small partial index), `budget`, the budget's counters, and
   * `today`, the attempts started since local midnight; NULL for a control not set. Its
   * parameters are numbered from `$first` on, `$campaign` holding the campaign's id.
   */
  figuresSql(
    c: Campaign,
    now: Date,
    campaign: string,
    first: number,
  ): { columns: string; params: unknown[] } {
    const midnight =
      c.maxCallsPerDay === null
        ? null
        : DateTime.fromJSDate(now).setZone(c.timezone).startOf('day').toJSDate();
    const [since, budget, keys, today] = [first, first + 1, first + 2, first + 3].map(
      (n) => `$${n}`,
    );
    return {
      columns: `CASE WHEN ${since}::timestamptz IS NOT NULL THEN
                  (SELECT count(*)::int FROM call_attempts
                    WHERE campaign_id = ${campaign} AND requested_at >= ${since} AND platform_failed) END AS failed,
                CASE WHEN ${budget}::boolean THEN
                  (SELECT coalesce(json_object_agg(key, value), '{}') FROM (
                     SELECT key, sum(value)::text AS value FROM campaign_counters
                      WHERE campaign_id = ${campaign} AND key = ANY(${keys}::text[]) GROUP BY key) k) END AS budget,
                CASE WHEN ${today}::timestamptz IS NOT NULL THEN
                  (SELECT count(*)::int FROM call_attempts
                    WHERE campaign_id = ${campaign} AND requested_at >= ${today} AND state <> 'not_dialled') END AS today`,
      params: [
        c.autoPause ? breakerSince(c, now) : null,
        c.maxCost !== null,
        BUDGET_KEYS,
        midnight,
      ],
    };
  }

  /** The starts the controls allow, given the row holding figuresSql's columns. */
  async startsAllowed(
    tx: EntityManager,
    c: Campaign,
    now: Date,
    row: FiguresRow,
  ): Promise<StartsAllowed> {
    if (c.endsAt && now.getTime() >= new Date(c.endsAt).getTime()) {
      return { starts: 0, expired: await this.expireWaitingLeads(tx, c.id) };
    }
    const figures = figuresOf(row);
    if (figures.failed !== null && (await this.breakerTrips(tx, c, now, figures.failed)))
      return NONE;
    let starts = Infinity;
    if (figures.budget !== null) {
      starts = await this.withinBudget(tx, c, figures.budget);
      if (starts <= 0) return NONE;
    }
    if (c.maxCallsPerDay !== null && figures.today !== null) {
      starts = Math.min(starts, c.maxCallsPerDay - figures.today);
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
  private async breakerTrips(
    tx: EntityManager,
    c: Campaign,
    now: Date,
    failed: number,
  ): Promise<boolean> {
    if (!c.autoPause) return false;
    const { failure_rate: threshold, window_minutes: minutes, min_calls: minCalls } = c.autoPause;
    const since = breakerSince(c, now);
    // Tripping needs failed ≥ threshold × calls ≥ threshold × min_calls: the failures alone (a
    // small partial index) settle the common case; the window's calls are counted only then.
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
  private async withinBudget(
    tx: EntityManager,
    c: Campaign,
    counters: Map<string, number>,
  ): Promise<number> {
    const maxCost = Number(c.maxCost);
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
}

/** The budget's figures in `campaign_counters` (migration BudgetCounters). */
const BUDGET_KEYS = ['spent', 'priced_calls', 'slots'] as const;

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** figuresSql's columns, as the driver hands them over. */
export interface FiguresRow {
  failed: number | null;
  budget: Record<string, string> | null;
  today: number | null;
}

function figuresOf(row: FiguresRow): ControlFigures {
  const budget =
    row.budget === null
      ? null
      : new Map(Object.entries(row.budget).map(([k, v]) => [k, Number(v)] as const));
  return { failed: row.failed, budget, today: row.today };
}

interface ControlFigures {
  /** Failed starts in the breaker's window; null: no breaker. */
  failed: number | null;
  /** The budget's counters (BUDGET_KEYS); null: no budget. */
  budget: Map<string, number> | null;
  /** Attempts started since local midnight; null: no daily cap. */
  today: number | null;
}

/** The breaker's window start: window_minutes ago, or the last resume if later. */
function breakerSince(c: Campaign, now: Date): Date {
  const minutes = c.autoPause ? c.autoPause.window_minutes : 0;
  const windowStart = now.getTime() - minutes * 60_000;
  return new Date(Math.max(windowStart, c.resumedAt ? c.resumedAt.getTime() : 0));
}
