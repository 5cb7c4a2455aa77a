import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CountryCode } from 'libphonenumber-js/max';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { AmbiguousCallStartError, CallRoundedClient } from '../callrounded';
import { CampaignsRepository } from './campaigns.repository';
import { classifyCallStatus } from '../callrounded/call-status';
import { TooManyRequestsException } from '../common/too-many-requests';
import { CLOCK, type Clock } from '../core/runtime';
import { normalizePhone } from '../leads/csv/phone-normalizer';
import { typeAnswers } from '../qualification/answer-typing';
import { questionInfos } from '../qualification/question-kind';
import { CallingWindowService } from '../windows/calling-window.service';
import { ComplianceService } from '../compliance/compliance.service';
import type { Campaign } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import type { TestCallDto, TestCallView } from './dto/test-call.dto';

/** Test calls a campaign may place in any rolling hour. */
export const TEST_CALLS_PER_HOUR = 10;
const HOUR_MS = 60 * 60_000;
const LISTED = 100;
/** How long after its end a completed call's post-call answers are waited for. */
const ANSWERS_WAIT_MS = 15 * 60_000;

interface TestCallRow {
  id: string;
  campaign_id: string;
  lead_id: string | null;
  to_number: string;
  from_number: string;
  variables: Record<string, unknown>;
  status: string;
  call_id: string | null;
  answers: Record<string, unknown> | null;
  duration_seconds: string | null;
  error: string | null;
  created_at: Date;
  ended_at: Date | null;
  final: boolean;
}

/**
 * One real call with a campaign's agent and from-number to the user's own phone, with a lead's
 * variables (or given ones), before the batch goes out. It honours the do-not-call list and the
 * campaign's calling window in the number's zones, and the calling laws as the dialler applies
 * them (hours, holidays, caps, cool-down; the consent is the request itself); it is kept in `test_calls`, not in leads or call attempts, so it
 * never counts in the campaign's progress, report or caps. At most TEST_CALLS_PER_HOUR per
 * campaign in any hour (429 with Retry-After).
 */
@Injectable()
export class TestCallsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly platform: CallRoundedClient,
    private readonly windows: CallingWindowService,
    private readonly compliance: ComplianceService,
    private readonly audit: AuditTrail,
    private readonly campaignRows: CampaignsRepository,
  ) {}

  async place(campaignId: string, dto: TestCallDto): Promise<TestCallView> {
    const campaign = await this.campaigns.find(this.db.manager, campaignId);
    if (campaign.status === 'cancelled') {
      throw new ConflictException('The campaign is cancelled: it places no call');
    }
    const to = this.toNumber(dto.to_number, campaign);
    const variables = {
      ...(campaign.variables ?? {}),
      ...(await this.leadVariables(campaign, dto)),
      ...(dto.variables ?? {}),
    };
    await this.assertCallable(campaign, to);
    const from = campaign.fromNumbers[0];
    const row = await this.reserve(campaign.id, dto.lead_id ?? null, to, from, variables);
    try {
      const { call_id } = await this.platform.startPhoneCall({
        from_number: from,
        to_number: to,
        agent_id: campaign.agentId,
        dynamic_variables_values: variables,
      });
      return toView(await this.update(row.id, { status: 'created', call_id }));
    } catch (err) {
      const ambiguous = err instanceof AmbiguousCallStartError;
      const message = err instanceof Error ? err.message : String(err);
      const saved = await this.update(row.id, {
        status: ambiguous ? 'unknown' : 'not_started',
        error: ambiguous
          ? `the platform's answer was lost: the call may have started (${message})`
          : message,
      });
      if (ambiguous) return toView(saved);
      throw new BadGatewayException(`The platform did not start the test call: ${message}`);
    }
  }

  /** The campaign's test calls, newest first; calls not yet ended are read again from the platform. */
  async list(campaignId: string): Promise<TestCallView[]> {
    const campaign = await this.campaigns.find(this.db.manager, campaignId);
    const rows = await this.db.query<TestCallRow[]>(
      `SELECT * FROM test_calls WHERE campaign_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [campaignId, LISTED],
    );
    const questions = questionInfos(campaign.questions);
    const fresh = await Promise.all(
      rows.map((r) => (r.call_id && !r.final ? this.refresh(r, questions) : Promise.resolve(r))),
    );
    return fresh.map(toView);
  }

  private toNumber(raw: string, campaign: Campaign): string {
    const phone = normalizePhone(
      raw,
      (campaign.defaultCountry ?? undefined) as CountryCode | undefined,
    );
    if (!phone.ok) {
      throw new BadRequestException({
        message: `to_number: ${phone.message}`,
        details: [{ field: 'to_number', message: phone.message }],
      });
    }
    return phone.e164;
  }

  private async leadVariables(
    campaign: Campaign,
    dto: TestCallDto,
  ): Promise<Record<string, unknown>> {
    if (!dto.lead_id) return {};
    const [lead] = await this.db.query<{ variables: Record<string, unknown> }[]>(
      'SELECT variables FROM leads WHERE id = $1 AND campaign_id = $2',
      [dto.lead_id, campaign.id],
    );
    if (!lead)
      throw new NotFoundException(`Lead ${dto.lead_id} not found in campaign ${campaign.id}`);
    return lead.variables ?? {};
  }

  /** The do-not-call list, the calling window in every zone the number may be in, then the calling laws. */
  private async assertCallable(campaign: Campaign, to: string): Promise<void> {
    const suppressed = await this.db.query<unknown[]>(
      'SELECT 1 FROM suppressions WHERE phone = $1',
      [to],
    );
    if (suppressed.length > 0) {
      throw new ConflictException({
        message: `${to} is on the do-not-call list: no call, not even a test call`,
        details: [{ field: 'to_number', message: 'on the do-not-call list' }],
      });
    }
    const now = this.clock.now();
    const window = await this.windows.evaluate(campaign, { phone: to, timezone: null }, now);
    if (!window.allowed) {
      const next = window.next_open_at
        ? `; it next opens at ${window.next_open_at.toISOString()}`
        : '';
      throw new ConflictException({
        message: `${to} may not be called now: ${window.reason ?? 'outside the campaign’s calling window'}${next}`,
        details: [{ field: 'to_number', message: 'outside the calling window' }],
      });
    }
    // The person asking for the call to their own phone consents by asking.
    const law = await this.compliance.screen(
      this.db,
      campaign,
      { phone: to, timezone: null, contact_type: null, consent_at: now },
      now,
    );
    if ('final' in law || ('allowed' in law && !law.allowed)) {
      const next =
        'next_allowed_at' in law ? `; allowed from ${law.next_allowed_at.toISOString()}` : '';
      throw new ConflictException({
        message: `${to} may not be called now: ${law.reason}${next}`,
        details: [{ field: 'to_number', message: 'the calling laws forbid this call now' }],
      });
    }
  }

  /** Counts the last hour's test calls and records this one, under the campaign's row lock. */
  private reserve(
    campaignId: string,
    leadId: string | null,
    to: string,
    from: string,
    variables: Record<string, unknown>,
  ): Promise<TestCallRow> {
    return this.db.transaction(async (tx) => {
      await this.campaignRows.lock(tx, campaignId);
      const now = this.clock.now();
      const since = new Date(now.getTime() - HOUR_MS);
      const recent = await tx.query<{ created_at: Date }[]>(
        `SELECT created_at FROM test_calls WHERE campaign_id = $1 AND created_at > $2 ORDER BY created_at`,
        [campaignId, since],
      );
      if (recent.length >= TEST_CALLS_PER_HOUR) {
        const freeAt = recent[recent.length - TEST_CALLS_PER_HOUR].created_at.getTime() + HOUR_MS;
        const wait = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
        throw new TooManyRequestsException(
          `At most ${TEST_CALLS_PER_HOUR} test calls per campaign per hour: the next one is possible in ${wait} s`,
          wait,
        );
      }
      const [row] = await tx.query<TestCallRow[]>(
        `INSERT INTO test_calls (campaign_id, lead_id, to_number, from_number, variables, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, 'starting', $6, $6) RETURNING *`,
        [campaignId, leadId, to, from, JSON.stringify(variables), now],
      );
      await this.audit.record(tx, {
        action: 'campaign.test_call',
        targetType: 'campaign',
        targetId: campaignId,
        summary: { test_call_id: row.id, lead_id: leadId },
      });
      return row;
    });
  }

  private async update(
    id: string,
    change: { status: string; call_id?: string; error?: string },
  ): Promise<TestCallRow> {
    // An UPDATE answers [rows, count] through TypeORM's PostgreSQL driver.
    const [rows] = await this.db.query<[TestCallRow[], number]>(
      `UPDATE test_calls SET status = $2, call_id = coalesce($3, call_id), error = $4, updated_at = $5
        WHERE id = $1 RETURNING *`,
      [id, change.status, change.call_id ?? null, change.error ?? null, this.clock.now()],
    );
    return rows[0];
  }

  /** The call as the platform sees it now; the stored row when the platform cannot be read. */
  private async refresh(
    row: TestCallRow,
    questions: ReturnType<typeof questionInfos>,
  ): Promise<TestCallRow> {
    try {
      const call = await this.platform.getCall(row.call_id!);
      const now = this.clock.now();
      const ended = classifyCallStatus(call.status) === 'terminal';
      const endedAt = ended ? (call.end_time ? new Date(call.end_time) : now) : null;
      const typed = ended ? typeAnswers(call.post_call_answers, questions) : {};
      // null until there are answers: they come a little after a completed call ends, and the
      // call is read again until they do.
      const answers = Object.keys(typed).length > 0 ? typed : null;
      const final =
        ended &&
        (call.status !== 'completed' ||
          answers !== null ||
          now.getTime() - endedAt!.getTime() > ANSWERS_WAIT_MS);
      const [updated] = await this.db.query<[TestCallRow[], number]>(
        `UPDATE test_calls SET status = $2, answers = $3::jsonb, duration_seconds = $4, ended_at = $5,
           final = $6, updated_at = $7
          WHERE id = $1 RETURNING *`,
        [
          row.id,
          call.status,
          answers ? JSON.stringify(answers) : null,
          call.duration_seconds,
          endedAt,
          final,
          now,
        ],
      );
      return updated[0];
    } catch {
      return row;
    }
  }
}

function toView(r: TestCallRow): TestCallView {
  return {
    id: r.id,
    campaign_id: r.campaign_id,
    lead_id: r.lead_id,
    to_number: r.to_number,
    from_number: r.from_number,
    status: r.status,
    call_id: r.call_id,
    variables: r.variables,
    answers: r.answers,
    duration_seconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
    error: r.error,
    created_at: r.created_at.toISOString(),
    ended_at: r.ended_at?.toISOString() ?? null,
  };
}
