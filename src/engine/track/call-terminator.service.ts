import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CallRoundedClient } from '../../callrounded/callrounded.client';
import { PlatformPacer } from '../start/platform-pacer';
import { queryRows } from '../../common/sql';

/**
 * Ends live calls of cancelled campaigns (POST /calls/{id}/terminate). The
 * `terminate_requested_at` marker is set by a conditional UPDATE, so each call is terminated by
 * one instance once; a failed request clears it and the next sweep tries again. The call itself
 * is still polled to its final status and recorded like any other.
 */
@Injectable()
export class CallTerminator {
  private readonly logger = new Logger(CallTerminator.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: CallRoundedClient,
    private readonly pacer: PlatformPacer,
  ) {}

  /** Every live call of a cancelled campaign not yet asked to end. */
  async sweepCancelled(now: Date): Promise<number> {
    const rows: { id: string; call_id: string }[] = await queryRows(
      this.db,
      `UPDATE call_attempts a SET terminate_requested_at = $1, updated_at = now()
         FROM campaigns c
        WHERE c.id = a.campaign_id AND c.status = 'cancelled'
          AND a.state = 'live' AND a.terminate_requested_at IS NULL
        RETURNING a.id, a.call_id`,
      [now],
    );
    await Promise.all(rows.map((r) => this.send(r.id, r.call_id)));
    return rows.length;
  }

  /** Terminates one live call now (its campaign was cancelled while it was starting). */
  async terminate(attemptId: string, now: Date): Promise<void> {
    const rows: { call_id: string }[] = await queryRows(
      this.db,
      `UPDATE call_attempts SET terminate_requested_at = $2, updated_at = now()
        WHERE id = $1 AND state = 'live' AND terminate_requested_at IS NULL RETURNING call_id`,
      [attemptId, now],
    );
    if (rows[0]) await this.send(attemptId, rows[0].call_id);
  }

  /** Best effort for calls we no longer track (terminate is idempotent on the platform). */
  async terminateUntracked(callId: string): Promise<void> {
    await this.pacer
      .request(() => this.client.terminateCall(callId))
      .catch((e: unknown) => {
        this.logger.error(`could not terminate call ${callId}: ${String(e)}`);
      });
  }

  private async send(attemptId: string, callId: string): Promise<void> {
    try {
      await this.pacer.request(() => this.client.terminateCall(callId));
    } catch (e) {
      this.logger.warn(`terminate of call ${callId} failed, will retry: ${String(e)}`);
      await this.db.query(
        `UPDATE call_attempts SET terminate_requested_at = NULL WHERE id = $1 AND state = 'live'`,
        [attemptId],
      );
    }
  }
}
