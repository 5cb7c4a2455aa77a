import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  PlatformAuthRefused,
  PlatformUnreachable,
  StartAmbiguous,
  StartRateLimited,
  StartRejected,
  VOICE_PLATFORM,
  type VoicePlatform,
} from '../platform/voice-platform.port';
import {
  AttemptLedger,
  type ReleaseLead,
  type ReleaseOptions,
} from '../attempts/attempt-ledger.service';
import { CallTerminator } from '../track/call-terminator.service';
import { CLOCK, type Clock } from '../../core/runtime';
import { CallingWindowService } from '../../windows/calling-window.service';
import { ComplianceService } from '../../compliance/compliance.service';
import { CampaignSettler } from '../finish/campaign-settler';
import { DIALER_FAULTS, type DialerFaults } from '../dialer-faults';
import { EngineMetrics } from '../engine-metrics';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import type { ClaimedCall } from '../claim/lead-claimer.service';
import { PlatformPacer } from './platform-pacer';
import { PlatformPauseService } from './platform-pause.service';
import { queryRows } from '../../common/sql';
import { historyColumnsSql, historyOf, historySince } from '../../compliance/contact-history';
import type { ContactHistory } from '../../compliance/evaluate';
import type { ContactType } from '../../compliance/rules/types';

/**
 * How a claimed attempt ended up. `released`: never dialled, slot freed. `platform_down`: the
 * platform could not be reached at all (this process should back off a little).
 */
export type StartOutcome =
  'live' | 'ambiguous' | 'released' | 'rate_limited' | 'platform_down' | 'lost' | 'crashed';

/** Why a start was not armed. */
type Blocked = 'lost' | 'suppressed' | 'paused' | 'ended' | `campaign ${string}`;

/** What the calling laws need at dial time, read by arm() in its statement. */
interface DialTimeFacts {
  contact_type: ContactType | null;
  consent_at: Date | null;
  history: ContactHistory;
}

/** After a 401 every start would fail the same way: pause them all for this long. */
const AUTH_PAUSE_MS = 60_000;

/**
 * Sends one claimed call: re-checks everything at the moment of the POST (window in every
 * candidate zone, campaign still running, number not suppressed, platform not paused), sends
 * POST /calls/phone exactly once, and records what came back. Never retries the POST: an
 * unknown outcome leaves the slot held for reconciliation.
 */
@Injectable()
export class CallStarter {
  private readonly logger = new Logger(CallStarter.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    @Inject(DIALER_FAULTS) private readonly faults: DialerFaults,
    @Inject(VOICE_PLATFORM) private readonly platform: VoicePlatform,
    private readonly pacer: PlatformPacer,
    private readonly ledger: AttemptLedger,
    private readonly pause: PlatformPauseService,
    private readonly windows: CallingWindowService,
    private readonly compliance: ComplianceService,
    private readonly terminator: CallTerminator,
    private readonly metrics: EngineMetrics,
    private readonly settler: CampaignSettler,
  ) {}

  /**
   * Queues the call behind the campaign's pacing. When its turn comes, `begin()` false means
   * it was taken back meanwhile (shutdown released it): nothing is sent.
   */
  start(call: ClaimedCall, begin: () => boolean): Promise<StartOutcome> {
    return this.pacer.start(call.campaign.id, call.campaign.maxCallsPerMinute, () =>
      begin() ? this.send(call) : Promise.resolve<StartOutcome>('lost'),
    );
  }

  /** Frees claimed attempts that will not be sent (shutdown): their leads go back to the queue. */
  async releaseUnsent(attemptIds: string[]): Promise<void> {
    const now = this.clock.now();
    for (const id of attemptIds) {
      const released = await this.ledger.release(id, now, 'shutting down before dialling', {
        kind: 'requeue',
      });
      if (released) this.metrics.notDialled.inc({ reason: 'shutdown' });
    }
  }

  private async send(call: ClaimedCall): Promise<StartOutcome> {
    const { campaign, lead, attemptId } = call;
    await this.faults.beforeSend?.(attemptId);
    const now = this.clock.now();
    const window = await this.windows.evaluate(campaign, lead, now).catch((e: unknown) => ({
      allowed: false,
      next_open_at: null,
      reason: `calling window could not be evaluated: ${e instanceof Error ? e.message : String(e)}`,
    }));
    if (!window.allowed) {
      const reason = window.reason ?? 'outside the calling window';
      const leadAfter: ReleaseLead =
        window.next_open_at === null
          ? { kind: 'failed', reason }
          : { kind: 'requeue', nextAttemptAt: window.next_open_at, reason };
      return this.release(call, `window closed at dial time: ${reason}`, leadAfter, 'window');
    }
    const armed = await this.arm(call, now);
    if ('blocked' in armed)
      return armed.blocked === 'lost' ? 'lost' : this.releaseBlocked(call, armed.blocked);
    const lawSays = await this.lawAtDialTime(call, armed.facts, now);
    if (lawSays) return this.release(call, `law at dial time: ${lawSays.reason}`, lawSays, 'law');

    let callId: string;
    try {
      const result = await this.platform.startCall({
        fromNumber: call.fromNumber,
        toNumber: lead.phone,
        agentId: campaign.agentId,
        variables: { ...(campaign.variables ?? {}), ...(lead.variables ?? {}) },
      });
      callId = result.callId;
    } catch (e) {
      return this.onRefused(call, now, e);
    }
    try {
      await this.faults.afterPostBeforeSave?.(attemptId, callId);
    } catch {
      // A simulated crash: this process "forgets" the call; the lease expires, reconciliation adopts it.
      return 'crashed';
    }
    return this.recordLive(call, callId, now);
  }

  /**
   * The calling laws again with the current time, on the facts read by arm() (the lead's contact
   * type and consent, its number's history without this attempt); undefined: allowed.
   */
  private async lawAtDialTime(
    call: ClaimedCall,
    facts: DialTimeFacts,
    now: Date,
  ): Promise<ReleaseLead | undefined> {
    const histories = new Map([[call.lead.phone, facts.history]]);
    const v = await this.compliance
      .screen(
        this.db,
        call.campaign,
        { ...call.lead, contact_type: facts.contact_type, consent_at: facts.consent_at },
        now,
        { histories },
      )
      .catch((e: unknown) => ({
        allowed: false as const,
        reason: `calling laws could not be evaluated: ${e instanceof Error ? e.message : String(e)}`,
        next_allowed_at: new Date(now.getTime() + 60_000),
      }));
    if ('busy' in v || ('allowed' in v && v.allowed)) return undefined;
    if ('final' in v) return { kind: 'ineligible', reason: v.reason };
    return { kind: 'requeue', nextAttemptAt: v.next_allowed_at, reason: v.reason };
  }

  /**
   * Last check before the POST, in one statement: a conditional UPDATE (the attempt is still ours
   * and `starting`, the campaign still running and before its end date, the number not
   * suppressed, the platform not paused) that moves requested_at to the send time (the rate
   * window and reconciliation count from it) and renews the lease; the same statement reads the
   * facts the calling laws need at dial time (one round trip: each costs a few ms of slot time
   * on a busy machine). Answers the facts when armed, else why not. If the law then refuses, the
   * attempt is released as it would have been before arming.
   */
  private async arm(
    call: ClaimedCall,
    now: Date,
  ): Promise<{ facts: DialTimeFacts } | { blocked: Blocked }> {
    const look = this.compliance.lookbackOf(call.campaign, call.lead.phone);
    const history = historyColumnsSql('$8', {
      attemptsSince: '$6',
      refusalsSince: '$7',
      until: '$2',
      exclude: '$1',
    });
    const [row] = await queryRows<{
      armed: boolean;
      contact_type: ContactType | null;
      consent_at: Date | null;
      attempts: Date[] | null;
      refused_at: Date | null;
    }>(
      this.db,
      `WITH armed AS (
         UPDATE call_attempts a SET requested_at = $2, lease_expires_at = $3, updated_at = now()
          WHERE a.id = $1 AND a.state = 'starting' AND a.lease_owner = $4
            AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = a.campaign_id AND c.status = 'running'
                          AND (c.ends_at IS NULL OR c.ends_at > $2))
            AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = a.to_number)
            AND (SELECT paused_until FROM platform_pause WHERE id = 1) <= $2
          RETURNING a.id)
       SELECT EXISTS (SELECT 1 FROM armed) AS armed, l.contact_type, l.consent_at, ${history}
         FROM (SELECT 1) one LEFT JOIN leads l ON l.id = $5`,
      [
        call.attemptId,
        now,
        new Date(now.getTime() + this.settings.leaseMs),
        this.settings.instanceId,
        call.lead.id,
        ...historySince(now, look),
        call.lead.phone,
      ],
    );
    if (row?.armed) {
      return {
        facts: {
          contact_type: row.contact_type,
          consent_at: row.consent_at,
          history: historyOf(row),
        },
      };
    }
    return { blocked: await this.whyNotArmed(call.attemptId, now) };
  }

  /** Why arm() refused (a second look, only then). */
  private async whyNotArmed(attemptId: string, now: Date): Promise<Blocked> {
    const rows: {
      state: string;
      lease_owner: string | null;
      campaign_status: string;
      suppressed: boolean;
      ended: boolean;
    }[] = await queryRows(
      this.db,
      `SELECT a.state, a.lease_owner, c.status AS campaign_status,
              EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = a.to_number) AS suppressed,
              coalesce(c.ends_at <= $2, false) AS ended
         FROM call_attempts a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`,
      [attemptId, now],
    );
    const row = rows[0];
    if (!row || row.state !== 'starting' || row.lease_owner !== this.settings.instanceId) {
      return 'lost';
    }
    if (row.suppressed) return 'suppressed';
    if (row.campaign_status !== 'running') return `campaign ${row.campaign_status}`;
    if (row.ended) return 'ended';
    return 'paused';
  }

  private releaseBlocked(call: ClaimedCall, why: string): Promise<StartOutcome> {
    if (why === 'suppressed') {
      const reason = 'number is on the do-not-call list';
      return this.release(call, reason, { kind: 'suppressed', reason }, 'suppressed');
    }
    if (why === 'ended') {
      // The next claim expires the lead (CampaignLimits), with every other lead still waiting.
      return this.release(
        call,
        'campaign end date passed before dialling',
        { kind: 'requeue' },
        'ended',
      );
    }
    if (why === 'paused') {
      return this.release(
        call,
        'platform paused (429) before dialling',
        { kind: 'requeue' },
        'paused',
      );
    }
    return this.release(
      call,
      `${why} before dialling`,
      { kind: 'requeue' },
      'campaign_not_running',
    );
  }

  private async onRefused(call: ClaimedCall, sentAt: Date, e: unknown): Promise<StartOutcome> {
    const now = this.clock.now();
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof StartRateLimited) {
      this.metrics.rateLimited.inc();
      await this.release(call, `platform answered 429: ${message}`, { kind: 'requeue' }, '429');
      // Which limit it names decides whether the learned limit drops (see platform-limit.ts).
      await this.pause.record429(now, sentAt, e.retryAfterMs, e.limitKind);
      return 'rate_limited';
    }
    if (e instanceof PlatformUnreachable) {
      // The adapter says the request never left this machine (connection refused, DNS...).
      await this.release(
        call,
        `platform unreachable: ${message}`,
        { kind: 'requeue' },
        'unreachable',
      );
      return 'platform_down';
    }
    if (e instanceof PlatformAuthRefused) {
      this.logger.error(
        `The platform refused our API key (${message}): every instance pauses call starts for ${AUTH_PAUSE_MS / 1000} s. Check CALLROUNDED_API_KEY.`,
      );
      await this.release(
        call,
        `platform refused the API key: ${message}`,
        { kind: 'requeue' },
        'auth',
        { platformFailed: true },
      );
      await this.pause.pauseFor(now, AUTH_PAUSE_MS);
      await this.settler.pause(call.campaign.id, 'platform_auth', {
        http_status: e.httpStatus ?? null,
        message: message.slice(0, 500),
      });
      return 'released';
    }
    if (e instanceof StartRejected) return this.onClientRefusal(call, e);
    // Timeout, reset, 5xx or anything unexpected: the call may exist. Keep the slot, reconcile.
    this.metrics.ambiguousStarts.inc();
    this.logger.warn(`start of attempt ${call.attemptId} is ambiguous (${message}): reconciling`);
    // A 5xx counts as a platform failure for the circuit breaker; a timeout or reset does not.
    const serverError = e instanceof StartAmbiguous && e.serverError;
    await this.ledger.markAmbiguous(
      call.attemptId,
      now,
      `ambiguous start: ${message}`,
      serverError,
    );
    return 'ambiguous';
  }

  /**
   * A clean 4xx: no call exists. If the platform blames the lead's own data (to_number,
   * variables), the lead fails: no retry can help. Otherwise (from_number, agent_id, unknown
   * route...) the campaign is misconfigured: it is paused, the lead goes back to the queue.
   */
  private async onClientRefusal(call: ClaimedCall, e: StartRejected): Promise<StartOutcome> {
    const detail = e.detail;
    if (e.leadAtFault) {
      const reason = `platform refused the call: ${detail}`;
      return this.release(call, reason, { kind: 'failed', reason }, 'refused', {
        platformFailed: true,
      });
    }
    const why = `the platform refused its calls (HTTP ${e.httpStatus ?? '?'}: ${detail})`;
    await this.settler.pause(call.campaign.id, 'platform_rejected', {
      http_status: e.httpStatus ?? null,
      message: detail.slice(0, 500),
    });
    const reason = `campaign paused: ${why}`;
    return this.release(call, reason, { kind: 'requeue', reason }, 'campaign_refused', {
      platformFailed: true,
    });
  }

  private async recordLive(call: ClaimedCall, callId: string, sentAt: Date): Promise<StartOutcome> {
    const now = this.clock.now();
    let live;
    for (let tries = 1; ; tries++) {
      try {
        live = await this.ledger.markLive(call.attemptId, callId, now);
        break;
      } catch (e) {
        // The database is briefly unavailable: if it stays so, the lease expires and
        // reconciliation finds this call by number and time.
        if (tries >= 3) throw e;
        await new Promise((r) => setTimeout(r, 200 * tries));
      }
    }
    if (!live && (await this.ledger.callIdOf(call.attemptId)) === callId) {
      // Reconciliation found and adopted this very call while our answer was late: all is well.
      return 'live';
    }
    if (!live) {
      this.logger.error(
        `call ${callId} of attempt ${call.attemptId} answered after the attempt was declared never dialled: terminating it`,
      );
      await this.ledger.recordLateCall(call.attemptId, callId, now);
      await this.terminator.terminateUntracked(callId);
      return 'lost';
    }
    this.metrics.callsStarted.inc();
    void this.pause.recordSuccess(sentAt).catch(() => undefined);
    void this.pacer
      .request(() =>
        this.platform.tagCall(callId, {
          campaign_id: call.campaign.id,
          lead_id: call.lead.id,
          attempt_id: call.attemptId,
        }),
      )
      .catch((e: unknown) =>
        this.logger.warn(`could not tag call ${callId} with metadata: ${String(e)}`),
      );
    if (live.campaignStatus === 'cancelled') await this.terminator.terminate(call.attemptId, now);
    return 'live';
  }

  private async release(
    call: ClaimedCall,
    error: string,
    lead: ReleaseLead,
    metricReason: string,
    options: ReleaseOptions = {},
  ): Promise<StartOutcome> {
    const released = await this.ledger.release(
      call.attemptId,
      this.clock.now(),
      error,
      lead,
      options,
    );
    if (!released) return 'lost';
    this.metrics.notDialled.inc({ reason: metricReason });
    if (released.leadFinal) await this.settler.settle(released.campaignId);
    return 'released';
  }
}
