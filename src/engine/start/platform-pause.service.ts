import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RateLimitKind } from '../platform/voice-platform.port';
import { computeRetryDelay } from '../../common/backoff';
import { queryRows } from '../../common/sql';
import { GROWTH_STARTS_MIN, judge429, type LimitState } from './platform-limit';
import { SLOT_STATES_SQL } from '../../common/attempt-states';

export interface PauseState extends LimitState {
  pausedUntil: Date;
  consecutive429: number;
  /** The platform's concurrency limit as learned from 429s; null = not limited by us. */
  observedLimit: number | null;
  last429At: Date | null;
  /** Accepted starts counted towards the next +1 of observedLimit. */
  growthStarts: number;
}

/** The platform_pause columns PauseState is read from (the claim reads them in its own query). */
export const PAUSE_COLUMNS = `paused_until, consecutive_429, observed_limit, last_429_at, growth_starts,
  unexplained_429_live, unexplained_429s`;

export function pauseStateOf(row: Record<string, unknown> | undefined): PauseState {
  if (!row) {
    return {
      pausedUntil: new Date(0),
      consecutive429: 0,
      observedLimit: null,
      last429At: null,
      growthStarts: 0,
      unexplained429Live: null,
      unexplained429s: 0,
    };
  }
  const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    pausedUntil: row.paused_until as Date,
    consecutive429: Number(row.consecutive_429),
    observedLimit: intOrNull(row.observed_limit),
    last429At: (row.last_429_at as Date | null) ?? null,
    growthStarts: Number(row.growth_starts ?? 0),
    unexplained429Live: intOrNull(row.unexplained_429_live),
    unexplained429s: Number(row.unexplained_429s ?? 0),
  };
}

const BACKOFF = { backoffBaseMs: 1_000, maxBackoffMs: 60_000 };
/** Calls the platform counts as live: ours in these states (a `starting` one is not sent yet). */
const LIVE_STATES = `('live', 'ambiguous')`;

/**
 * The one "platform paused until" shared by every instance (the single platform_pause row): a
 * 429 on any instance stops starts on all of them, so the fleet backs off together instead of
 * each worker hammering on its own schedule. It also holds the concurrency limit learned from
 * 429s (AIMD, rules in platform-limit.ts), so that a platform limit below the campaigns' caps is
 * converged to without failing leads, while a rate 429 only pauses.
 */
@Injectable()
export class PlatformPauseService {
  private readonly logger = new Logger(PlatformPauseService.name);
  private cached?: PauseState;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async read(tx: EntityManager | DataSource = this.db, lock = false): Promise<PauseState> {
    const rows: Record<string, unknown>[] = await queryRows(
      tx,
      `SELECT ${PAUSE_COLUMNS} FROM platform_pause WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
    );
    return this.remember(pauseStateOf(rows[0]));
  }

  /** Keeps a state read elsewhere (the claim reads the row in its own query). */
  remember(state: PauseState): PauseState {
    this.cached = state;
    return state;
  }

  /** The last state read by this process (refreshed by every claim). */
  get last(): PauseState | undefined {
    return this.cached;
  }

  /**
   * A 429 on POST /calls/phone: pause every instance for Retry-After (else exponential backoff
   * by consecutive 429s, capped at a minute) plus jitter, whatever limit it names. The learned
   * limit is lowered only on evidence of a concurrency limit (judge429).
   */
  async record429(
    now: Date,
    sentAt: Date,
    retryAfterMs: number | undefined,
    kind: RateLimitKind,
  ): Promise<PauseState> {
    return this.db.transaction(async (tx) => {
      const current = await this.read(tx, true);
      // Requests already in flight when the previous 429 arrived echo it: same streak, no escalation.
      const echo = current.last429At !== null && sentAt.getTime() <= current.last429At.getTime();
      const streak = echo ? Math.max(0, current.consecutive429 - 1) : current.consecutive429;
      const delay = computeRetryDelay(streak, BACKOFF, retryAfterMs);
      const [{ live }] = await queryRows<{ live: string }>(
        tx,
        `SELECT count(*) AS live FROM call_attempts WHERE state IN ${LIVE_STATES}`,
      );
      const verdict = judge429(current, kind, Number(live));
      const until = new Date(Math.max(current.pausedUntil.getTime(), now.getTime() + delay));
      await tx.query(
        `UPDATE platform_pause SET paused_until = $1, consecutive_429 = $2, observed_limit = $3,
                last_429_at = greatest(last_429_at, $4), unexplained_429_live = $5, unexplained_429s = $6,
                growth_starts = CASE WHEN $7 THEN 0 ELSE growth_starts END, updated_at = now()
          WHERE id = 1`,
        [
          until,
          streak + 1,
          verdict.observedLimit,
          now,
          verdict.unexplained429Live,
          verdict.unexplained429s,
          verdict.lowered,
        ],
      );
      const limit =
        verdict.observedLimit === current.observedLimit
          ? `learned limit ${verdict.observedLimit ?? 'none'} kept`
          : `learned limit lowered to ${verdict.observedLimit} live calls`;
      this.logger.warn(
        `Platform answered 429 (${verdict.reason}): every instance pauses call starts until ${until.toISOString()}; ${limit}`,
      );
      return this.read(tx);
    });
  }

  /** A refusal that is not the platform's fault (bad key, platform unreachable): pause starts. */
  async pauseFor(now: Date, ms: number): Promise<void> {
    await this.db.query(
      `UPDATE platform_pause SET paused_until = greatest(paused_until, $1), updated_at = now() WHERE id = 1`,
      [new Date(now.getTime() + ms)],
    );
  }

  /**
   * A start sent at `sentAt` was accepted. The 429 streak is over; a run of unexplained 429s
   * is disproved if this start was accepted with at least as many calls live; and the learned
   * limit grows by one per max(GROWTH_STARTS_MIN, limit) accepted starts, counting only starts
   * sent after the last 429 while the limit is what holds the fleet back (slots in use ≥
   * limit − 1: a limit nobody reaches learns nothing). One statement; it touches the row only
   * when there is something to change (it is hot).
   */
  async recordSuccess(sentAt: Date): Promise<void> {
    const state = this.cached;
    if (
      state &&
      state.consecutive429 === 0 &&
      state.observedLimit === null &&
      state.unexplained429Live === null
    ) {
      return;
    }
    const rows = await queryRows<Record<string, unknown>>(
      this.db,
      `WITH s AS (
         SELECT count(*) FILTER (WHERE state IN ${LIVE_STATES}) - 1 AS others, count(*) AS held
           FROM call_attempts WHERE state IN ${SLOT_STATES_SQL}),
       g AS (
         SELECT coalesce(p.observed_limit IS NOT NULL AND (p.last_429_at IS NULL OR p.last_429_at < $1)
                  AND s.held >= p.observed_limit - 1, false) AS grows,
                p.growth_starts + 1 >= greatest($2, p.observed_limit) AS step,
                coalesce(s.others >= p.unexplained_429_live, false) AS disproved
           FROM platform_pause p, s WHERE p.id = 1)
       UPDATE platform_pause p SET
              consecutive_429 = 0,
              unexplained_429_live = CASE WHEN g.disproved THEN NULL ELSE p.unexplained_429_live END,
              unexplained_429s = CASE WHEN g.disproved THEN 0 ELSE p.unexplained_429s END,
              growth_starts = CASE WHEN NOT g.grows THEN p.growth_starts WHEN g.step THEN 0
                                   ELSE p.growth_starts + 1 END,
              observed_limit = CASE WHEN g.grows AND g.step THEN p.observed_limit + 1
                                    ELSE p.observed_limit END,
              updated_at = now()
         FROM g
        WHERE p.id = 1 AND (p.consecutive_429 > 0 OR g.disproved OR g.grows)
        RETURNING ${PAUSE_COLUMNS.split(',')
          .map((c) => `p.${c.trim()}`)
          .join(', ')}`,
      [sentAt, GROWTH_STARTS_MIN],
    );
    if (rows[0]) this.remember(pauseStateOf(rows[0]));
    else if (state) state.consecutive429 = 0;
  }
}
