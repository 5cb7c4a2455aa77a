import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  VOICE_PLATFORM,
  type PlatformCallView,
  type VoicePlatform,
} from '../platform/voice-platform.port';
import { AttemptLedger } from '../attempts/attempt-ledger.service';
import { CallTerminator } from '../track/call-terminator.service';
import { EngineMetrics } from '../engine-metrics';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { InFlightRegistry } from '../attempts/in-flight.registry';
import { CallAttemptsRepository } from '../attempts/call-attempts.repository';
import { PlatformPacer } from './platform-pacer';
import { forEachLimited } from '../../common/worker-loop';
import { queryRows } from '../../common/sql';
import { UNCONFIRMED_STATES_SQL } from '../../common/attempt-states';

interface AmbiguousAttempt {
  id: string;
  lead_id: string;
  campaign_id: string;
  agent_id: string;
  from_number: string;
  to_number: string;
  requested_at: Date;
  reconcile_until: Date;
}

/** Ambiguous attempts reconciled per tick, fleet-wide each by one instance at a time. */
const RECONCILE_BATCH = 50;

/**
 * Settles starts whose outcome is unknown, without ever guessing. The reaper turns `starting`
 * attempts whose holder stopped renewing its lease (it died between the claim and the POST, or
 * between the POST and saving the call id) into `ambiguous`. Reconciliation then looks for the
 * call on the platform by agent, number and a start-time window widened by the clock skew,
 * excluding call ids already recorded on any attempt: a match is adopted (the attempt goes live);
 * only when none appears until `reconcile_until` is the attempt declared never dialled and its
 * slot freed.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    @Inject(VOICE_PLATFORM) private readonly platform: VoicePlatform,
    private readonly pacer: PlatformPacer,
    private readonly ledger: AttemptLedger,
    private readonly terminator: CallTerminator,
    private readonly inFlight: InFlightRegistry,
    private readonly metrics: EngineMetrics,
    private readonly attempts: CallAttemptsRepository,
  ) {}

  /** `starting` attempts whose lease expired become `ambiguous`: their slot stays held. */
  async reap(now: Date): Promise<number> {
    const rows: unknown[] = await queryRows(
      this.db,
      `UPDATE call_attempts SET state = 'ambiguous', reconcile_until = $2, lease_owner = NULL,
              lease_expires_at = NULL, updated_at = now(),
              error = 'holder stopped before recording the outcome of its start (lease expired)'
        WHERE state = 'starting' AND lease_expires_at < $1 AND NOT (id = ANY($3::uuid[]))
        RETURNING id`,
      [now, new Date(now.getTime() + this.settings.reconcileGraceMs), this.inFlight.list()],
    );
    if (rows.length > 0) {
      this.metrics.ambiguousStarts.inc(rows.length);
      this.logger.warn(
        `${rows.length} start(s) left unfinished by a stopped instance: reconciling`,
      );
    }
    return rows.length;
  }

  /**
   * Shutdown (after every loop of this process stopped and its POSTs were recorded): hands back
   * the leases this instance holds, so another instance reconciles those attempts at once
   * instead of after the lease. An `ambiguous` one it was reconciling is simply unleased; a
   * `starting` one whose outcome it never recorded becomes `ambiguous`, as lease expiry would
   * make it (its call may exist: only reconciliation may free the slot). Only our own rows.
   */
  async handBackLeases(now: Date): Promise<{ starting: number; ambiguous: number }> {
    const rows = await queryRows<{ was: string }>(
      this.db,
      `WITH mine AS (
         SELECT id, state AS was FROM call_attempts
          WHERE lease_owner = $1 AND state IN ${UNCONFIRMED_STATES_SQL} FOR UPDATE)
       UPDATE call_attempts a SET state = 'ambiguous', lease_owner = NULL, lease_expires_at = NULL,
              reconcile_until = CASE WHEN mine.was = 'starting' THEN $2 ELSE a.reconcile_until END,
              error = CASE WHEN mine.was = 'starting'
                           THEN 'holder shut down before recording the outcome of its start' ELSE a.error END,
              updated_at = now()
         FROM mine WHERE a.id = mine.id
        RETURNING mine.was`,
      [this.settings.instanceId, new Date(now.getTime() + this.settings.reconcileGraceMs)],
    );
    const starting = rows.filter((r) => r.was === 'starting').length;
    if (starting > 0) this.metrics.ambiguousStarts.inc(starting);
    return { starting, ambiguous: rows.length - starting };
  }

  /** Returns how many attempts were settled (adopted or released). */
  async reconcile(now: Date): Promise<number> {
    const rows: AmbiguousAttempt[] = await queryRows(
      this.db,
      `UPDATE call_attempts SET lease_owner = $2, lease_expires_at = $3
        WHERE id IN (SELECT id FROM call_attempts
                      WHERE state = 'ambiguous'
                        AND (lease_expires_at IS NULL OR lease_expires_at < $1 OR lease_owner = $2)
                      ORDER BY requested_at LIMIT ${RECONCILE_BATCH}
                      FOR UPDATE SKIP LOCKED)
          AND state = 'ambiguous'
        RETURNING id, lead_id, campaign_id, agent_id, from_number, to_number, requested_at, reconcile_until`,
      [now, this.settings.instanceId, new Date(now.getTime() + this.settings.leaseMs)],
    );
    let settled = 0;
    await forEachLimited(rows, 4, async (row) => {
      try {
        if (await this.reconcileOne(row, now)) settled++;
      } catch (e) {
        this.logger.warn(`reconciliation of attempt ${row.id} failed, will retry: ${String(e)}`);
      }
    });
    return settled;
  }

  private async reconcileOne(row: AmbiguousAttempt, now: Date): Promise<boolean> {
    const found = await this.findUnrecordedCall(row);
    if (found) {
      let live;
      try {
        live = await this.ledger.markLive(row.id, found.id, now);
      } catch (e) {
        // Another attempt recorded this call id first (unique): look again next tick.
        this.logger.warn(`could not adopt call ${found.id} for attempt ${row.id}: ${String(e)}`);
        return false;
      }
      if (!live) return false;
      this.metrics.reconciled.inc({ result: 'adopted' });
      this.metrics.callsStarted.inc();
      this.logger.log(`attempt ${row.id}: adopted call ${found.id} found on the platform`);
      void this.pacer
        .request(() =>
          this.platform.tagCall(found.id, {
            campaign_id: row.campaign_id,
            lead_id: row.lead_id,
            attempt_id: row.id,
          }),
        )
        .catch(() => undefined);
      if (live.campaignStatus === 'cancelled') await this.terminator.terminate(row.id, now);
      return true;
    }
    if (now.getTime() <= new Date(row.reconcile_until).getTime()) return false;
    const released = await this.ledger.release(
      row.id,
      now,
      'no call found on the platform after the grace period: never dialled',
      { kind: 'requeue' },
    );
    if (released) this.metrics.reconciled.inc({ result: 'not_dialled' });
    return released !== undefined;
  }

  /**
   * The call this attempt may have created: same agent, number (and from-number when the
   * platform says), started after requested_at minus the clock skew, and not recorded on any
   * attempt. The earliest such call is the one our POST created.
   */
  private async findUnrecordedCall(row: AmbiguousAttempt): Promise<PlatformCallView | undefined> {
    const since = new Date(new Date(row.requested_at).getTime() - this.settings.clockSkewMs);
    const matches: PlatformCallView[] = [];
    await this.pacer.request(async () => {
      const calls = this.platform.findCalls({
        agentId: row.agent_id,
        toNumber: row.to_number,
        startedAfter: since,
        limit: 100,
      });
      for await (const call of calls) {
        if (call.toNumber && call.toNumber !== row.to_number) continue;
        if (call.fromNumber && call.fromNumber !== row.from_number) continue;
        matches.push(call);
      }
    });
    if (matches.length === 0) return undefined;
    const recorded = await this.attempts.recordedCallIds(matches.map((c) => c.id));
    return matches
      .filter((c) => !recorded.has(c.id))
      .sort((a, b) => Date.parse(a.startedAt ?? '') - Date.parse(b.startedAt ?? ''))[0];
  }
}
