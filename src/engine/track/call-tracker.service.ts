import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Campaign } from '../../campaigns/campaign.entity';
import type { PlatformCallView } from '../platform/voice-platform.port';
import { CLOCK, type Clock } from '../../core/runtime';
import { DialerService } from '../dialer.service';
import { EngineMetrics } from '../engine-metrics';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { Reconciler } from '../start/reconciler.service';
import { WorkerLoop } from '../../common/worker-loop';
import { ConcurrencyLimit } from '../start/concurrency-limit';
import {
  answersReady,
  AttemptFinalizer,
  type Finalised,
} from '../finish/attempt-finalizer.service';
import { CallTerminator } from './call-terminator.service';
import { queryRows } from '../../common/sql';
import { AgentCallReader, type TrackedCall } from './agent-call-reader';
import { PollCadence } from './poll-cadence';
import { CallAttemptsRepository } from '../attempts/call-attempts.repository';

interface Tracked extends TrackedCall {
  agent_id: string;
  campaign_id: string;
  state: 'live' | 'ended';
  answers_due_until: Date | null;
}

/**
 * Follows every live call to its end, whatever its campaign's status (a paused campaign's calls
 * are still recorded). Each tick: terminate calls of cancelled campaigns, reap and reconcile
 * unsettled starts (every housekeepingIntervalMs), then poll. Polling is per agent, by one
 * instance at a time (a lease in poll_leases), through AgentCallReader (one list walk for all
 * of the agent's calls); each call seen over is finalised, the unknown kept until maxCallAgeMs.
 */
@Injectable()
export class CallTracker {
  private readonly logger = new Logger(CallTracker.name);
  private readonly loop: WorkerLoop;
  private readonly loggedStatuses = new Set<string>();
  private readonly cadence: PollCadence;
  private lastHousekeeping = 0;
  /**
   * Recording calls' ends runs beside the polling: the next pass starts on time instead of after
   * the slowest finalisation (a slot stays held until its call's end is seen). Attempts being
   * finalised are left out of the passes meanwhile.
   */
  private readonly finalising = new Set<string>();
  private readonly finaliseJobs = new Set<Promise<void>>();
  private readonly finaliseLimit: ConcurrencyLimit;
  private finalsSinceLastPass = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    private readonly reader: AgentCallReader,
    private readonly finalizer: AttemptFinalizer,
    private readonly terminator: CallTerminator,
    private readonly reconciler: Reconciler,
    private readonly dialer: DialerService,
    private readonly metrics: EngineMetrics,
    private readonly attempts: CallAttemptsRepository,
  ) {
    this.cadence = new PollCadence(settings.pollIntervalMs, settings.pollRequestsPerFinishedCall);
    this.finaliseLimit = new ConcurrencyLimit(settings.finaliseConcurrency);
    this.loop = new WorkerLoop(
      'call tracking',
      () => this.cadence.nextIntervalMs(),
      () => this.tick(),
      this.logger,
    );
  }

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.finaliseJobs]);
    // Let another instance take over our agents at once rather than after the lease.
    await this.db
      .query(`DELETE FROM poll_leases WHERE owner = $1`, [this.settings.instanceId])
      .catch(() => undefined);
  }

  /**
   * One pass; exposed so tests and the bench can drive it without waiting for the timer.
   * Campaigns are settled (completed, runs ended) by the lifecycle's own loop.
   */
  async tick(): Promise<void> {
    const now = this.clock.now();
    let reconciled = 0;
    if (Date.now() - this.lastHousekeeping >= this.settings.housekeepingIntervalMs) {
      this.lastHousekeeping = Date.now();
      reconciled = await this.housekeeping(now);
    }
    const requestsBefore = this.reader.requests;
    await this.pollAll(now);
    // Ends recorded since the last pass (their finalisations run beside the polling).
    const finals = this.finalsSinceLastPass;
    this.finalsSinceLastPass = 0;
    this.cadence.record(Date.now(), this.reader.requests - requestsBefore, finals);
    if (reconciled > 0) this.dialer.wake();
  }

  /** Terminations for cancelled campaigns, reaper, reconciliation, live-call gauge. */
  private async housekeeping(now: Date): Promise<number> {
    await this.terminator.sweepCancelled(now);
    await this.reconciler.reap(now);
    const reconciled = await this.reconciler.reconcile(now);
    this.metrics.liveCalls.set(await this.attempts.countSlotsHeld());
    return reconciled;
  }

  private async pollAll(now: Date): Promise<void> {
    const tracked = (await this.trackedCallsOfLeasedAgents(now)).filter(
      (t) => !this.finalising.has(t.id),
    );
    const byAgent = new Map<string, Tracked[]>();
    for (const t of tracked) byAgent.set(t.agent_id, [...(byAgent.get(t.agent_id) ?? []), t]);
    for (const [agentId, calls] of byAgent) {
      try {
        await this.pollAgent(agentId, calls, now);
      } catch (e) {
        this.logger.warn(`polling calls of agent ${agentId} failed, will retry: ${String(e)}`);
      }
    }
    this.reader.keepOnly(new Set([...tracked.map((t) => t.id), ...this.finalising]));
  }

  /**
   * In one statement: takes (or renews) the polling lease of every agent with calls to follow
   * that no other live instance holds, and answers those agents' tracked calls (read once).
   */
  private async trackedCallsOfLeasedAgents(now: Date): Promise<Tracked[]> {
    return queryRows<Tracked>(
      this.db,
      `WITH tracked AS MATERIALIZED (
         SELECT id, agent_id, campaign_id, call_id, state, requested_at, started_at, answers_due_until
           FROM call_attempts WHERE state = 'live' OR answers_due_until IS NOT NULL),
       leased AS (
         INSERT INTO poll_leases (agent_id, owner, expires_at)
         SELECT agent_id, $1, $2 FROM (SELECT DISTINCT agent_id FROM tracked) agents
         ON CONFLICT (agent_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
          WHERE poll_leases.owner = EXCLUDED.owner OR poll_leases.expires_at < $3
         RETURNING agent_id)
       SELECT t.* FROM tracked t JOIN leased ON leased.agent_id = t.agent_id`,
      [this.settings.instanceId, new Date(now.getTime() + this.settings.pollLeaseMs), now],
    );
  }

  private async pollAgent(agentId: string, tracked: Tracked[], now: Date): Promise<void> {
    // The campaigns are read while the platform answers: finalising waits for neither.
    const [seen, campaigns] = await Promise.all([
      this.reader.read(agentId, tracked, now),
      this.campaignsOf(tracked),
    ]);

    for (const t of tracked) {
      const call = seen.get(t.call_id);
      const job = this.decide(t, call, now);
      const campaign = campaigns.get(t.campaign_id);
      if (job && campaign) this.finalise(t.id, () => job(campaign));
    }
  }

  /** Runs one finalisation beside the polling (at most finaliseConcurrency at once). */
  private finalise(attemptId: string, job: () => Promise<Finalised | undefined>): void {
    this.finalising.add(attemptId);
    const run = this.finaliseLimit
      .run(job)
      .then((f) => {
        if (!f) return;
        // (Its slot was freed, and the dialler woken, as soon as the attempt ended.)
        this.finalsSinceLastPass++;
      })
      .catch((e: unknown) => {
        this.logger.warn(`recording a call's end failed, will retry: ${String(e)}`);
      })
      .finally(() => {
        this.finalising.delete(attemptId);
        this.finaliseJobs.delete(run);
      });
    this.finaliseJobs.add(run);
  }

  /** What to do with one tracked call this tick, if anything. */
  private decide(
    t: Tracked,
    call: PlatformCallView | undefined,
    now: Date,
  ): ((campaign: Campaign) => Promise<Finalised | undefined>) | undefined {
    if (t.state === 'ended') {
      const overdue = t.answers_due_until && now.getTime() > t.answers_due_until.getTime();
      if (answersReady(call) || overdue) {
        return (c) => this.finalizer.completeAnswers(t.id, c, call ?? null, now);
      }
      return undefined;
    }
    const reading = call?.reading;
    if (call && reading?.kind === 'terminal') {
      return (c) =>
        this.finalizer.finishCall(t.id, c, call, reading.outcome, now, {
          onSlotFreed: () => this.dialer.wake(),
        });
    }
    if (call && reading?.kind === 'unrecognised' && !this.loggedStatuses.has(call.status)) {
      this.loggedStatuses.add(call.status);
      this.logger.warn(
        `platform status "${call.status}" is not known: such calls keep being polled until they are ${this.settings.maxCallAgeMs / 60_000} min old`,
      );
    }
    const age = now.getTime() - (t.started_at ?? t.requested_at).getTime();
    if (age <= this.settings.maxCallAgeMs) return undefined;
    return async (c) => {
      // Slots are freed only for calls known to be over: end it on the platform first.
      await this.terminator.terminateUntracked(t.call_id);
      const note = `no final status after ${Math.round(this.settings.maxCallAgeMs / 60_000)} min (last status: ${call?.status ?? 'not seen'}): ended as unknown`;
      return this.finalizer.finishCall(t.id, c, call ?? null, 'unknown', now, {
        note,
        onSlotFreed: () => this.dialer.wake(),
      });
    };
  }

  /** The campaigns of the calls being finalised: policy, questions and rules, read once per tick. */
  private async campaignsOf(tracked: Tracked[]): Promise<Map<string, Campaign>> {
    const ids = [...new Set(tracked.map((t) => t.campaign_id))];
    const rows = await this.db.getRepository(Campaign).findBy({ id: In(ids) });
    return new Map(rows.map((c) => [c.id, c]));
  }
}
