import { Inject, Injectable } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyLimit } from './concurrency-limit';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { TokenBucket } from './token-bucket';

/** Starts are refilled at least this often, whatever the per-minute cap. */
const MAX_START_SPACING_MS = 250;

/**
 * Paces this process's platform requests. The caps themselves are enforced in PostgreSQL for
 * the whole fleet; this only shapes the traffic:
 * - the background requests (listing calls, straggler GETs, metadata tags, terminations,
 *   reconciliation lookups) go through a Bottleneck limiter bounding those in flight;
 * - the starts of a campaign first take a token from a bucket holding one second's worth of its
 *   per-minute cap, refilled at that cap (at least one token per 250 ms, so that a small cap is
 *   a budget for the minute and not a one-call-every-12-seconds drip), then a place among the
 *   starts in flight. A bucket rather than a fixed spacing: when many calls end together their
 *   slots are refilled at once, without a queue. Starts skip Bottleneck: its queue goes through
 *   timers several times per job (25–42 ms between a claim and its POST in bench/campaign),
 *   time during which a paid-for slot carries no call.
 */
@Injectable()
export class PlatformPacer {
  private readonly background: Bottleneck;
  private readonly startsInFlight: ConcurrencyLimit;
  private readonly starts = new Map<string, { perMinute: number; bucket: TokenBucket }>();
  /** Aborted on shutdown: starts waiting for their token give up at once. */
  private readonly stopping = new AbortController();

  constructor(@Inject(ENGINE_SETTINGS) settings: EngineSettings) {
    this.background = new Bottleneck({ maxConcurrent: settings.httpConcurrency });
    this.startsInFlight = new ConcurrencyLimit(settings.httpConcurrency);
    // Every start waiting for a token listens on it.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Any platform request other than a start. */
  request<T>(fn: () => Promise<T>): Promise<T> {
    return this.background.schedule(fn);
  }

  /** A POST /calls/phone of a campaign, paced by the campaign's per-minute cap. */
  async start<T>(campaignId: string, perMinute: number, fn: () => Promise<T>): Promise<T> {
    let entry = this.starts.get(campaignId);
    if (!entry || entry.perMinute !== perMinute) {
      const cap = Math.max(1, perMinute);
      const ratePerMs = Math.max(cap / 60_000, 1 / MAX_START_SPACING_MS);
      entry = { perMinute, bucket: new TokenBucket(Math.max(1, Math.ceil(cap / 60)), ratePerMs) };
      this.starts.set(campaignId, entry);
    }
    const wait = entry.bucket.reserve();
    if (wait > 0) await sleep(wait, undefined, { signal: this.stopping.signal });
    if (this.stopping.signal.aborted)
      throw new Error('shutting down: start dropped before it was sent');
    return this.startsInFlight.run(fn);
  }

  /** Shutdown: starts still waiting for their token are dropped (their promises reject). */
  dropQueuedStarts(): void {
    this.stopping.abort();
  }
}
