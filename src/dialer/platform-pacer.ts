import { Inject, Injectable } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import { ENGINE_SETTINGS, type EngineSettings } from './engine-settings';

/** The bucket's refill step (Bottleneck's heartbeat): at least one start per step, whatever the cap. */
const REFILL_MS = 250;

/**
 * Paces this process's platform requests (Bottleneck). The caps themselves are enforced in
 * PostgreSQL for the whole fleet; this only shapes the traffic: the starts of one campaign go
 * through a token bucket holding one second's worth of its per-minute cap and refilled at that
 * cap every 250 ms (at least one token per step, so that a small cap is a budget for the minute
 * and not a one-call-every-12-seconds drip), and requests in flight are bounded. A
 * bucket rather than a fixed spacing: when many calls end together, their slots are refilled at
 * once instead of queueing behind each other.
 */
@Injectable()
export class PlatformPacer {
  private readonly http: Bottleneck;
  private readonly starts = new Map<string, { perMinute: number; limiter: Bottleneck }>();

  constructor(@Inject(ENGINE_SETTINGS) settings: EngineSettings) {
    this.http = new Bottleneck({ maxConcurrent: settings.httpConcurrency });
  }

  /** Any platform request other than a start. */
  request<T>(fn: () => Promise<T>): Promise<T> {
    return this.http.schedule(fn);
  }

  /** A POST /calls/phone of a campaign, spaced by the campaign's per-minute cap. */
  start<T>(campaignId: string, perMinute: number, fn: () => Promise<T>): Promise<T> {
    let entry = this.starts.get(campaignId);
    if (!entry || entry.perMinute !== perMinute) {
      const cap = Math.max(1, perMinute);
      const burst = Math.max(1, Math.ceil(cap / 60));
      // Bottleneck refills on its 250 ms heartbeat: express the rate per heartbeat.
      const limiter = new Bottleneck({
        maxConcurrent: null,
        reservoir: burst,
        reservoirIncreaseInterval: REFILL_MS,
        reservoirIncreaseAmount: Math.max(1, Math.round((cap * REFILL_MS) / 60_000)),
        reservoirIncreaseMaximum: burst,
      });
      limiter.chain(this.http);
      entry = { perMinute, limiter };
      this.starts.set(campaignId, entry);
    }
    return entry.limiter.schedule(fn);
  }

  /** Shutdown: starts still waiting for their turn are dropped (their promises reject). */
  async dropQueuedStarts(): Promise<void> {
    const limiters = [...this.starts.values()].map((e) => e.limiter);
    this.starts.clear();
    await Promise.all(
      limiters.map((l) => l.stop({ dropWaitingJobs: true }).catch(() => undefined)),
    );
  }
}
