import type { Dispatcher } from 'undici';
import { createCallRoundedError } from './callrounded.errors';

/** The slice of `fetch` the client uses: undici's fetch, Node's global fetch or a test double. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
    redirect: 'manual';
    dispatcher?: Dispatcher;
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface RawRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** Path without query, used in messages (query strings carry phone numbers). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Removed from any text that leaves the transport. */
  secret: string;
}

export interface RawResponse {
  status: number;
  retryAfter: string | null;
  bodyText: string;
}

/**
 * Codes that mean the request never left this machine (no connection was made). Anything else
 * (reset, socket closed, timeout) may have happened after the platform received the request.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

export function neverReachedPlatform(causeCode: string | undefined): boolean {
  return causeCode !== undefined && NEVER_SENT_CODES.has(causeCode);
}

/** One HTTP exchange, bounded by `timeoutMs` from the first byte sent to the last byte read. */
export async function sendRawRequest(fetchImpl: FetchLike, req: RawRequest): Promise<RawResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  try {
    const res = await fetchImpl(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      // A followed redirect would carry X-Api-Key to wherever it points.
      redirect: 'manual',
      dispatcher: req.dispatcher,
    });
    const bodyText = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), bodyText };
  } catch (err) {
    if (timedOut) {
      throw createCallRoundedError(
        'timeout',
        `CallRounded ${req.method} ${req.path} timed out after ${req.timeoutMs} ms`,
        { method: req.method, path: req.path, causeCode: 'TIMEOUT' },
      );
    }
    const causeCode = findErrorCode(err);
    const detail = redact(describeError(err), req.secret);
    throw createCallRoundedError(
      'network',
      `CallRounded ${req.method} ${req.path} failed: ${detail}${causeCode ? ` (${causeCode})` : ''}`,
      { method: req.method, path: req.path, causeCode },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** fetch wraps the socket error: `TypeError('fetch failed', { cause })`, sometimes an AggregateError. */
function findErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    const e = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      const inner = findErrorCode(e.errors[0]);
      if (inner) return inner;
    }
    current = e.cause;
  }
  return undefined;
}

function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '' && !parts.includes(message)) {
      parts.push(message);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || 'unknown error';
}

export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
