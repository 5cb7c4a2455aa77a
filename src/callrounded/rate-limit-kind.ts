import type { RateLimitKind } from '../engine/platform/voice-platform.port';
import type { CallRoundedError } from './callrounded.errors';

export type { RateLimitKind };

/** Words a concurrent-call limit is named with ("Concurrent call limit reached", "simultaneous calls"...). */
const CONCURRENCY_WORDS =
  /concurren|simultaneous|in parallel|parallel calls|(active|ongoing|live|open) calls|calls in progress/i;
/** Words a rate limit is named with ("Call rate limit reached", "per minute"...). */
const RATE_WORDS = /\brate\b|rate[- ]limit|per (second|minute|hour|day)|\/(s|min)\b|quota/i;

/**
 * Reads the platform's message and details (the documentation only says a 429 is a "rate or
 * concurrent-call limit"). Concurrency words win over rate words: "rate limit: too many
 * concurrent calls" is a concurrency limit.
 */
export function rateLimitKindOf(
  error: Pick<CallRoundedError, 'message' | 'details'>,
): RateLimitKind {
  const text = [error.message, ...error.details.map((d) => `${d.field} ${d.message}`)].join(' ');
  if (CONCURRENCY_WORDS.test(text)) return 'concurrency';
  if (RATE_WORDS.test(text)) return 'rate';
  return 'unknown';
}
