import {
  PlatformAuthRefused,
  PlatformUnreachable,
  StartAmbiguous,
  StartRateLimited,
  StartRejected,
} from '../../engine/platform/voice-platform.port';
import {
  AmbiguousCallStartError,
  CallRoundedAuthError,
  CallRoundedError,
  CallRoundedNetworkError,
  CallRoundedRateLimitError,
  CallRoundedValidationError,
} from '../callrounded.errors';
import { rateLimitKindOf } from '../rate-limit-kind';

/** Fields of POST /calls/phone that hold the lead's own data. */
const LEAD_FIELDS = new Set(['to_number', 'dynamic_variables_values']);

/**
 * A failed POST /calls/phone in the port's terms. Errors the client did not type are passed
 * through untouched: the engine treats them as ambiguous (the call may exist).
 */
export function toStartError(e: unknown): unknown {
  if (!(e instanceof CallRoundedError)) return e;
  if (e instanceof CallRoundedRateLimitError) {
    return new StartRateLimited(e.message, rateLimitKindOf(e), e.retryAfterMs);
  }
  if (e instanceof CallRoundedNetworkError) return new PlatformUnreachable(e.message, e.httpStatus);
  if (e instanceof CallRoundedAuthError) return new PlatformAuthRefused(e.message, e.httpStatus);
  if (e instanceof AmbiguousCallStartError) {
    return new StartAmbiguous(e.message, (e.httpStatus ?? 0) >= 500);
  }
  const fields = e.details.map((d) => d.field);
  const detail = e.details.map((d) => `${d.field}: ${d.message}`).join('; ') || e.message;
  const leadAtFault =
    e instanceof CallRoundedValidationError &&
    fields.length > 0 &&
    fields.every((f) => LEAD_FIELDS.has(f));
  return new StartRejected(e.message, e.httpStatus, detail, leadAtFault);
}
