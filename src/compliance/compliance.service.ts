import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queryable } from '../common/queryable';
import { CLOCK, type Clock } from '../core/runtime';
import type { CallingWindow } from '../windows/calling-window';
import { candidateZones } from '../windows/candidate-zones';
import { complianceOf, type ComplianceSettings } from './compliance-settings';
import { contactHistory, readLockedHistories } from './contact-history';
import { evaluate, lookback, type ComplianceVerdict, type ContactHistory } from './evaluate';
import { loadRuleBook, type RuleBook } from './rule-loader';
import { RULE_FILES } from './rules';
import { eligibilityOf, type Eligibility, type EligibilityCampaign } from './eligibility';
import type { ContactType } from './rules/types';

export interface ComplianceCampaignRow {
  callingWindow: CallingWindow;
  timezone: string;
  compliance: Partial<ComplianceSettings> | null;
}

export interface ComplianceLeadRow {
  phone: string;
  timezone: string | null;
  contact_type: ContactType | null;
  consent_at: Date | null;
}

/** `busy`: another claim holds the number's lock right now; leave the lead for the next pass. */
export type Screening = ComplianceVerdict | { busy: true };

const NO_HISTORY: ContactHistory = { attempts: [], refusedAt: null };

/**
 * The calling laws at the two checkpoints (claim, and right before the POST) and in the dry run:
 * the rule book loaded once at start-up, each lead's zones and its number's history, then
 * evaluate().
 */
@Injectable()
export class ComplianceService {
  private readonly logger = new Logger(ComplianceService.name);
  readonly book: RuleBook;

  constructor(@Inject(CLOCK) clock: Clock) {
    this.book = loadRuleBook(RULE_FILES, clock.now());
    for (const [id, why] of this.book.failures)
      this.logger.error(
        `calling rules of ${id} failed to load; its leads will not be called: ${why}`,
      );
  }

  /**
   * For a claim's candidates at once: the histories of the numbers the claim's candidates
   * statement locked (`number_locked`, see tryLockNumberSql), in one statement (instead of two per
   * lead). Pass the answer to screen() as `histories`: a number that needs its history and is
   * missing from it is held by another claim (busy).
   */
  async readClaimHistories(
    db: Queryable,
    campaign: ComplianceCampaignRow,
    leads: { phone: string; number_locked: boolean }[],
    now: Date,
  ): Promise<Map<string, ContactHistory>> {
    const settings = complianceOf(campaign.compliance);
    let attemptDays = 0;
    let refusalDays = 0;
    const phones: string[] = [];
    for (const lead of leads) {
      const look = lookback(lead.phone, settings, this.book);
      if (!lead.number_locked || (look.attemptDays === 0 && look.refusalDays === 0)) continue;
      phones.push(lead.phone);
      attemptDays = Math.max(attemptDays, look.attemptDays);
      refusalDays = Math.max(refusalDays, look.refusalDays);
    }
    return readLockedHistories(db, phones, now, { attemptDays, refusalDays });
  }

  /** How far back the number's history matters under the campaign's laws (0 and 0: not at all). */
  lookbackOf(
    campaign: ComplianceCampaignRow,
    phone: string,
  ): { attemptDays: number; refusalDays: number } {
    return lookback(phone, complianceOf(campaign.compliance), this.book);
  }

  /**
   * Screens a lead, with the number's history from `histories` (the claim's, read under its
   * number locks) or else read here; `excludeAttemptId` leaves the attempt being started out of
   * its own count.
   */
  async screen(
    db: Queryable,
    campaign: ComplianceCampaignRow,
    lead: ComplianceLeadRow,
    now: Date,
    opts: {
      excludeAttemptId?: string;
      /** From readClaimHistories: a number missing from it is held by another claim (busy). */
      histories?: Map<string, ContactHistory>;
    } = {},
  ): Promise<Screening> {
    const settings = complianceOf(campaign.compliance);
    const zones = await candidateZones(lead.phone, lead.timezone, campaign.timezone);
    const look = lookback(lead.phone, settings, this.book);
    let history = NO_HISTORY;
    if ((look.attemptDays > 0 || look.refusalDays > 0) && opts.histories) {
      const known = opts.histories.get(lead.phone);
      if (!known) return { busy: true };
      history = known;
    } else if (look.attemptDays > 0 || look.refusalDays > 0) {
      history = await contactHistory(db, lead.phone, now, look, opts.excludeAttemptId ?? null);
    }
    return evaluate(
      { phone: lead.phone, zones, contact_type: lead.contact_type, consent_at: lead.consent_at },
      { callingWindow: campaign.callingWindow, compliance: settings },
      now,
      history,
      this.book,
    );
  }

  /** The dry run of GET /v1/campaigns/{id}/eligibility (see eligibilityOf). */
  eligibility(db: Queryable, campaign: EligibilityCampaign, now: Date): Promise<Eligibility> {
    return eligibilityOf(db, this.book, campaign, now);
  }
}
