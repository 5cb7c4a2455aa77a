import type { SimScenario } from './scenario.types';

/** Wall-clock milliseconds of each phase, before `timeScale` is applied. */
export interface SimDurations {
  /** created → ongoing, for calls that connect. */
  ringMs: number;
  talkMinMs: number;
  talkMaxMs: number;
  /** created → missed. */
  missedAfterMs: number;
  /** created → failed. */
  failedAfterMs: number;
  /** created → the unknown status. */
  unknownAfterMs: number;
  /** completed → post_call_answers filled in (post-call processing). */
  answersDelayMs: number;
}

export interface ForcedFailure {
  /** HTTP status to answer, e.g. 429 or 503. */
  status: number;
  /** How many matching requests get it. */
  count: number;
  /** Route label such as `GET /calls/:id`; every route when absent. */
  route?: string;
  /** Sent as a Retry-After header (seconds) when set. */
  retryAfterSeconds?: number;
  /** POST /calls/phone only: create the call before failing (the ambiguous case). */
  createsCall?: boolean;
  /** The error message answered instead of the default one (e.g. how a 429 names its limit). */
  message?: string;
}

export interface SimFaults {
  /** 0..1: any route answers a 500 envelope. */
  errorRate: number;
  /** 0..1: a 500 on POST /calls/phone still created the call. */
  postErrorCreatesCallRate: number;
  /** 0..1: any route answers 429 with Retry-After `retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Added before every answer. */
  latencyMs: number;
  /** 0..1: POST /calls/phone creates the call but the answer never arrives. */
  postNoAnswerRate: number;
  /** `hang`: hold the socket until the client gives up; `destroy`: reset the connection. */
  postNoAnswerMode: 'hang' | 'destroy';
  /** A new call shows in GET /calls only after this lag (GET /calls/{id} sees it at once). */
  listLagMs: number;
  /** The message of the 429s the concurrency and rate limits answer; unset: each names its limit. */
  limitMessage?: string;
  /** Deterministic failures consumed in order; replaced by each setFaults call that sets it. */
  failNext?: ForcedFailure;
}

export interface SimulatorOptions {
  /** 0 = a free port. */
  port?: number;
  host?: string;
  apiKey?: string;
  seed?: number | string;
  /** A scenario object or the path of a JSON scenario file. */
  scenario?: SimScenario | string;
  durations?: Partial<SimDurations>;
  /** Platform cap on live calls (created or ongoing); a POST above it answers 429. */
  concurrencyLimit?: number;
  /** Platform cap on calls started in any 60 s window; a POST above it answers 429. */
  startsPerMinuteLimit?: number;
  faults?: Partial<SimFaults>;
  /** Multiplies every duration: 0.1 runs calls ten times faster. Default 1. */
  timeScale?: number;
  /** Platform clock minus local clock, in ms: the platform's timestamps are shifted by it. */
  clockSkewMs?: number;
  /** Which post-call-questions routes exist. Default `both`. */
  questionRoutes?: 'both' | 'per_agent' | 'unscoped';
  /** Injectable clock (ms since epoch), for tests that move time by hand. Must not go backwards. */
  now?: () => number;
}

export type SimulatorSettings = Omit<
  Required<SimulatorOptions>,
  | 'scenario'
  | 'durations'
  | 'faults'
  | 'port'
  | 'host'
  | 'concurrencyLimit'
  | 'startsPerMinuteLimit'
> & {
  durations: SimDurations;
  faults: SimFaults;
  concurrencyLimit?: number;
  startsPerMinuteLimit?: number;
};

/** What the simulator knows about one call it created (its own view, for assertions). */
export interface SimCall {
  id: string;
  agent_id: string;
  from_number: string;
  to_number: string;
  /** The status GET /calls/{id} answers now. */
  status: string;
  start_time: string;
  end_time: string | null;
  metadata: Record<string, unknown>;
  dynamic_variables_values: Record<string, unknown> | null;
  terminated: boolean;
}

export interface SimulatorHandle {
  /** Base URL including `/v1`. */
  url: string;
  apiKey: string;
  port: number;
  scenario: SimScenario;
  close(): Promise<void>;
  setFaults(faults: Partial<SimFaults>): void;
  setOptions(
    options: Partial<
      Pick<
        SimulatorOptions,
        'concurrencyLimit' | 'startsPerMinuteLimit' | 'timeScale' | 'clockSkewMs' | 'questionRoutes'
      >
    > & { durations?: Partial<SimDurations> },
  ): void;
  calls(): SimCall[];
  /** Calls live now (created or ongoing). */
  liveCount(): number;
  /** Highest number of simultaneously live calls since start or the last resetStats(). */
  maxLiveObserved(): number;
  /** Most calls live at once to a single to_number (2 or more: a person rung twice at once). */
  maxLivePerNumberObserved(): number;
  /** Calls started per UTC minute (`2026-11-21T23:15`), since start or the last resetStats(). */
  startsPerMinute(): Record<string, number>;
  /** Most calls started in any sliding window of `windowMs` (default 60 000). */
  maxStartsInWindow(windowMs?: number): number;
  /** Requests received for a route label such as `POST /calls/phone`; all routes when absent. */
  requestCount(route?: string): number;
  requestCounts(): Record<string, number>;
  resetStats(): void;
  /** Forgets every call (for tests sharing one simulator). */
  clearCalls(): void;
}
