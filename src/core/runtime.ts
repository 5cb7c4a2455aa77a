import { AppConfig } from '../config/app-config';
import type { WebhookTuning, WorkerTuning } from './tunings';

export * from './tunings';

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
  /** CRM delivery tunables, likewise. */
  webhooks?: Partial<WebhookTuning>;
  /** Resolves webhook host names (every address); tests inject one so that no DNS leaves the machine. */
  dnsLookup?: DnsLookup;
}

export type DnsLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const RUNTIME = Symbol('RUNTIME');
export const CLOCK = Symbol('CLOCK');

/**
 * The runtime of a process whose database and platform its configuration names (DATABASE_URL,
 * CALLROUNDED_API_URL and _KEY): no embedded server, no simulator to start. Test and benchmark
 * processes build theirs with it; `prepareRuntime` builds the service's own.
 */
export function liveRuntime(
  config: AppConfig,
  extra: Partial<Pick<Runtime, 'clock' | 'worker' | 'webhooks' | 'dnsLookup'>> = {},
): Runtime {
  if (!config.DATABASE_URL || !config.CALLROUNDED_API_KEY)
    throw new Error('liveRuntime needs DATABASE_URL and CALLROUNDED_API_KEY');
  return {
    config,
    databaseUrl: config.DATABASE_URL,
    platform: {
      mode: 'live',
      baseUrl: config.CALLROUNDED_API_URL,
      apiKey: config.CALLROUNDED_API_KEY,
      timeoutMs: config.CALLROUNDED_TIMEOUT_MS,
    },
    clock: systemClock,
    ...extra,
  };
}
