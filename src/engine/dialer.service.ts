import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../core/runtime';
import { CallStarter, type StartOutcome } from './start/call-starter.service';
import { CampaignSettler } from './finish/campaign-settler';
import { ENGINE_SETTINGS, type EngineSettings } from './engine-settings';
import { InFlightRegistry } from './attempts/in-flight.registry';
import { LeadClaimer, type ClaimedCall } from './claim/lead-claimer.service';
import { PlatformPacer } from './start/platform-pacer';
import { Reconciler } from './start/reconciler.service';
import { WorkerLoop } from '../common/worker-loop';
import { queryRows } from '../common/sql';
import { SLOT_STATES_SQL } from '../common/attempt-states';
import { CallAttemptsRepository } from './attempts/call-attempts.repository';

/** After the platform could not be reached at all, this process waits this long before dialling again. */
const UNREACHABLE_BACKOFF_MS = 2_000;

/**
 * The dial loop (worker roles only): every dialIntervalMs, or at once when a slot frees up,
 * claims due leads of each running campaign within its caps and hands them to the CallStarter.
 * Claimed attempts waiting for their POST have their leases renewed; on shutdown no new claim
 * is made, queued attempts are released undialled and in-flight POSTs are awaited and recorded;
 * then the leases this instance still holds are handed back.
 */
@Injectable()
export class DialerService {
  private readonly logger = new Logger(DialerService.name);
  private readonly loop: WorkerLoop;
  private renewTimer?: NodeJS.Timeout;
  private readonly idleUntil = new Map<string, number>();
  private readonly queued = new Map<string, number>();
  private readonly jobs = new Set<Promise<void>>();
  private stopping = false;
  private unreachableUntil = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    private readonly claimer: LeadClaimer,
    private readonly starter: CallStarter,
    private readonly pacer: PlatformPacer,
    private readonly inFlight: InFlightRegistry,
    private readonly settler: CampaignSettler,
    private readonly reconciler: Reconciler,
    private readonly attempts: CallAttemptsRepository,
  ) {
    this.loop = new WorkerLoop('dialling', settings.dialIntervalMs, () => this.tick(), this.logger);
  }

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    this.loop.start();
    this.renewTimer = setInterval(() => void this.renewLeases(), this.settings.leaseRenewMs);
  }

  /**
   * Graceful stop: no new claim; attempts still waiting for their turn are released at once
   * (their leads go back to the queue for any instance); POSTs under way finish and are recorded.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    await this.starter.releaseUnsent(this.inFlight.takeQueued()).catch((e: unknown) => {
      // Whatever could not be released is reaped by lease expiry and reconciled: never lost.
      this.logger.warn(`releasing unsent attempts on shutdown failed: ${String(e)}`);
    });
    this.pacer.dropQueuedStarts();
    await Promise.allSettled([...this.jobs]);
    if (this.renewTimer) clearInterval(this.renewTimer);
  }

  /**
   * After every loop stopped (the dialler's, and the poller's whose housekeeping reconciles;
   * WorkerLoops calls it last): the leases this instance still holds on
   * unsettled attempts go back, so a rolling restart costs no slot time (another instance
   * reconciles them at once, not after the lease).
   */
  async handBackLeases(): Promise<void> {
    try {
      const handed = await this.reconciler.handBackLeases(this.clock.now());
      if (handed.starting + handed.ambiguous > 0) {
        this.logger.log(
          `shutting down: handed back the leases of ${handed.ambiguous} ambiguous and ${handed.starting} unrecorded starts for reconciliation`,
        );
      }
    } catch (e) {
      // Whatever could not be handed back is reconciled after its lease expires: never lost.
      this.logger.warn(`handing back leases on shutdown failed: ${String(e)}`);
    }
  }

  /** Look for work now (a slot was freed, a campaign was started or resumed). */
  wake(campaignId?: string): void {
    if (campaignId) this.idleUntil.delete(campaignId);
    this.loop.wake();
  }

  /** One pass over the running campaigns; exposed so tests and the bench can drive it. */
  async tick(): Promise<void> {
    if (this.stopping || Date.now() < this.unreachableUntil) return;
    // Campaigns with a free slot (a cheap unlocked count: the claim re-checks under the lock),
    // none while the platform is paused; fewest slots held per cap first, and between equals the
    // one with the fewest calls per cap in the last minute. Under a limit they share (the learned
    // platform limit), a freed slot so goes to the campaign furthest below its weighted share, and
    // calls split by the caps over time; every instance reads the same rows, so the fleet agrees
    // on the order. Skipping the whole pass while paused also means a pass never sees the pause
    // end halfway (the campaigns after that instant would take every free slot). The last
    // minute's calls are counted only when there is an order to decide (more than one campaign):
    // a running campaign makes up to its per-minute cap of them, read on every pass otherwise.
    const now = this.clock.now();
    const campaigns = await queryRows<{ id: string }>(
      this.db,
      `SELECT x.id FROM (
         SELECT c.id, c.started_at, c.max_concurrent_calls, b.busy, count(*) OVER () AS candidates
           FROM campaigns c
           CROSS JOIN LATERAL (SELECT count(*) AS busy FROM call_attempts a
                                WHERE a.campaign_id = c.id AND a.state IN ${SLOT_STATES_SQL}) b
          WHERE c.status = 'running' AND c.max_concurrent_calls > b.busy
            AND (SELECT paused_until FROM platform_pause WHERE id = 1) <= $1) x
        ORDER BY x.busy::float8 / x.max_concurrent_calls,
                 CASE WHEN x.candidates > 1 THEN
                   (SELECT count(*) FROM call_attempts a
                     WHERE a.campaign_id = x.id AND a.requested_at > $2
                       AND a.state <> 'not_dialled')::float8 / x.max_concurrent_calls END,
                 x.started_at NULLS LAST, x.id`,
      [now, new Date(now.getTime() - 60_000)],
    );
    let more = false;
    for (const { id } of campaigns) {
      if (this.stopping) return;
      if ((this.idleUntil.get(id) ?? 0) > Date.now()) continue;
      const want = Math.min(
        this.settings.claimBatch,
        this.settings.maxQueuedPerCampaign - (this.queued.get(id) ?? 0),
      );
      if (want <= 0) continue;
      const result = await this.claimer.claim(id, want, this.clock.now());
      if (result.idle) this.idleUntil.set(id, Date.now() + this.settings.idleBackoffMs);
      else this.idleUntil.delete(id);
      if (result.finalised > 0) await this.settler.settle(id);
      for (const call of result.calls) this.launch(call);
      if (result.calls.length === want) more = true;
    }
    // A full batch: there may be more to claim right away.
    if (more) this.loop.wake();
  }

  private launch(call: ClaimedCall): void {
    const campaignId = call.campaign.id;
    this.inFlight.add(call.attemptId);
    this.queued.set(campaignId, (this.queued.get(campaignId) ?? 0) + 1);
    const job = this.starter
      .start(call, () => this.inFlight.beginSending(call.attemptId))
      .then((outcome: StartOutcome) => {
        if (outcome === 'platform_down')
          this.unreachableUntil = Date.now() + UNREACHABLE_BACKOFF_MS;
        // A slot came back without a call: fill it.
        if (outcome === 'released' || outcome === 'lost') this.loop.wake();
      })
      .catch((e: unknown) => {
        // Dropped from the queue on shutdown: already released.
        if (this.stopping) return;
        // The attempt keeps its lease until it expires; then it is reconciled like a crash.
        this.logger.error(`start of attempt ${call.attemptId} failed: ${String(e)}`);
      })
      .finally(() => {
        this.inFlight.delete(call.attemptId);
        this.queued.set(campaignId, (this.queued.get(campaignId) ?? 1) - 1);
        this.jobs.delete(job);
      });
    this.jobs.add(job);
  }

  /** Keeps our claimed-but-not-yet-recorded attempts from looking abandoned. */
  private async renewLeases(): Promise<void> {
    const ids = this.inFlight.list();
    if (ids.length === 0) return;
    const now = this.clock.now();
    await this.attempts
      .renewStartingLeases(
        ids,
        new Date(now.getTime() + this.settings.leaseMs),
        this.settings.instanceId,
      )
      .catch((e: unknown) => this.logger.warn(`lease renewal failed: ${String(e)}`));
  }
}
