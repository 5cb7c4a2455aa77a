import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail, changes } from '../audit/audit-trail.service';
import type { PlatformQuestion } from '../callrounded/callrounded.types';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../core/runtime';
import { generateWebhookSecret } from '../webhooks/webhook-signature';
import { WebhookUrlGuard } from '../webhooks/webhook-url-guard.service';
import { canonicalZone } from '../windows/time-zones';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { Qualification } from '../qualification/rules';
import { auditedSettings } from './campaign-audit';
import { Campaign } from './campaign.entity';
import {
  DEFAULT_AUTO_PAUSE,
  DEFAULT_CALLING_WINDOW,
  DEFAULT_MAX_CALLS_PER_MINUTE,
  DEFAULT_MAX_CONCURRENT_CALLS,
  DEFAULT_RETRY,
  defaultTimezone,
  mergeAutoPause,
  mergeRetry,
  mergeWindow,
} from './campaign-defaults';
import { loadProgress } from './campaign-progress';
import { CampaignQuestions } from './campaign-questions';
import { CampaignPage, CampaignView, toCampaignView } from './campaign.view';
import type { CampaignSettingsDto } from './dto/campaign-settings.dto';
import type { CreateCampaignDto, UpdateCampaignDto } from './dto/create-campaign.dto';
import type { ListCampaignsQuery } from './dto/list-campaigns.query';
import { CampaignsRepository } from './campaigns.repository';
import { complianceOf, type ComplianceSettings } from '../compliance/compliance-settings';
import { ComplianceService } from '../compliance/compliance.service';
import type { Eligibility } from '../compliance/eligibility';

/** A page ends at a campaign: its creation time in microseconds (exact) and its id. */
const CURSOR_TAG = 'campaigns';

/** Campaign settings: create, read, change, delete. State moves live in CampaignLifecycle. */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly questions: CampaignQuestions,
    private readonly audit: AuditTrail,
    private readonly webhookUrls: WebhookUrlGuard,
    private readonly config: AppConfig,
    private readonly compliance: ComplianceService,
    private readonly campaignRows: CampaignsRepository,
  ) {}

  async create(dto: CreateCampaignDto): Promise<CampaignView> {
    this.assertControlsValid(dto);
    if (dto.webhook_url) await this.webhookUrls.assertSavable(dto.webhook_url);
    const questions = await this.questions.fetch(dto.agent_id);
    const qualification = normalizeQualification(dto.qualification);
    this.questions.assertRulesValid(qualification, questions);
    const compliance = mergeCompliance(complianceOf(null), dto.compliance);
    this.questions.assertComplianceQuestionsValid(compliance, questions);
    const now = this.clock.now();
    const secret = dto.webhook_url ? generateWebhookSecret() : undefined;
    const campaign = this.db.getRepository(Campaign).create({
      name: dto.name.trim(),
      agentId: dto.agent_id.toLowerCase(),
      fromNumbers: dto.from_numbers,
      timezone: canonicalZone(dto.timezone) ?? (await defaultTimezone(dto.from_numbers)),
      callingWindow: mergeWindow(DEFAULT_CALLING_WINDOW, dto.calling_window),
      maxConcurrentCalls: dto.max_concurrent_calls ?? DEFAULT_MAX_CONCURRENT_CALLS,
      maxCallsPerMinute: dto.max_calls_per_minute ?? DEFAULT_MAX_CALLS_PER_MINUTE,
      retry: mergeRetry(DEFAULT_RETRY, dto.retry),
      schedule: dto.schedule ? { cron: dto.schedule.cron.trim() } : null,
      defaultCountry: dto.default_country ?? null,
      qualification,
      variables: { ...(dto.variables ?? {}) },
      compliance,
      questions,
      questionsFetchedAt: questions ? now : null,
      webhookUrl: dto.webhook_url ?? null,
      webhookSecret: secret ?? null,
      endsAt: dto.ends_at ? new Date(dto.ends_at) : null,
      maxCallsPerDay: dto.max_calls_per_day ?? null,
      maxCost: dto.max_cost == null ? null : String(dto.max_cost),
      autoPause: mergeAutoPause(DEFAULT_AUTO_PAUSE, dto.auto_pause),
      pausedReason: null,
      pausedDetail: null,
      resumedAt: null,
      status: 'draft',
      pausedFrom: null,
      scheduleFrom: null,
      startedAt: null,
      completedAt: null,
    });
    const saved = await this.db.transaction(async (tx) => {
      const row = await tx.getRepository(Campaign).save(campaign);
      await this.audit.record(tx, {
        action: 'campaign.create',
        targetType: 'campaign',
        targetId: row.id,
        summary: { settings: auditedSettings(row) },
      });
      return row;
    });
    return this.view(saved, this.db, secret);
  }

  async list(query: ListCampaignsQuery): Promise<CampaignPage> {
    const limit = query.limit ?? 50;
    const qb = this.db
      .getRepository(Campaign)
      .createQueryBuilder('c')
      // Microseconds, exactly: a millisecond Date would skip or repeat rows at page edges.
      .addSelect(`(extract(epoch FROM c.created_at) * 1000000)::bigint::text`, 'created_us')
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.cursor) {
      const [us, cid] = decodeCursor(CURSOR_TAG, query.cursor, ['micros', 'uuid']);
      qb.andWhere(
        `(c.created_at, c.id) < (timestamptz 'epoch' + CAST(:us AS bigint) * interval '1 microsecond', CAST(:cid AS uuid))`,
        { us, cid },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{ created_us: string }>();
    const page = entities.slice(0, limit);
    const progress = await loadProgress(
      this.db,
      page.map((c) => c.id),
    );
    const now = this.clock.now();
    const last = page[page.length - 1];
    return {
      data: page.map((c) => toCampaignView(c, progress.get(c.id)!, now)),
      next_cursor:
        entities.length > limit
          ? encodeCursor(CURSOR_TAG, raw[page.length - 1].created_us, last.id)
          : null,
    };
  }

  async get(id: string): Promise<CampaignView> {
    return this.view(await this.find(this.db.manager, id), this.db);
  }

  /** Who would be called, when, and why not: computed, nobody is called. */
  async eligibility(id: string): Promise<Eligibility> {
    const campaign = await this.find(this.db.manager, id);
    return this.compliance.eligibility(this.db, campaign, this.clock.now());
  }

  async update(id: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    this.assertControlsValid(dto);
    if (dto.webhook_url) await this.webhookUrls.assertSavable(dto.webhook_url);
    const before = await this.find(this.db.manager, id);
    const agentChanges =
      dto.agent_id !== undefined && dto.agent_id.toLowerCase() !== before.agentId;
    const agentId = agentChanges ? dto.agent_id!.toLowerCase() : before.agentId;
    // Fetched before the transaction: no row lock is held while the platform answers.
    // An unknown agent is reported after the edit checks: a locked campaign answers 409 first.
    const fetchedOrRefusal: PlatformQuestion[] | null | undefined | Error =
      agentChanges || dto.qualification
        ? await this.questions.fetch(agentId).catch((err: Error) => err)
        : undefined;
    const fetched = fetchedOrRefusal instanceof Error ? undefined : fetchedOrRefusal;

    let secret: string | undefined;
    const saved = await this.db.transaction(async (tx) => {
      const c = await this.find(tx, id, true);
      assertEditable(c, dto, agentChanges);
      if (fetchedOrRefusal instanceof Error) throw fetchedOrRefusal;
      const settingsBefore = auditedSettings(c);
      const now = this.clock.now();
      if (agentChanges) {
        c.agentId = agentId;
        c.questions = null;
        c.questionsFetchedAt = null;
      }
      if (fetched) {
        c.questions = fetched;
        c.questionsFetchedAt = now;
      }
      if (dto.qualification !== undefined)
        c.qualification = normalizeQualification(dto.qualification);
      if (dto.qualification !== undefined || agentChanges) {
        this.questions.assertRulesValid(c.qualification, fetched ?? c.questions);
      }
      applySettings(c, dto);
      if (dto.compliance !== undefined || agentChanges) {
        c.compliance = mergeCompliance(complianceOf(c.compliance), dto.compliance);
        this.questions.assertComplianceQuestionsValid(c.compliance, fetched ?? c.questions);
      }
      if (dto.name !== undefined) c.name = dto.name.trim();
      if (dto.from_numbers !== undefined) c.fromNumbers = dto.from_numbers;
      if (dto.webhook_url !== undefined) {
        if (dto.webhook_url === null) c.webhookSecret = null;
        else if (!c.webhookUrl || !c.webhookSecret)
          c.webhookSecret = secret = generateWebhookSecret();
        c.webhookUrl = dto.webhook_url;
      }
      const timing = dto.schedule !== undefined || dto.timezone !== undefined;
      // A new cron (or zone) must not fire at once for a time it already passed.
      if (timing && c.status !== 'draft') c.scheduleFrom = now;
      const row = await tx.getRepository(Campaign).save(c);
      await this.audit.record(tx, {
        action: 'campaign.update',
        targetType: 'campaign',
        targetId: id,
        summary: {
          changes: changes(settingsBefore, auditedSettings(row)),
          ...(secret ? { webhook_secret: 'generated' } : {}),
        },
      });
      return row;
    });
    return this.view(saved, this.db, secret);
  }

  async remove(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const c = await this.find(tx, id, true);
      if (c.status === 'running') {
        throw new ConflictException('campaign is running: pause or cancel it before deleting it');
      }
      const live = await this.campaignRows.callsInProgress(tx, id);
      if (live > 0) {
        throw new ConflictException(
          `campaign still has ${live} call(s) in progress: wait for them to end (or cancel the campaign) before deleting it`,
        );
      }
      await tx.query(`DELETE FROM campaigns WHERE id = $1`, [id]);
      await this.audit.record(tx, {
        action: 'campaign.delete',
        targetType: 'campaign',
        targetId: id,
        summary: { name: c.name, status: c.status },
      });
    });
  }

  /**
   * The checks that need more than the body: `retry.by_status` names statuses that end a call
   * (missed, failed, or one of CALLROUNDED_TERMINAL_STATUSES not mapped to completed), and
   * `ends_at` is in the future.
   */
  private assertControlsValid(dto: CampaignSettingsDto): void {
    const details: { field: string; message: string }[] = [];
    const extra = this.config.extraTerminalStatuses;
    const known = [
      'missed',
      'failed',
      ...Object.keys(extra).filter((s) => extra[s] !== 'completed'),
    ];
    for (const status of dto.retry?.by_status?.keys() ?? []) {
      if (!known.includes(status)) {
        details.push({
          field: `retry.by_status.${status}`,
          message: `retry.by_status.${status}: "${status}" is not a status that ends a call unreached; use one of ${known.join(', ')} (statuses are added with CALLROUNDED_TERMINAL_STATUSES)`,
        });
      }
    }
    if (dto.ends_at && Date.parse(dto.ends_at) <= this.clock.now().getTime()) {
      details.push({
        field: 'ends_at',
        message: `ends_at must be in the future (got ${dto.ends_at})`,
      });
    }
    if (details.length > 0) {
      throw new BadRequestException({
        message: details.map((d) => d.message).join('; '),
        details,
      });
    }
  }

  /** The campaign, optionally locked FOR UPDATE in `tx`; 404 when it does not exist. */
  async find(tx: EntityManager, id: string, lock = false): Promise<Campaign> {
    const campaign = await tx.getRepository(Campaign).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!campaign) throw new NotFoundException(`campaign ${id} does not exist`);
    return campaign;
  }

  async view(
    c: Campaign,
    db: DataSource | EntityManager,
    webhookSecret?: string,
  ): Promise<CampaignView> {
    const progress = await loadProgress(db, [c.id]);
    return toCampaignView(c, progress.get(c.id)!, this.clock.now(), webhookSecret);
  }
}

function normalizeQualification(q: CampaignSettingsDto['qualification']): Qualification | null {
  if (!q) return null;
  const rules = q.rules.map((r) => {
    const rule: Qualification['rules'][number] = { question: r.question };
    if (r.equals !== undefined) rule.equals = r.equals;
    if (r.in !== undefined) rule.in = r.in;
    if (r.gte !== undefined) rule.gte = r.gte;
    if (r.lte !== undefined) rule.lte = r.lte;
    return rule;
  });
  return { match: q.match ?? 'all', rules };
}

/** A compliance setting with the given keys replacing the base's. */
function mergeCompliance(
  base: ComplianceSettings,
  patch: CampaignSettingsDto['compliance'],
): ComplianceSettings {
  const out: ComplianceSettings = { ...base };
  if (!patch) return out;
  if (patch.rules !== undefined)
    out.rules = Array.isArray(patch.rules) ? [...patch.rules] : patch.rules;
  if (patch.contact_type !== undefined) out.contact_type = patch.contact_type;
  if (patch.refusal_question !== undefined) out.refusal_question = patch.refusal_question;
  if (patch.opt_out_question !== undefined) out.opt_out_question = patch.opt_out_question;
  if (patch.max_contacts !== undefined)
    out.max_contacts = patch.max_contacts
      ? { count: patch.max_contacts.count, days: patch.max_contacts.days }
      : null;
  if (patch.conservative_holidays !== undefined)
    out.conservative_holidays = patch.conservative_holidays;
  return out;
}

/** The settings shared by creation and change, on an existing campaign. */
function applySettings(c: Campaign, dto: CampaignSettingsDto): void {
  if (dto.timezone !== undefined) c.timezone = canonicalZone(dto.timezone) ?? c.timezone;
  if (dto.calling_window !== undefined)
    c.callingWindow = mergeWindow(c.callingWindow, dto.calling_window);
  if (dto.max_concurrent_calls !== undefined) c.maxConcurrentCalls = dto.max_concurrent_calls;
  if (dto.max_calls_per_minute !== undefined) c.maxCallsPerMinute = dto.max_calls_per_minute;
  if (dto.retry !== undefined) c.retry = mergeRetry(c.retry, dto.retry);
  if (dto.schedule !== undefined)
    c.schedule = dto.schedule ? { cron: dto.schedule.cron.trim() } : null;
  if (dto.default_country !== undefined) c.defaultCountry = dto.default_country;
  if (dto.variables !== undefined) c.variables = { ...dto.variables };
  if (dto.ends_at !== undefined) c.endsAt = dto.ends_at ? new Date(dto.ends_at) : null;
  if (dto.max_calls_per_day !== undefined) c.maxCallsPerDay = dto.max_calls_per_day;
  if (dto.max_cost !== undefined) c.maxCost = dto.max_cost === null ? null : String(dto.max_cost);
  if (dto.auto_pause !== undefined) c.autoPause = mergeAutoPause(c.autoPause, dto.auto_pause);
}

/** What may change in each status (409 otherwise). */
function assertEditable(c: Campaign, dto: UpdateCampaignDto, agentChanges: boolean): void {
  if (c.status === 'completed' || c.status === 'cancelled') {
    throw new ConflictException(`campaign is ${c.status}: it can no longer change`);
  }
  if (agentChanges && c.status !== 'draft') {
    throw new ConflictException(
      `agent_id can change only while the campaign is a draft (it is ${c.status}): its calls and questions belong to the current agent`,
    );
  }
  if (dto.schedule === null && c.status === 'scheduled') {
    throw new ConflictException(
      'campaign is scheduled: removing its schedule would leave it waiting forever; pause it first (resume then runs it now) or cancel it',
    );
  }
}
