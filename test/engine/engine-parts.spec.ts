import { describe, expect, it } from '@jest/globals';
import { PollCadence } from '../../src/engine/track/poll-cadence';
import { SkewEstimator } from '../../src/engine/track/skew-estimator';
import { ConcurrencyLimit } from '../../src/engine/start/concurrency-limit';
import { engineSettings } from '../../src/engine/engine-settings';
import { TokenBucket } from '../../src/engine/start/token-bucket';
import { forEachLimited } from '../../src/common/worker-loop';
import { defaultWorkerTuning } from '../../src/core/runtime';

describe('engine settings', () => {
  it('gives each instance its own lease owner id and keeps the rate window above 60 s', () => {
    const a = engineSettings(defaultWorkerTuning);
    const b = engineSettings(defaultWorkerTuning);
    expect(a.instanceId).not.toBe(b.instanceId);
    expect(a.instanceId).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(a.rateWindowMs).toBeGreaterThan(60_000);
    expect(a.leaseRenewMs).toBeLessThan(a.leaseMs);
  });
});

describe('skew estimator', () => {
  it('starts from the full configured skew, then learns the real offset minus a margin', () => {
    const skew = new SkewEstimator(120_000, 2_000);
    expect(skew.lowerOffsetMs()).toBe(-120_000);
    const requested = new Date('2026-11-21T10:00:00.000Z');
    skew.sample('2026-11-21T10:00:00.050Z', requested);
    skew.sample('2026-11-21T09:59:59.980Z', requested);
    expect(skew.lowerOffsetMs()).toBe(-20 - 2_000);
  });

  it('ignores unreadable or absurd samples', () => {
    const skew = new SkewEstimator(10_000, 1_000);
    skew.sample(null, new Date());
    skew.sample('not a date', new Date());
    skew.sample('2000-01-01T00:00:00Z', new Date());
    expect(skew.lowerOffsetMs()).toBe(-10_000);
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once and runs every item', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('token bucket', () => {
  it('serves a burst at once, then one token per refill interval, in order', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 1 / 100, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(100);
    expect(bucket.reserve()).toBe(200);
    now = 1000;
    // Refilled up to capacity only: the two reservations already made are paid back first.
    expect(bucket.reserve()).toBe(0);
  });
});

describe('concurrency limit', () => {
  it('runs at most max tasks at once, in arrival order, and frees its place on failure', async () => {
    const limit = new ConcurrencyLimit(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const task = (i: number, fail = false) =>
      limit.run(async () => {
        started.push(i);
        await new Promise<void>((r) => release.push(r));
        if (fail) throw new Error(`task ${i} failed`);
        return i;
      });
    const results = [task(0, true), task(1), task(2), task(3)].map((p) =>
      p.then(
        (v) => v,
        (e: Error) => e.message,
      ),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect([limit.running, limit.queued]).toEqual([2, 2]);
    release[0]();
    await new Promise((r) => setImmediate(r));
    // The failed task's place went to the next one in line, at once.
    expect(started).toEqual([0, 1, 2]);
    release[1]();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2, 3]);
    release[2]();
    release[3]();
    expect(await Promise.all(results)).toEqual(['task 0 failed', 1, 2, 3]);
    expect([limit.running, limit.queued]).toEqual([0, 0]);
  });
});

describe('poll cadence', () => {
  it('keeps the configured interval while few calls end', () => {
    const cadence = new PollCadence(1000, 0.3);
    expect(cadence.nextIntervalMs()).toBe(1000);
    for (let t = 0; t <= 10_000; t += 1000) cadence.record(t, 1, 0);
    expect(cadence.nextIntervalMs()).toBe(1000);
    // One call ending a second, one request a pass: polling sooner would cost too much.
    for (let t = 11_000; t <= 20_000; t += 1000) cadence.record(t, 1, 1);
    expect(cadence.nextIntervalMs()).toBe(1000);
  });

  it('polls sooner within the request budget when many calls end, never below half', () => {
    const cadence = new PollCadence(100, 0.3);
    // 50 calls ending a second, one request a pass: 1 ÷ (0.3 × 0.05/ms) ≈ 67 ms.
    for (let t = 0; t <= 5_000; t += 100) cadence.record(t, 1, 5);
    expect(cadence.nextIntervalMs()).toBe(67);
    // Twice as many ends: the floor (half the configured interval) holds.
    for (let t = 5_100; t <= 10_000; t += 100) cadence.record(t, 1, 10);
    expect(cadence.nextIntervalMs()).toBe(50);
  });
});
