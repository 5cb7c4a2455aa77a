import type { PlatformErrorDetail, StartPhoneCallRequest } from './callrounded.types';

export type CallRoundedErrorKind =
  | 'auth'
  | 'not_found'
  | 'validation'
  | 'rate_limited'
  | 'client'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid_response'
  | 'ambiguous';

export interface CallRoundedErrorInit {
  httpStatus?: number;
  details?: PlatformErrorDetail[];
  retryAfterMs?: number;
  method?: string;
  path?: string;
  /** Low-level code such as ECONNRESET or UND_ERR_SOCKET; never the raw error (it may hold headers). */
  causeCode?: string;
  /** The platform's own words (its envelope's message), to repeat to the user; secrets redacted. */
  platformMessage?: string;
}

/**
 * Every failure the client reports. It holds plain data only (no request, headers or raw
 * cause), so serialising or logging it can never reveal the API key.
 */
export class CallRoundedError extends Error {
  readonly kind: CallRoundedErrorKind;
  readonly httpStatus?: number;
  readonly details: PlatformErrorDetail[];
  readonly retryAfterMs?: number;
  readonly method?: string;
  readonly path?: string;
  readonly causeCode?: string;
  readonly platformMessage?: string;

  constructor(kind: CallRoundedErrorKind, message: string, init: CallRoundedErrorInit = {}) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.httpStatus = init.httpStatus;
    this.details = init.details ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.path = init.path;
    this.causeCode = init.causeCode;
    this.platformMessage = init.platformMessage;
  }

  /** 429, 5xx, network trouble and timeouts may succeed on a later try; the rest will not. */
  get retryable(): boolean {
    return ['rate_limited', 'server', 'network', 'timeout'].includes(this.kind);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      httpStatus: this.httpStatus,
      details: this.details,
      retryAfterMs: this.retryAfterMs,
      method: this.method,
      path: this.path,
      causeCode: this.causeCode,
    };
  }
}

/** 401 (or 403): the key is missing, wrong or not allowed. */
export class CallRoundedAuthError extends CallRoundedError {}
/** 404: unknown id or route. */
export class CallRoundedNotFoundError extends CallRoundedError {}
/** 400/422: the request was refused; `details` name the fields. */
export class CallRoundedValidationError extends CallRoundedError {}
/** 429: rate or concurrent-call limit; `retryAfterMs` when the platform said how long. */
export class CallRoundedRateLimitError extends CallRoundedError {}
/** Any other 4xx (405, 409, ...). */
export class CallRoundedClientError extends CallRoundedError {}
/** 5xx. */
export class CallRoundedServerError extends CallRoundedError {}
/** Connection refused, reset, DNS failure... */
export class CallRoundedNetworkError extends CallRoundedError {}
/** No complete answer within `timeoutMs`. */
export class CallRoundedTimeoutError extends CallRoundedError {}
/** A 2xx whose body is not the expected envelope. */
export class CallRoundedInvalidResponseError extends CallRoundedError {}

export type AmbiguityReason = 'timeout' | 'network' | 'server' | 'invalid_response';

/**
 * POST /calls/phone may have reached the platform and created a call whose id we never got.
 * Never retry: reconcile through GET /calls (to_number + agent_id + a start-time window around
 * `sentAt`, widened for clock skew) before treating the attempt as "not dialled".
 */
export class AmbiguousCallStartError extends CallRoundedError {
  readonly reason: AmbiguityReason;
  /** Local clock just before the request was sent. */
  readonly sentAt: Date;
  readonly request: Pick<StartPhoneCallRequest, 'from_number' | 'to_number' | 'agent_id'>;

  constructor(
    cause: CallRoundedError,
    reason: AmbiguityReason,
    sentAt: Date,
    request: StartPhoneCallRequest,
  ) {
    super('ambiguous', `Call start outcome unknown (${reason}): ${cause.message}`, {
      httpStatus: cause.httpStatus,
      details: cause.details,
      method: cause.method,
      path: cause.path,
      causeCode: cause.causeCode,
    });
    this.reason = reason;
    this.sentAt = sentAt;
    this.request = {
      from_number: request.from_number,
      to_number: request.to_number,
      agent_id: request.agent_id,
    };
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      reason: this.reason,
      sentAt: this.sentAt.toISOString(),
      request: this.request,
    };
  }
}

const byKind: Record<
  Exclude<CallRoundedErrorKind, 'ambiguous'>,
  new (kind: CallRoundedErrorKind, message: string, init?: CallRoundedErrorInit) => CallRoundedError
> = {
  auth: CallRoundedAuthError,
  not_found: CallRoundedNotFoundError,
  validation: CallRoundedValidationError,
  rate_limited: CallRoundedRateLimitError,
  client: CallRoundedClientError,
  server: CallRoundedServerError,
  network: CallRoundedNetworkError,
  timeout: CallRoundedTimeoutError,
  invalid_response: CallRoundedInvalidResponseError,
};

export function createCallRoundedError(
  kind: Exclude<CallRoundedErrorKind, 'ambiguous'>,
  message: string,
  init: CallRoundedErrorInit = {},
): CallRoundedError {
  return new byKind[kind](kind, message, init);
}

export function kindForHttpStatus(status: number): Exclude<CallRoundedErrorKind, 'ambiguous'> {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'client';
}
