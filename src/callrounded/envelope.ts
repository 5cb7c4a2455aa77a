import { CallRoundedError, createCallRoundedError, kindForHttpStatus } from './callrounded.errors';
import type { PlatformEnvelope, PlatformErrorDetail } from './callrounded.types';
import { parseRetryAfter } from './retry-policy';
import { redact, type RawResponse } from './http-transport';

interface DecodeContext {
  method: string;
  path: string;
  secret: string;
}

/**
 * Turns a raw answer into the envelope (2xx) or a typed error (anything else). The HTTP status
 * decides success; the vendor's own examples show an error object even on 200 answers.
 */
export function decodeEnvelope(raw: RawResponse, ctx: DecodeContext): PlatformEnvelope {
  const parsed = parseJson(raw.bodyText);
  if (raw.status >= 200 && raw.status < 300) {
    if (!isObject(parsed) || !('data' in parsed)) {
      throw createCallRoundedError(
        'invalid_response',
        `CallRounded ${ctx.method} ${ctx.path} answered ${raw.status} without an envelope`,
        { httpStatus: raw.status, method: ctx.method, path: ctx.path },
      );
    }
    return parsed;
  }
  throw errorFromResponse(raw, parsed, ctx);
}

function errorFromResponse(
  raw: RawResponse,
  parsed: unknown,
  ctx: DecodeContext,
): CallRoundedError {
  const envelope = isObject(parsed) ? (parsed as PlatformEnvelope) : undefined;
  const errorBody = isObject(envelope?.error) ? envelope.error : undefined;
  const platformMessage =
    stringOr(errorBody?.message) ?? stringOr(envelope?.message) ?? `HTTP ${raw.status}`;
  const kind = kindForHttpStatus(raw.status);
  return createCallRoundedError(
    kind,
    redact(
      `CallRounded ${ctx.method} ${ctx.path} failed (${raw.status}): ${platformMessage}`,
      ctx.secret,
    ),
    {
      httpStatus: raw.status,
      details: readDetails(errorBody?.details, ctx.secret),
      retryAfterMs: kind === 'rate_limited' ? parseRetryAfter(raw.retryAfter) : undefined,
      method: ctx.method,
      path: ctx.path,
      platformMessage: redact(platformMessage, ctx.secret),
    },
  );
}

/** A detail's value as text: strings as they are, anything else as JSON. */
function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Tolerates FastAPI-style `{loc, msg}` entries as well as the documented `{field, message}`. */
function readDetails(details: unknown, secret: string): PlatformErrorDetail[] {
  if (!Array.isArray(details)) return [];
  return details.filter(isObject).map((d) => {
    const loc = Array.isArray(d.loc) ? d.loc.join('.') : undefined;
    return {
      field: redact(asText(d.field ?? loc), secret),
      message: redact(asText(d.message ?? d.msg), secret),
    };
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
