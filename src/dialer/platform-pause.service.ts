import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { computeRetryDelay } from '../callrounded/retry-policy';
import { queryRows } from '../common/sql';

export interface PauseState {
  pausedUntil: Date;
  consecutive429: number;
  /** The platform's concurrency limit as learned from 429s; null = not limited by us. */
  observedLimit: number | null;
  last429At: Date | null;
}

/** A quiet period after the last 429 before the learned limit grows back, one per start. */
export const LIMIT_REGROWTH_AFTER_MS = 30_000;
const BACKOFF = { backoffBaseMs: 1_000, maxBackoffMs: 60_000 };

/**
 * The one "platform paused until" shared by every instance (the single platform_pause row): a
 * 429 on any instance stops starts on all of them, so the fleet backs off together instead of
 * each worker hammering on its own schedule. It also holds the concurrency limit learned from
 * 429s, so that a platform limit below the campaigns' caps is converged to without failing leads.
 */
@Injectable()
export class PlatformPauseService {
  private readonly logger = new Logger(PlatformPauseService.name);
  private cached?: PauseState;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async read(tx: EntityManager | DataSource = this.db, lock = false): Promise<PauseState> {
    const rows: Record<string, unknown>[] = await queryRows(
      tx,
      `SELECT paused_until, consecutive_429, observed_limit, last_429_at FROM platform_pause WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
    );
    const row = rows[0];
    const state: PauseState = row
      ? {
          pausedUntil: row.paused_until as Date,
          consecutive429: Number(row.consecutive_429),
          observedLimit: row.observed_limit === null ? null : Number(row.observed_limit),
          last429At: (row.last_429_at as Date | null) ?? null,
        }
      : { pausedUntil: new Date(0), consecutive429: 0, observedLimit: null, last429At: null };
    this.cached = state;
    return state;
  }

  /** The last state read by this process (refreshed by every claim). */
  get last(): PauseState | undefined {
    return this.cached;
  }

  /**
   * A 429 on POST /calls/phone: pause every instance for Retry-After (else exponential backoff
   * by consecutive 429s, capped at a minute) plus jitter, and learn the concurrency limit: the
   * calls live right now, since the platform refused one more.
   */
  async record429(now: Date, sentAt: Date, retryAfterMs: number | undefined): Promise<PauseState> {
    return this.db.transaction(async (tx) => {
      const current = await this.read(tx, true);
      // Requests already in flight when the previous 429 arrived echo it: same streak, no escalation.
      const echo = current.last429At !== null && sentAt.getTime() <= current.last429At.getTime();
      const streak = echo ? Math.max(0, current.consecutive429 - 1) : current.consecutive429;
      const delay = computeRetryDelay(streak, BACKOFF, retryAfterMs);
      const [{ live }]: { live: string }[] = await queryRows(
        tx,
        `SELECT count(*) AS live FROM call_attempts WHERE state IN ('live', 'ambiguous')`,
      );
      const learned = Math.max(1, Number(live));
      const limit =
        current.observedLimit === null ? learned : Math.min(current.observedLimit, learned);
      const until = new Date(Math.max(current.pausedUntil.getTime(), now.getTime() + delay));
      await tx.query(
        `UPDATE platform_pause SET paused_until = $1, consecutive_429 = $2,
                observed_limit = $3, last_429_at = greatest(last_429_at, $4), updated_at = now() WHERE id = 1`,
        [until, streak + 1, limit, now],
      );
      this.logger.warn(
        `Platform answered 429: every instance pauses call starts until ${until.toISOString()}; concurrency held at ${limit} live calls until 429s stop`,
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
   * A start succeeded: the 429 streak is over, and after a quiet period the learned limit grows
   * back by one per successful start, so a temporary limit does not throttle forever. Touches the
   * row only when there is something to change (a hot row otherwise).
   */
  async recordSuccess(now: Date): Promise<void> {
    const state = this.cached;
    if (!state || (state.consecutive429 === 0 && state.observedLimit === null)) return;
    const quietSince = new Date(now.getTime() - LIMIT_REGROWTH_AFTER_MS);
    await this.db.query(
      `UPDATE platform_pause SET consecutive_429 = 0,
              observed_limit = CASE WHEN last_429_at IS NULL OR last_429_at < $1 THEN observed_limit + 1 ELSE observed_limit END,
              updated_at = now()
        WHERE id = 1 AND (consecutive_429 > 0 OR (observed_limit IS NOT NULL AND (last_429_at IS NULL OR last_429_at < $1)))`,
      [quietSince],
    );
    state.consecutive429 = 0;
  }
}
