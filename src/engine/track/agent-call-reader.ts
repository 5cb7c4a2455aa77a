import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  VOICE_PLATFORM,
  type PlatformCallView,
  type VoicePlatform,
} from '../platform/voice-platform.port';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { PlatformPacer } from '../start/platform-pacer';
import { forEachLimited } from '../../common/worker-loop';
import { SkewEstimator } from './skew-estimator';

/** A call we follow: its attempt, its platform id and when we asked for it. */
export interface TrackedCall {
  id: string;
  call_id: string;
  requested_at: Date;
  started_at: Date | null;
}

/**
 * The platform's view of one agent's tracked calls, for as few requests as possible: ONE walk
 * of `GET /calls?agent_id&start_time_gt=<just before the oldest tracked call>` in cursor mode
 * (limit 1,000, newest first, stopping once every tracked call was seen) covers them all;
 * `GET /calls/{id}` only for calls the list has not shown for stragglerAfterMs (list lag, calls
 * older than maxListWindowMs) or shown without their post-call answers.
 */
@Injectable()
export class AgentCallReader {
  private readonly logger = new Logger(AgentCallReader.name);
  /** Attempt id → when its call was last seen on the platform (our clock, ms). */
  private readonly lastSeen = new Map<string, number>();
  private readonly skew: SkewEstimator;
  /** Platform requests made so far (list pages and single calls): the poller's budget counts them. */
  requests = 0;

  constructor(
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    @Inject(VOICE_PLATFORM) private readonly platform: VoicePlatform,
    private readonly pacer: PlatformPacer,
  ) {
    this.skew = new SkewEstimator(settings.clockSkewMs);
  }

  /** The calls the platform showed this time, by call id. Never throws for a failed list. */
  async read(
    agentId: string,
    tracked: TrackedCall[],
    now: Date,
  ): Promise<Map<string, PlatformCallView>> {
    const seen = new Map<string, PlatformCallView>();
    try {
      await this.listRecent(agentId, tracked, now, seen);
    } catch (e) {
      // The calls are then fetched one by one as stragglers: slower, but nothing waits on the list.
      this.logger.warn(`GET /calls for agent ${agentId} failed: ${String(e)}`);
    }
    await this.fetchStragglers(tracked, seen, now);
    for (const t of tracked) if (seen.has(t.call_id)) this.lastSeen.set(t.id, now.getTime());
    return seen;
  }

  /** Forgets attempts no longer tracked. */
  keepOnly(attemptIds: Set<string>): void {
    for (const id of this.lastSeen.keys()) if (!attemptIds.has(id)) this.lastSeen.delete(id);
  }

  private async listRecent(
    agentId: string,
    tracked: TrackedCall[],
    now: Date,
    seen: Map<string, PlatformCallView>,
  ): Promise<void> {
    const cutoff = now.getTime() - this.settings.maxListWindowMs;
    const listable = tracked.filter((t) => t.requested_at.getTime() >= cutoff);
    if (listable.length === 0) return;
    const byCallId = new Map(tracked.map((t) => [t.call_id, t]));
    const wanted = new Set(listable.map((t) => t.call_id));
    const oldest = Math.min(...listable.map((t) => t.requested_at.getTime()));
    const since = new Date(oldest + this.skew.lowerOffsetMs());
    let cursor: string | undefined;
    for (let page = 0; page < 50 && wanted.size > 0; page++) {
      this.requests++;
      const result = await this.pacer.request(() =>
        this.platform.listAgentCalls({ agentId, startedAfter: since, limit: 1000 }, cursor),
      );
      for (const call of result.calls) {
        const t = byCallId.get(call.id);
        if (!t) continue;
        seen.set(call.id, call);
        wanted.delete(call.id);
        this.skew.sample(call.startedAt, t.requested_at);
      }
      if (!result.nextCursor || result.nextCursor === cursor || result.calls.length === 0) break;
      cursor = result.nextCursor;
    }
  }

  private async fetchStragglers(
    tracked: TrackedCall[],
    seen: Map<string, PlatformCallView>,
    now: Date,
  ): Promise<void> {
    const lastSeenAt = (t: TrackedCall) =>
      this.lastSeen.get(t.id) ?? (t.started_at ?? t.requested_at).getTime();
    const due = (t: TrackedCall) => {
      const call = seen.get(t.call_id);
      if (call) return call.answersLeftOut;
      return now.getTime() - lastSeenAt(t) >= this.settings.stragglerAfterMs;
    };
    const stragglers = tracked
      .filter(due)
      .sort((a, b) => lastSeenAt(a) - lastSeenAt(b))
      .slice(0, this.settings.stragglersPerTick);
    await forEachLimited(stragglers, 8, async (t) => {
      try {
        this.requests++;
        seen.set(t.call_id, await this.pacer.request(() => this.platform.getCall(t.call_id)));
      } catch (e) {
        this.logger.warn(`GET /calls/${t.call_id} failed, will retry: ${String(e)}`);
      }
    });
  }
}
