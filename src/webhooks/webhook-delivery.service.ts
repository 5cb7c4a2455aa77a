import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Counter } from 'prom-client';
import { Agent, request } from 'undici';
import { DataSource } from 'typeorm';
import { CLOCK, WEBHOOK_TUNING } from '../core/runtime';
import type { Clock, WebhookTuning } from '../core/runtime';
import { MetricsService } from '../metrics/metrics.service';
import { ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';
import { backoffMs } from './webhook-tuning';
import { WebhookUrlGuard } from './webhook-url-guard.service';

interface ClaimedEvent {
  id: string;
  campaign_id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  webhook_url: string | null;
  webhook_secret: string | null;
}

type Outcome =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: string; permanent?: boolean };

/**
 * Delivers the outbox (worker role only). Each pass claims due events with FOR UPDATE SKIP
 * LOCKED and a lease (so instances never share one, and a crashed instance's claim runs out),
 * POSTs them signed, and records the result: delivered, a retry time with backoff, or failed.
 * Delivery is at least once: a crash between the receiver's 2xx and our update sends the event
 * again, with the same X-Webhook-Id for the receiver to de-duplicate.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly agent: Agent;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;
  private readonly inFlight = new Set<AbortController>();
  private readonly attemptsCounter: Counter<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_TUNING) private readonly tuning: WebhookTuning,
    metrics: MetricsService,
    private readonly guard: WebhookUrlGuard,
  ) {
    this.attemptsCounter = metrics.counter(
      'webhook_delivery_attempts_total',
      'CRM webhook delivery attempts by event type and result (delivered, retry, failed)',
      ['type', 'result'],
    );
    this.agent = new Agent({
      // Every delivery resolves the host itself, refuses internal addresses, and connects to
      // the address it checked (see WebhookUrlGuard).
      connect: { timeout: this.tuning.webhookTimeoutMs, lookup: guard.connectLookup },
      headersTimeout: this.tuning.webhookTimeoutMs,
      bodyTimeout: this.tuning.webhookTimeoutMs,
    });
  }

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.inFlight) c.abort();
    await this.running?.catch(() => undefined);
    await this.agent.close().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.deliverDue()
        .catch((err) => {
          this.logger.error(`Webhook delivery pass failed: ${(err as Error)?.message ?? err}`);
          return 0;
        })
        .then((n) =>
          this.schedule(n >= this.tuning.webhookBatchSize ? 0 : this.tuning.webhookPollIntervalMs),
        );
    }, delayMs);
    this.timer.unref?.();
  }

  /** One pass: claims up to a batch of due events and delivers them in parallel. Returns how many. */
  async deliverDue(): Promise<number> {
    const events = await this.claim();
    await Promise.all(events.map((e) => this.deliver(e)));
    return events.length;
  }

  private async claim(): Promise<ClaimedEvent[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.tuning.webhookTimeoutMs * 2 + 30_000);
    return this.db.query(
      `WITH due AS (
         SELECT id FROM webhook_events
          WHERE status = 'pending' AND next_attempt_at <= $1
            AND (locked_until IS NULL OR locked_until <= $1)
          ORDER BY next_attempt_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_events e
            SET attempts = e.attempts + 1, locked_until = $3, last_attempt_at = $1, updated_at = $1
           FROM due WHERE e.id = due.id
         RETURNING e.id, e.campaign_id, e.type, e.payload, e.attempts, e.created_at
       )
       SELECT claimed.*, c.webhook_url, c.webhook_secret
         FROM claimed JOIN campaigns c ON c.id = claimed.campaign_id`,
      [now, this.tuning.webhookBatchSize, leaseUntil],
    );
  }

  private async deliver(event: ClaimedEvent): Promise<void> {
    const outcome = await this.post(event);
    const now = this.clock.now();
    if (outcome.ok) {
      this.attemptsCounter.inc({ type: event.type, result: 'delivered' });
      await this.db.query(
        `UPDATE webhook_events
            SET status = 'delivered', delivered_at = $2, last_status_code = $3, last_error = NULL,
                locked_until = NULL, updated_at = $2
          WHERE id = $1 AND status = 'pending'`,
        [event.id, now, outcome.statusCode],
      );
      return;
    }
    if (this.stopping && !outcome.permanent) {
      // Cut short by our own shutdown: not the receiver's fault, free it for the next worker now.
      await this.db
        .query(
          `UPDATE webhook_events SET locked_until = NULL, updated_at = $2 WHERE id = $1 AND status = 'pending'`,
          [event.id, now],
        )
        .catch(() => undefined);
      return;
    }
    const giveUp = outcome.permanent || event.attempts >= this.tuning.webhookMaxAttempts;
    this.attemptsCounter.inc({ type: event.type, result: giveUp ? 'failed' : 'retry' });
    const next = new Date(now.getTime() + backoffMs(event.attempts, this.tuning));
    await this.db.query(
      `UPDATE webhook_events
          SET status = $2, next_attempt_at = $3, last_error = $4, last_status_code = $5,
              locked_until = NULL, updated_at = $6
        WHERE id = $1 AND status = 'pending'`,
      [
        event.id,
        giveUp ? 'failed' : 'pending',
        giveUp ? now : next,
        outcome.error.slice(0, 500),
        outcome.statusCode,
        now,
      ],
    );
    if (giveUp)
      this.logger.warn(
        `Webhook event ${event.id} (${event.type}) failed for good after ${event.attempts} attempts: ${outcome.error}`,
      );
  }

  private async post(event: ClaimedEvent): Promise<Outcome> {
    const problem =
      event.webhook_url === null
        ? 'the campaign has no webhook_url'
        : this.guard.urlProblem(event.webhook_url);
    if (problem)
      return { ok: false, statusCode: null, error: `webhook_url ${problem}`, permanent: true };
    if (!event.webhook_secret)
      return {
        ok: false,
        statusCode: null,
        error: 'the campaign has no webhook secret to sign with',
        permanent: true,
      };

    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      created_at: new Date(event.created_at).toISOString(),
      campaign_id: event.campaign_id,
      data: event.payload,
    });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.tuning.webhookTimeoutMs);
    this.inFlight.add(abort);
    try {
      const res = await request(event.webhook_url as string, {
        method: 'POST',
        dispatcher: this.agent,
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'callrounded-campaigns-webhooks/1',
          [ID_HEADER]: event.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(event.webhook_secret, timestamp, body),
        },
        body,
      });
      await res.body.dump().catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300)
        return { ok: true, statusCode: res.statusCode };
      return {
        ok: false,
        statusCode: res.statusCode,
        error: `the receiver answered HTTP ${res.statusCode}`,
      };
    } catch (err) {
      const category = abort.signal.aborted ? 'timeout' : errorCategory(err);
      return {
        ok: false,
        statusCode: null,
        error: `request failed: ${category}`,
        permanent: category === 'blocked address',
      };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(abort);
    }
  }
}

/**
 * What went wrong, as a category only: the error's own message names the address and port it
 * tried, which would let a campaign owner map our network through the delivery log.
 */
export function errorCategory(err: unknown): string {
  let e = err as { code?: string; cause?: unknown } | undefined;
  // undici wraps the socket's error; the code that says what happened may be on the cause.
  for (let depth = 0; e && depth < 3; depth++) {
    const code = e.code ?? '';
    if (code === 'ERR_WEBHOOK_BLOCKED_ADDRESS') return 'blocked address';
    if (/TIMEOUT|ETIMEDOUT/.test(code)) return 'timeout';
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/.test(code)) return 'connection reset';
    if (/ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME/.test(code)) return 'DNS lookup failed';
    if (/^ERR_TLS|^ERR_SSL|CERT|^UNABLE_TO_|SELF_SIGNED|^DEPTH_ZERO/.test(code)) return 'TLS error';
    if (/EHOSTUNREACH|ENETUNREACH/.test(code)) return 'host unreachable';
    e = e.cause as typeof e;
  }
  return 'network error';
}
