import { AppConfig } from '../config/app-config';

/** Reads the time. Injected so that windows, schedules and leases can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type PlatformMode = 'live' | 'simulation';

export interface PlatformSettings {
  mode: PlatformMode;
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

/**
 * What the process resolved before Nest starts: validated configuration, the database it reached
 * (maybe embedded), the platform it talks to (maybe the in-process simulator) and the clock.
 */
export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  platform: PlatformSettings;
  clock: Clock;
  /** Worker tunables that tests shorten; production keeps the defaults. */
  worker?: Partial<WorkerTuning>;
  /** Resolves webhook host names (every address); tests inject one so that no DNS leaves the machine. */
  dnsLookup?: DnsLookup;
}

export type DnsLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface WorkerTuning {
  /** How often the dialer looks for leads to call. */
  dialIntervalMs: number;
  /** How often live calls are polled. */
  pollIntervalMs: number;
  /** How long a slot lease lasts without renewal before another instance may reclaim it. */
  leaseMs: number;
  /** How long an ambiguous start is searched for on the platform before it counts as never dialled. */
  reconcileGraceMs: number;
  /** Clock skew allowed between us and the platform when matching calls by start time. */
  clockSkewMs: number;
  /** A call whose status stays unknown or in progress past this age ends the attempt `unknown`. */
  maxCallAgeMs: number;
  /** How often schedules are checked for due runs. */
  scheduleIntervalMs: number;
}

export const defaultWorkerTuning: WorkerTuning = {
  dialIntervalMs: 250,
  pollIntervalMs: 1000,
  leaseMs: 60_000,
  reconcileGraceMs: 30_000,
  clockSkewMs: 120_000,
  maxCallAgeMs: 2 * 60 * 60_000,
  scheduleIntervalMs: 15_000,
};

export const RUNTIME = Symbol('RUNTIME');
export const CLOCK = Symbol('CLOCK');
export const WORKER_TUNING = Symbol('WORKER_TUNING');
