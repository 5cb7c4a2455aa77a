/**
 * The port through which the engine talks to a voice platform. The engine knows only what is
 * here; an adapter (today `src/callrounded/voice-platform/`) implements it and is bound to
 * VOICE_PLATFORM by the composition root (`app.module.ts`). Nothing here may import the engine
 * or an adapter: adapters import this file.
 */

/** How a call ended, as retry policies name it. */
export type CallOutcome = 'completed' | 'missed' | 'failed' | 'unknown';

/** What a platform status means; the adapter maps its own status words to it. */
export type StatusReading =
  { kind: 'terminal'; outcome: CallOutcome } | { kind: 'in_progress' } | { kind: 'unrecognised' };

/**
 * Which limit a 429 says was hit. `concurrency`: too many calls live at once (lowering how many
 * we keep live is the cure). `rate`: too many requests or starts per unit of time (waiting out
 * Retry-After is the cure). `unknown`: the platform did not say; only repetition can tell.
 */
export type RateLimitKind = 'concurrency' | 'rate' | 'unknown';

/** One call as the engine needs it. */
export interface PlatformCallView {
  id: string;
  /** The platform's own status word, stored as is (retry.by_status names it). */
  status: string;
  reading: StatusReading;
  /** ISO 8601 times on the platform's clock. */
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  cost: number | null;
  fromNumber: string | null;
  toNumber: string | null;
  /** Raw post-call answers, stored as sent and typed by qualification; null or [] when none yet. */
  answers: unknown[] | null | undefined;
  /** The call is over but this answer left its post-call answers out: ask for the call itself. */
  answersLeftOut: boolean;
}

export interface CallStartRequest {
  fromNumber: string;
  toNumber: string;
  agentId: string;
  variables: Record<string, unknown>;
}

export interface CallPage {
  calls: PlatformCallView[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface VoicePlatform {
  /**
   * Sent exactly once, never retried. A refusal throws one of the errors below; any other
   * failure means the call may exist (the engine then reconciles, never re-sends).
   */
  startCall(request: CallStartRequest): Promise<{ callId: string }>;
  /** Labels the call with our ids (best effort). */
  tagCall(callId: string, tags: Record<string, string>): Promise<void>;
  /** Idempotent: succeeds also when the call already ended. */
  terminateCall(callId: string): Promise<void>;
  getCall(callId: string): Promise<PlatformCallView>;
  /** One page of an agent's calls started after `startedAfter`, newest first. */
  listAgentCalls(
    query: { agentId: string; startedAfter: Date; limit: number },
    cursor?: string,
  ): Promise<CallPage>;
  /** Every call of an agent to a number started after `startedAfter` (reconciliation). */
  findCalls(query: {
    agentId: string;
    toNumber: string;
    startedAfter: Date;
    limit: number;
  }): AsyncIterable<PlatformCallView>;
}

export const VOICE_PLATFORM = Symbol('VOICE_PLATFORM');

/** A start the platform answered with a refusal: no call exists. Plain data only (no secrets). */
export class CallStartRefused extends Error {
  readonly httpStatus?: number;

  constructor(message: string, httpStatus?: number) {
    super(message);
    this.name = new.target.name;
    this.httpStatus = httpStatus;
  }
}

/** 429: a rate or concurrent-call limit. */
export class StartRateLimited extends CallStartRefused {
  constructor(
    message: string,
    readonly limitKind: RateLimitKind,
    readonly retryAfterMs?: number,
  ) {
    super(message, 429);
  }
}

/** The request never left this machine (connection refused, DNS failure...). */
export class PlatformUnreachable extends CallStartRefused {}

/** The platform refused our credentials: every start would fail the same way. */
export class PlatformAuthRefused extends CallStartRefused {}

/** A definite rejection of this start (a 4xx). */
export class StartRejected extends CallStartRefused {
  constructor(
    message: string,
    httpStatus: number | undefined,
    /** What the platform blamed, for people: "field: message; …", else its message. */
    readonly detail: string,
    /** Only the lead's own data was blamed (its number, its variables): no retry can help it. */
    readonly leadAtFault: boolean,
  ) {
    super(message, httpStatus);
  }
}

/** The start may have reached the platform (timeout, reset, 5xx): the call may exist. */
export class StartAmbiguous extends Error {
  constructor(
    message: string,
    /** A 5xx: counts as a platform failure for the circuit breaker (a timeout does not). */
    readonly serverError: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
