import type { WorkerTuning } from '../core/runtime';
import { newInstanceId } from '../common/instance-id';

/** Everything the dialling engine's loops need to know, derived once from the worker tuning. */
export interface EngineSettings extends WorkerTuning {
  /** hostname-pid-random: the lease owner written on the rows this process holds. */
  instanceId: string;
  /**
   * Starts are counted over this much time when checking max_calls_per_minute: a margin over
   * 60 s so that the platform's start times (a little later than ours) cannot fit one start
   * too many into a 60 s window.
   */
  rateWindowMs: number;
  /** How often this process renews the leases of the attempts it is about to POST. */
  leaseRenewMs: number;
  /**
   * Polling requests (GET /calls pages, GET /calls/{id}) the poller may spend per finished call
   * when it polls sooner than pollIntervalMs (see PollCadence). Starts cost 2 (POST + PATCH).
   */
  pollRequestsPerFinishedCall: number;
  /** How often terminations, the reaper and reconciliation run (at most once per poll tick). */
  housekeepingIntervalMs: number;
  /** How long one instance keeps polling an agent's calls before another may take over. */
  pollLeaseMs: number;
  /** A live call missing from the list for this long is fetched by id (GET /calls/{id}). */
  stragglerAfterMs: number;
  /** At most this many GET /calls/{id} per agent and tick. */
  stragglersPerTick: number;
  /** The list window never reaches further back; older live calls are fetched by id. */
  maxListWindowMs: number;
  /** A completed call without post-call answers is looked at again until this much later. */
  answersWaitMs: number;
  /** Leads claimed per transaction, and the most a campaign may have claimed but not yet POSTed. */
  claimBatch: number;
  maxQueuedPerCampaign: number;
  /** A campaign with nothing to dial is looked at again after this (or sooner, when woken). */
  idleBackoffMs: number;
  /** Platform requests in flight from this process: so many starts, and so many other requests. */
  httpConcurrency: number;
  /** Finalisations run in parallel per tick. */
  finaliseConcurrency: number;
}

export const ENGINE_SETTINGS = Symbol('ENGINE_SETTINGS');

export function engineSettings(tuning: WorkerTuning): EngineSettings {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    ...tuning,
    instanceId: newInstanceId(),
    rateWindowMs: 62_000,
    leaseRenewMs: Math.max(50, Math.floor(tuning.leaseMs / 3)),
    pollRequestsPerFinishedCall: 0.4,
    housekeepingIntervalMs: Math.max(tuning.pollIntervalMs, 500),
    pollLeaseMs: Math.max(3 * tuning.pollIntervalMs, 2_000),
    stragglerAfterMs: Math.max(3 * tuning.pollIntervalMs, 2_000),
    stragglersPerTick: 100,
    maxListWindowMs: 15 * 60_000,
    answersWaitMs: clamp(30 * tuning.pollIntervalMs, 2_000, 120_000),
    claimBatch: 50,
    maxQueuedPerCampaign: 100,
    idleBackoffMs: Math.min(5_000, 10 * tuning.dialIntervalMs),
    httpConcurrency: 32,
    finaliseConcurrency: 8,
  };
}
