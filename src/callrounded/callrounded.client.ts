import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import {
  AmbiguousCallStartError,
  CallRoundedError,
  createCallRoundedError,
  type AmbiguityReason,
} from './callrounded.errors';
import type {
  ListCallsFilters,
  PageRequest,
  PageResult,
  PaginationMode,
  PlatformAgent,
  PlatformCall,
  PlatformEnvelope,
  PlatformPhoneNumber,
  PlatformQuestion,
  StartPhoneCallRequest,
  StartPhoneCallResult,
} from './callrounded.types';
import { decodeEnvelope } from './envelope';
import { neverReachedPlatform, sendRawRequest, type FetchLike } from './http-transport';
import { pageQuery, paginate, readPage } from './pagination';
import { computeRetryDelay } from '../common/backoff';

export interface CallRoundedLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export interface CallRoundedClientOptions {
  /** Including the version prefix, e.g. https://api.callrounded.com/v1 */
  baseUrl: string;
  apiKey: string;
  /** Whole exchange, connect to last byte. Default 10 000. */
  timeoutMs?: number;
  /** Retries (not attempts) of idempotent requests. Default 4. */
  getRetries?: number;
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited out in-line: the 429 is thrown. Default 60 000. */
  maxRetryAfterMs?: number;
  logger?: CallRoundedLogger;
  fetchImpl?: FetchLike;
  /** Jitter source, injectable for tests. */
  random?: () => number;
}

type QueryValue = string | number | boolean | Date | undefined | null;

interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/**
 * The only code that speaks to CallRounded. Idempotent requests (GET, PATCH metadata,
 * terminate) are retried on 429/5xx/network trouble; POST /calls/phone never is, because the
 * platform has no idempotency key and a retry could dial the same person twice.
 */
export class CallRoundedClient {
  private readonly baseUrl: string;
  /** An ES private field: invisible to util.inspect, JSON.stringify and loggers. */
  readonly #apiKey: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoff: { backoffBaseMs: number; maxBackoffMs: number };
  private readonly maxRetryAfterMs: number;
  private readonly logger?: CallRoundedLogger;
  private readonly fetchImpl?: FetchLike;
  private readonly random: () => number;
  private dispatcher?: Agent;

  constructor(options: CallRoundedClientOptions) {
    if (!options.baseUrl) throw new Error('CallRoundedClient: baseUrl is required');
    if (!options.apiKey) throw new Error('CallRoundedClient: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = Math.max(0, options.getRetries ?? 4);
    this.backoff = {
      backoffBaseMs: options.backoffBaseMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
    };
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.logger = options.logger;
    this.fetchImpl = options.fetchImpl;
    this.random = options.random ?? Math.random;
  }

  /**
   * Never retried. A clean refusal (4xx, 429, connection refused) throws a typed error: no call
   * exists. Anything that may have reached the platform throws AmbiguousCallStartError.
   */
  async startPhoneCall(request: StartPhoneCallRequest): Promise<StartPhoneCallResult> {
    const body: Record<string, unknown> = {
      from_number: request.from_number,
      to_number: request.to_number,
      agent_id: request.agent_id,
    };
    if (request.dynamic_variables_values !== undefined) {
      body.dynamic_variables_values = request.dynamic_variables_values;
    }
    const sentAt = new Date();
    try {
      const envelope = await this.sendOnce({ method: 'POST', path: '/calls/phone', body });
      const data = envelope.data as { call_id?: unknown } | null | undefined;
      if (typeof data?.call_id !== 'string' || data.call_id === '') {
        throw createCallRoundedError(
          'invalid_response',
          'CallRounded POST /calls/phone answered success without a call_id',
          { method: 'POST', path: '/calls/phone' },
        );
      }
      return { call_id: data.call_id };
    } catch (err) {
      const reason = err instanceof CallRoundedError ? ambiguityOf(err) : undefined;
      if (reason) {
        throw new AmbiguousCallStartError(err as CallRoundedError, reason, sentAt, request);
      }
      throw err;
    }
  }

  async getCall(callId: string): Promise<PlatformCall> {
    const envelope = await this.sendWithRetry({ method: 'GET', path: `/calls/${seg(callId)}` });
    return normalizeCall(this.objectData(envelope, 'GET /calls/{id}'));
  }

  async listCalls(
    filters: ListCallsFilters = {},
    page: PageRequest = { mode: 'cursor' },
  ): Promise<PageResult<PlatformCall>> {
    const envelope = await this.sendWithRetry({
      method: 'GET',
      path: '/calls',
      query: { ...filters, ...pageQuery(page) },
    });
    const data = this.arrayData(envelope, 'GET /calls').map((c) => normalizeCall(c));
    return readPage(envelope as Record<string, unknown>, data, page.mode);
  }

  iterateCalls(
    filters: ListCallsFilters = {},
    mode: PaginationMode = 'cursor',
  ): AsyncGenerator<PlatformCall> {
    return paginate((page) => this.listCalls(filters, page), mode);
  }

  /** `override: true` replaces the metadata; otherwise the platform merges it. */
  async updateCallMetadata(
    callId: string,
    metadata: Record<string, unknown>,
    override = false,
  ): Promise<PlatformCall> {
    const envelope = await this.sendWithRetry({
      method: 'PATCH',
      path: `/calls/${seg(callId)}`,
      body: { metadata, override },
    });
    return normalizeCall(this.objectData(envelope, 'PATCH /calls/{id}'));
  }

  /** Succeeds also when the call already ended, so retrying it is safe. */
  async terminateCall(callId: string): Promise<void> {
    await this.sendWithRetry({ method: 'POST', path: `/calls/${seg(callId)}/terminate` });
  }

  async getAgent(agentId: string): Promise<PlatformAgent> {
    const envelope = await this.sendWithRetry({ method: 'GET', path: `/agents/${seg(agentId)}` });
    const agent = this.objectData(envelope, 'GET /agents/{id}') as unknown as PlatformAgent;
    return { ...agent, variables: Array.isArray(agent.variables) ? agent.variables : [] };
  }

  /**
   * The per-agent path is the documented one; some accounts only expose the unscoped
   * `/post-call-questions`, which we filter ourselves in case it ignores `agent_id`.
   */
  async listPostCallQuestions(agentId: string): Promise<PlatformQuestion[]> {
    try {
      const envelope = await this.sendWithRetry({
        method: 'GET',
        path: `/agents/${seg(agentId)}/post-call-questions`,
      });
      return this.arrayData<PlatformQuestion>(envelope, 'GET /agents/{id}/post-call-questions');
    } catch (err) {
      const status = err instanceof CallRoundedError ? err.httpStatus : undefined;
      if (status !== 404 && status !== 405) throw err;
    }
    const envelope = await this.sendWithRetry({
      method: 'GET',
      path: '/post-call-questions',
      query: { agent_id: agentId },
    });
    const questions = this.arrayData<PlatformQuestion>(envelope, 'GET /post-call-questions');
    return questions.filter((q) => q.agent_id === undefined || q.agent_id === agentId);
  }

  async listPhoneNumbers(
    page: PageRequest = { mode: 'cursor' },
    limit?: number,
  ): Promise<PageResult<PlatformPhoneNumber>> {
    const envelope = await this.sendWithRetry({
      method: 'GET',
      path: '/phone-numbers',
      query: { limit, ...pageQuery(page) },
    });
    const data = this.arrayData<PlatformPhoneNumber>(envelope, 'GET /phone-numbers');
    return readPage(envelope as Record<string, unknown>, data, page.mode);
  }

  iteratePhoneNumbers(mode: PaginationMode = 'cursor'): AsyncGenerator<PlatformPhoneNumber> {
    return paginate((page) => this.listPhoneNumbers(page), mode);
  }

  /** Frees pooled sockets. The client stays usable: a later request opens a new pool. */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    await dispatcher?.close();
  }

  /** Nest calls this on app.close() when the client is registered as a provider. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async sendWithRetry(spec: RequestSpec): Promise<PlatformEnvelope> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.sendOnce(spec);
      } catch (err) {
        if (!(err instanceof CallRoundedError) || !err.retryable || retry >= this.retries)
          throw err;
        if (err.retryAfterMs !== undefined && err.retryAfterMs > this.maxRetryAfterMs) throw err;
        const delayMs = computeRetryDelay(retry, this.backoff, err.retryAfterMs, this.random);
        this.logger?.warn('CallRounded request failed, retrying', {
          method: spec.method,
          path: err.path,
          kind: err.kind,
          httpStatus: err.httpStatus,
          retry: retry + 1,
          of: this.retries,
          delayMs,
        });
        await sleep(delayMs);
      }
    }
  }

  private async sendOnce(spec: RequestSpec): Promise<PlatformEnvelope> {
    const headers: Record<string, string> = {
      'X-Api-Key': this.#apiKey,
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const raw = await sendRawRequest(this.fetchImpl ?? undiciFetch, {
      method: spec.method,
      url: this.baseUrl + spec.path + buildQuery(spec.query),
      path: spec.path,
      headers,
      body,
      timeoutMs: this.timeoutMs,
      dispatcher: this.fetchImpl ? undefined : this.getDispatcher(),
      secret: this.#apiKey,
    });
    return decodeEnvelope(raw, { method: spec.method, path: spec.path, secret: this.#apiKey });
  }

  private getDispatcher(): Dispatcher {
    this.dispatcher ??= new Agent({
      keepAliveTimeout: 4_000,
      // Shorter than the whole timeout so an unreachable host reads as "never sent".
      connect: { timeout: Math.max(1, Math.min(10_000, Math.floor(this.timeoutMs * 0.8))) },
    });
    return this.dispatcher;
  }

  private objectData(envelope: PlatformEnvelope, route: string): Record<string, unknown> {
    const data = envelope.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw createCallRoundedError(
        'invalid_response',
        `CallRounded ${route}: data is not an object`,
      );
    }
    return data as Record<string, unknown>;
  }

  private arrayData<T = Record<string, unknown>>(envelope: PlatformEnvelope, route: string): T[] {
    if (!Array.isArray(envelope.data)) {
      throw createCallRoundedError('invalid_response', `CallRounded ${route}: data is not a list`);
    }
    return envelope.data as T[];
  }
}

/** Which failures of POST /calls/phone may have left a call behind. */
function ambiguityOf(err: CallRoundedError): AmbiguityReason | undefined {
  switch (err.kind) {
    case 'timeout':
      return 'timeout';
    case 'server':
      return 'server';
    case 'invalid_response':
      return 'invalid_response';
    case 'network':
      return neverReachedPlatform(err.causeCode) ? undefined : 'network';
    default:
      return undefined;
  }
}

/** Unknown statuses pass through untouched; only a missing or non-string one is coerced. */
function normalizeCall(raw: Record<string, unknown>): PlatformCall {
  const status = raw.status;
  return {
    ...(raw as unknown as PlatformCall),
    status: typeof status === 'string' ? status : status == null ? '' : JSON.stringify(status),
  };
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
