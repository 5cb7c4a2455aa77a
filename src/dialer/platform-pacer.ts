import { Inject, Injectable } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import { ENGINE_SETTINGS, type EngineSettings } from './engine-settings';

/** Starts are never spaced further apart than this, whatever the per-minute cap. */
const MAX_START_SPACING_MS = 250;

/**
 * Paces this process's platform requests (Bottleneck). The caps themselves are enforced in
 * PostgreSQL for the whole fleet; this only smooths bursts: starts of one campaign are spaced
 * by its per-minute cap (60 000 / cap ms, at most 250 ms, so that a small cap is a budget for
 * the minute and not a one-call-every-12-seconds drip), and requests in flight are bounded.
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
      const minTime = Math.min(MAX_START_SPACING_MS, Math.floor(60_000 / Math.max(1, perMinute)));
      const limiter = new Bottleneck({ minTime, maxConcurrent: null });
      limiter.chain(this.http);
      entry = { perMinute, limiter };
      this.starts.set(campaignId, entry);
    }
    return entry.limiter.schedule(fn);
  }
}
