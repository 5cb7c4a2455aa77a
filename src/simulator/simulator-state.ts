import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallStore } from './call-store';
import { isPlainObject, SimHttpError } from './http-io';
import { seedStreams, type Prng } from './prng';
import type { SimScenario } from './scenario.types';
import type { ForcedFailure, SimDurations, SimFaults, SimulatorSettings } from './simulator.types';

export const DEFAULT_DURATIONS: SimDurations = {
  ringMs: 300,
  talkMinMs: 1000,
  talkMaxMs: 3000,
  missedAfterMs: 1500,
  failedAfterMs: 500,
  unknownAfterMs: 1500,
  answersDelayMs: 0,
};

export const DEFAULT_FAULTS: SimFaults = {
  errorRate: 0,
  postErrorCreatesCallRate: 0.5,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  latencyMs: 0,
  postNoAnswerRate: 0,
  postNoAnswerMode: 'hang',
  listLagMs: 0,
};

/** Everything the route handlers share. */
export class SimulatorState {
  readonly store = new CallStore();
  readonly rng: { outcomes: Prng; ids: Prng; faults: Prng };
  private readonly counts = new Map<string, number>();

  constructor(
    readonly scenario: SimScenario,
    readonly settings: SimulatorSettings,
  ) {
    this.rng = seedStreams(settings.seed);
  }

  /** The platform's clock: local clock plus the configured skew. */
  now(): number {
    return this.settings.now() + this.settings.clockSkewMs;
  }

  countRequest(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  requestCount(label?: string): number {
    if (label !== undefined) return this.counts.get(label) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  resetStats(): void {
    this.counts.clear();
    this.store.resetStats(this.now());
  }

  /** Decides whether this request gets an injected failure instead of its normal answer. */
  pickFailure(label: string, isStartCall: boolean): ForcedFailure | undefined {
    const faults = this.settings.faults;
    const forced = faults.failNext;
    if (forced && forced.count > 0 && (forced.route === undefined || forced.route === label)) {
      forced.count--;
      return { ...forced, count: 1 };
    }
    if (this.rng.faults.chance(faults.rateLimitRate)) {
      return { status: 429, count: 1, retryAfterSeconds: faults.retryAfterSeconds };
    }
    if (this.rng.faults.chance(faults.errorRate)) {
      const createsCall = isStartCall && this.rng.faults.chance(faults.postErrorCreatesCallRate);
      return { status: 500, count: 1, createsCall };
    }
    return undefined;
  }
}

export function failureToError(failure: ForcedFailure): SimHttpError {
  const headers: Record<string, string> = {};
  if (failure.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  }
  const message =
    failure.message ??
    (failure.status === 429
      ? 'Too many requests'
      : failure.status >= 500
        ? 'Internal server error'
        : 'Request failed');
  return new SimHttpError(failure.status, message, [], headers);
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  state: SimulatorState;
  /** A failure to answer after the call was created (the ambiguous POST case). */
  failureAfterCreate?: ForcedFailure;
  /** Responses left hanging on purpose, ended when the simulator closes. */
  hanging: Set<ServerResponse>;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isPlainObject(body)) {
    throw new SimHttpError(400, 'Invalid request body', [
      { field: 'body', message: 'A JSON object is required' },
    ]);
  }
  return body;
}
