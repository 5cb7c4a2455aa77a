import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Campaign } from '../../campaigns/campaign.entity';
import { CampaignLimits, type FiguresRow } from '../../campaigns/campaign-limits';
import { CallingWindowService } from '../../windows/calling-window.service';
import { ComplianceService } from '../../compliance/compliance.service';
import type { ContactHistory } from '../../compliance/evaluate';
import { ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import { PAUSE_COLUMNS, pauseStateOf, PlatformPauseService } from '../start/platform-pause.service';
import { queryRows } from '../../common/sql';
import { ADVISORY_LOCKS } from '../../common/advisory-locks';
import { tryLockNumberSql } from '../../compliance/contact-history';
import { SLOT_STATES_SQL } from '../../common/attempt-states';
import { LeadsRepository } from '../../leads/leads.repository';
import { DIALABLE_LEAD_STATUSES_SQL } from '../../leads/lead-statuses';

/** A lead claimed for one call: its attempt row exists and holds a slot (state `starting`). */
export interface ClaimedCall {
  attemptId: string;
  campaign: Campaign;
  lead: { id: string; phone: string; timezone: string | null; variables: Record<string, unknown> };
  fromNumber: string;
}

export interface ClaimResult {
  calls: ClaimedCall[];
  /** No lead was due at all (as opposed to caps being full): look again later. */
  idle: boolean;
  /** Leads that became final here (suppressed, never inside the window). */
  finalised: number;
}

interface Candidate {
  id: string;
  phone: string;
  timezone: string | null;
  variables: Record<string, unknown>;
  suppressed: boolean;
  contact_type: 'consumer' | 'business' | null;
  consent_at: Date | null;
  /** The number's lock for the calling laws' counts (false: another claim holds it now). */
  number_locked: boolean;
}

const NOTHING: ClaimResult = { calls: [], idle: false, finalised: 0 };
const CANDIDATE_ROUNDS = 10;

/**
 * Claims leads of one campaign for calling, in one transaction. Locking the campaign row
 * serialises the claims of that campaign across every instance, so the counts below are exact:
 * slots held (starting/ambiguous/live attempts) < max_concurrent_calls, starts in the rate
 * window < max_calls_per_minute, and, once the platform has shown a concurrency limit, slots
 * held by every campaign < the learned platform limit, shared between campaigns by their caps. The partial unique indexes on call_attempts then make
 * "one live attempt per lead / per number across campaigns" a fact the database enforces.
 */
@Injectable()
export class LeadClaimer {
  private readonly logger = new Logger(LeadClaimer.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    private readonly pause: PlatformPauseService,
    private readonly windows: CallingWindowService,
    private readonly limits: CampaignLimits,
    private readonly compliance: ComplianceService,
    private readonly leadRows: LeadsRepository,
  ) {}

  async claim(campaignId: string, want: number, now: Date): Promise<ClaimResult> {
    if (want <= 0) return NOTHING;
    return this.db.transaction(async (tx) => {
      // FOR NO KEY UPDATE: claims and status moves still go one at a time, but the foreign-key
      // checks of other transactions on this campaign (FOR KEY SHARE: a call's end being
      // recorded) no longer wait for the claim to commit.
      const campaign = await tx.getRepository(Campaign).findOne({
        where: { id: campaignId, status: 'running' },
        lock: { mode: 'for_no_key_update' },
      });
      if (!campaign) return NOTHING;
      const { free, expired } = await this.freeStarts(tx, campaign, now);
      const k = Math.min(want, free);
      if (k <= 0) return expired > 0 ? { ...NOTHING, finalised: expired } : NOTHING;

      const chosen: Candidate[] = [];
      let finalised = 0;
      let seen = 0;
      for (let round = 0; round < CANDIDATE_ROUNDS && chosen.length < k; round++) {
        const batch = Math.max(k - chosen.length, 100);
        const candidates = await this.candidates(tx, campaign.id, now, batch, chosen);
        seen += candidates.length;
        // The calling laws' counts: the numbers locked by the candidates statement, their
        // histories read in one more (a new statement sees what the locks' last holders committed).
        const histories = await this.compliance.readClaimHistories(tx, campaign, candidates, now);
        for (const lead of candidates) {
          if (chosen.length >= k) break;
          const verdict = await this.screen(tx, campaign, lead, now, histories);
          if (verdict === 'dial') chosen.push(lead);
          else if (verdict === 'final') finalised++;
        }
        if (candidates.length < batch) break;
      }
      if (chosen.length === 0) return { calls: [], idle: seen === 0, finalised };
      const calls = await this.insertAttempts(tx, campaign, chosen, now);
      return { calls, idle: false, finalised };
    });
  }

  /**
   * How many calls this campaign may start now, by its caps, the learned platform limit, the
   * shared pause and its controls (CampaignLimits: end date, breaker, budget, daily cap), counted
   * in one statement under the campaign's lock.
   */
  private async freeStarts(
    tx: EntityManager,
    campaign: Campaign,
    now: Date,
  ): Promise<{ free: number; expired: number }> {
    const windowStart = new Date(now.getTime() - this.settings.rateWindowMs);
    const figures = this.limits.figuresSql(campaign, now, '$1', 4);
    const [row] = await queryRows<Record<string, unknown> & FiguresRow>(
      tx,
      `SELECT ${PAUSE_COLUMNS},
         (SELECT count(*) FROM call_attempts
           WHERE campaign_id = $1 AND state IN ${SLOT_STATES_SQL}) AS busy,
         (SELECT count(*) FROM call_attempts WHERE campaign_id = $1 AND state = 'starting') AS starting,
         (SELECT count(*) FROM call_attempts
           WHERE campaign_id = $1 AND state NOT IN ('starting', 'not_dialled')
             AND requested_at > $3
             AND greatest(requested_at, coalesce(started_at, requested_at)) > $2) AS recent,
         ${figures.columns}
         FROM platform_pause p WHERE p.id = 1`,
      // A POST can end at most the client timeout after requested_at: bounds the index scan.
      [campaign.id, windowStart, new Date(windowStart.getTime() - 5 * 60_000), ...figures.params],
    );
    const free = await this.freeByCaps(tx, campaign, now, row);
    if (free <= 0) return { free, expired: 0 };
    const allowed = await this.limits.startsAllowed(tx, campaign, now, row);
    return { free: Math.min(free, allowed.starts), expired: allowed.expired };
  }

  private async freeByCaps(
    tx: EntityManager,
    campaign: Campaign,
    now: Date,
    row: Record<string, unknown>,
  ): Promise<number> {
    const pause = this.pause.remember(pauseStateOf(row));
    if (pause.pausedUntil.getTime() > now.getTime()) return 0;
    const busy = Number(row.busy);
    // Attempts not yet POSTed count as starts in the window: they will start.
    const starts = Number(row.starting) + Number(row.recent);
    const free = Math.min(campaign.maxConcurrentCalls - busy, campaign.maxCallsPerMinute - starts);
    if (pause.observedLimit === null || free <= 0) return free;
    return Math.min(free, await this.fairShareUnderLearnedLimit(tx, campaign, busy));
  }

  /**
   * Slots this campaign may take under the platform limit learned from 429s, which every
   * running campaign shares. It counts every campaign's calls, so all claims are serialised (on
   * the platform_pause row) while it applies. A campaign takes at once at most its share of the
   * limit, weighted by its concurrency cap (rounded down); beyond it, one slot per claim. The
   * dialler serves the campaigns with the fewest slots per cap first, between equals the one with
   * the fewest recent calls per cap (DialerService.tick), so a freed slot goes to the campaign furthest below its share, on
   * whichever instance claims it, and none starves.
   */
  private async fairShareUnderLearnedLimit(
    tx: EntityManager,
    campaign: Campaign,
    busy: number,
  ): Promise<number> {
    const pause = await this.pause.read(tx, true);
    if (pause.observedLimit === null) return Infinity;
    const [row] = await queryRows<{ held: string; caps: string }>(
      tx,
      `SELECT (SELECT count(*) FROM call_attempts WHERE state IN ${SLOT_STATES_SQL}) AS held,
              (SELECT coalesce(sum(max_concurrent_calls), 0) FROM campaigns WHERE status = 'running') AS caps`,
    );
    const free = pause.observedLimit - Number(row.held);
    if (free <= 0) return 0;
    const caps = Math.max(Number(row.caps), campaign.maxConcurrentCalls);
    const share = Math.floor((pause.observedLimit * campaign.maxConcurrentCalls) / caps);
    return Math.min(free, Math.max(1, share - busy));
  }

  /**
   * Due leads in import order whose number is not in a call anywhere (any campaign), locked
   * (SKIP LOCKED: another claim's are left to it), each with its number's lock for the calling
   * laws taken in the same round trip (a try-lock: it never waits).
   */
  private async candidates(
    tx: EntityManager,
    campaignId: string,
    now: Date,
    limit: number,
    exclude: Candidate[],
  ): Promise<Candidate[]> {
    return queryRows(
      tx,
      `WITH c AS MATERIALIZED (
         SELECT l.id, l.seq, l.phone, l.timezone, l.variables, l.contact_type, l.consent_at,
                EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = l.phone) AS suppressed
           FROM leads l
          WHERE l.campaign_id = $1 AND l.status IN ${DIALABLE_LEAD_STATUSES_SQL}
            AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= $2)
            AND NOT EXISTS (SELECT 1 FROM call_attempts a
                             WHERE a.to_number = l.phone AND a.state IN ${SLOT_STATES_SQL})
            AND NOT (l.id = ANY($4::uuid[]))
          ORDER BY l.seq
          LIMIT $3
          FOR UPDATE OF l SKIP LOCKED)
       SELECT c.id, c.phone, c.timezone, c.variables, c.contact_type, c.consent_at, c.suppressed,
              ${tryLockNumberSql('c.phone', '$5')} AS number_locked
         FROM c ORDER BY c.seq`,
      [campaignId, now, limit, exclude.map((c) => c.id), ADVISORY_LOCKS.contactSpace],
    );
  }

  /** Suppressed → final; outside its window → waits for the next opening (or fails if none). */
  private async screen(
    tx: EntityManager,
    campaign: Campaign,
    lead: Candidate,
    now: Date,
    histories: Map<string, ContactHistory>,
  ): Promise<'dial' | 'wait' | 'final'> {
    if (lead.suppressed) {
      await this.leadRows.close(tx, lead.id, 'suppressed', 'number is on the do-not-call list');
      return 'final';
    }
    let verdict: { allowed: boolean; next_open_at: Date | null; reason?: string };
    try {
      verdict = await this.windows.evaluate(campaign, lead, now);
    } catch (e) {
      const reason = `calling window could not be evaluated: ${e instanceof Error ? e.message : String(e)}`;
      this.logger.warn(`lead ${lead.id}: ${reason}`);
      await this.leadRows.close(tx, lead.id, 'failed', reason);
      return 'final';
    }
    if (verdict.allowed) return this.screenLaw(tx, campaign, lead, now, histories);
    if (verdict.next_open_at === null) {
      const reason = verdict.reason ?? 'never inside the calling window';
      await this.leadRows.close(tx, lead.id, 'failed', reason);
      return 'final';
    }
    const reason = verdict.reason ?? 'outside the calling window';
    await this.leadRows.postpone(tx, lead.id, verdict.next_open_at, reason);
    return 'wait';
  }

  /**
   * The calling laws (ComplianceService), the number locked (candidates) until the claim commits so that no
   * other claim, in any campaign or instance, counts the same attempts. Held back: the lead keeps
   * its place until the law allows it; ineligible: final, with the reason.
   */
  private async screenLaw(
    tx: EntityManager,
    campaign: Campaign,
    lead: Candidate,
    now: Date,
    histories: Map<string, ContactHistory>,
  ): Promise<'dial' | 'wait' | 'final'> {
    const v = await this.compliance.screen(tx, campaign, lead, now, { histories });
    if ('busy' in v) return 'wait';
    if ('final' in v) {
      await this.leadRows.close(tx, lead.id, 'ineligible', v.reason);
      return 'final';
    }
    if (v.allowed) return 'dial';
    await this.leadRows.postpone(tx, lead.id, v.next_allowed_at, v.reason);
    return 'wait';
  }

  /**
   * One attempt per chosen lead, from-numbers in turn. A number that another campaign's claim
   * took in the meantime conflicts on the per-number index: that lead is simply skipped now.
   */
  private async insertAttempts(
    tx: EntityManager,
    campaign: Campaign,
    chosen: Candidate[],
    now: Date,
  ): Promise<ClaimedCall[]> {
    const froms = campaign.fromNumbers;
    const fromOf = (i: number) => froms[(campaign.nextFromIndex + i) % froms.length];
    // One statement: the attempts, their leads now `calling`, and the campaign's from-number turn.
    const inserted = await queryRows<{ id: string; lead_id: string; from_number: string }>(
      tx,
      `WITH ins AS (
         INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number,
                                    state, requested_at, lease_owner, lease_expires_at)
         SELECT c.lead_id, $1,
                coalesce((SELECT max(x.attempt_number) FROM call_attempts x WHERE x.lead_id = c.lead_id), 0) + 1,
                $2, c.from_number, c.phone, 'starting', $3, $4, $5
           FROM unnest($6::uuid[], $7::text[], $8::text[]) AS c(lead_id, phone, from_number)
         ON CONFLICT DO NOTHING
         RETURNING id, lead_id, from_number),
       l AS (
         UPDATE leads SET status = 'calling', attempts = attempts + 1, status_reason = NULL, updated_at = now()
           FROM ins WHERE leads.id = ins.lead_id),
       c AS (
         UPDATE campaigns SET next_from_index = next_from_index + $9 WHERE id = $1)
       SELECT id, lead_id, from_number FROM ins`,
      [
        campaign.id,
        campaign.agentId,
        now,
        this.settings.instanceId,
        new Date(now.getTime() + this.settings.leaseMs),
        chosen.map((c) => c.id),
        chosen.map((c) => c.phone),
        chosen.map((_, i) => fromOf(i)),
        chosen.length,
      ],
    );
    const byId = new Map(chosen.map((c) => [c.id, c]));
    return inserted.map((r) => {
      const lead = byId.get(r.lead_id) as Candidate;
      return {
        attemptId: r.id,
        campaign,
        lead: {
          id: lead.id,
          phone: lead.phone,
          timezone: lead.timezone,
          variables: lead.variables,
        },
        fromNumber: r.from_number,
      };
    });
  }
}
