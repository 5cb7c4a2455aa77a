import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

/** The dialling engine's Prometheus metrics. */
@Injectable()
export class EngineMetrics {
  readonly callsStarted: Counter<string>;
  readonly callsEnded: Counter<string>;
  readonly rateLimited: Counter<string>;
  readonly ambiguousStarts: Counter<string>;
  readonly reconciled: Counter<string>;
  readonly notDialled: Counter<string>;
  readonly liveCalls: Gauge<string>;

  constructor(metrics: MetricsService) {
    this.callsStarted = metrics.counter(
      'orchestrator_calls_started_total',
      'Calls the platform accepted (POST /calls/phone answered 201, or adopted by reconciliation)',
    );
    this.callsEnded = metrics.counter(
      'orchestrator_calls_ended_total',
      'Calls recorded as over, by outcome (completed, missed, failed, unknown)',
      ['outcome'],
    );
    this.rateLimited = metrics.counter(
      'orchestrator_platform_429_total',
      'POST /calls/phone answered 429: every instance pauses starts',
    );
    this.ambiguousStarts = metrics.counter(
      'orchestrator_calls_ambiguous_total',
      'Starts whose outcome was unknown (timeout, reset, 5xx, holder died): reconciled before any retry',
    );
    this.reconciled = metrics.counter(
      'orchestrator_calls_reconciled_total',
      'Ambiguous starts settled: adopted (the call existed) or not_dialled (none after the grace period)',
      ['result'],
    );
    this.notDialled = metrics.counter(
      'orchestrator_attempts_not_dialled_total',
      'Claimed attempts that never created a call, by reason',
      ['reason'],
    );
    this.liveCalls = metrics.gauge(
      'orchestrator_live_calls',
      'Attempts holding a concurrency slot (starting, ambiguous or live), every campaign, every instance',
    );
  }
}
