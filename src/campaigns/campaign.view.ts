import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ComplianceView } from './dto/compliance.dto';
import { complianceOf, type ComplianceSettings } from '../compliance/compliance-settings';
import { nextFireAfter } from '../common/cron';
import type { Qualification } from '../qualification/rules';
import type { CallingWindow } from '../windows/calling-window';
import type {
  AutoPause,
  Campaign,
  CampaignStatus,
  PausedReason,
  RetryPolicy,
} from './campaign.entity';
import { CAMPAIGN_STATUSES, PAUSED_REASONS } from './campaign.entity';
import { AutoPauseDto } from './dto/campaign-controls.dto';
import { CampaignProgress } from './campaign-progress';
import {
  CallingWindowDto,
  QualificationDto,
  RetryDto,
  ScheduleDto,
} from './dto/campaign-parts.dto';

/** A campaign as the API answers it: every setting, its status and times, and its progress. */
@ApiExtraModels(AutoPauseDto)
export class CampaignView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) agent_id: string;
  @ApiProperty({ type: [String] }) from_numbers: string[];
  @ApiProperty({ example: 'Europe/Paris' }) timezone: string;
  @ApiProperty({ type: CallingWindowDto }) calling_window: CallingWindow;
  @ApiProperty({ type: 'integer' }) max_concurrent_calls: number;
  @ApiProperty({ type: 'integer' }) max_calls_per_minute: number;
  @ApiProperty({ type: RetryDto }) retry: RetryPolicy;
  @ApiProperty({ type: ScheduleDto, nullable: true }) schedule: { cron: string } | null;
  @ApiProperty({ type: String, nullable: true }) default_country: string | null;
  @ApiProperty({ type: QualificationDto, nullable: true }) qualification: Qualification | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) variables: Record<
    string,
    string
  >;
  @ApiProperty({ type: String, nullable: true }) webhook_url: string | null;
  @ApiProperty({
    type: ComplianceView,
    description: 'Which calling laws apply (docs/COMPLIANCE.md).',
  })
  compliance: ComplianceSettings;
  @ApiPropertyOptional({
    description:
      'The webhook signing secret: present only in the answer that set `webhook_url` where there was none. Store it.',
  })
  webhook_secret?: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status: CampaignStatus;
  @ApiProperty({
    enum: ['running', 'scheduled'],
    nullable: true,
    description: 'While paused: the status resume returns to.',
  })
  resumes_to: 'running' | 'scheduled' | null;
  @ApiProperty({
    enum: PAUSED_REASONS,
    nullable: true,
    description:
      'While paused: why. `manual` (POST …/pause), `budget_reached` (max_cost), `failure_rate` (the circuit breaker, auto_pause), `platform_auth` (the platform answered 401/403 to a start), `platform_rejected` (the platform refused the campaign’s calls with another 4xx, e.g. an unknown from-number). Null otherwise; resume clears it.',
  })
  paused_reason: PausedReason | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { failure_rate: 0.6, failed_calls: 6, calls: 10, window_minutes: 2, threshold: 0.5 },
    description:
      'While paused by a control: its figures (budget_reached: spent, expected_live, max_cost; failure_rate: failed_calls, calls, failure_rate, threshold, window_minutes; platform_*: http_status, message). Null otherwise.',
  })
  paused_detail: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ends_at: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) max_calls_per_day: number | null;
  @ApiProperty({ type: Number, nullable: true }) max_cost: number | null;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(AutoPauseDto) }, { type: 'boolean', enum: [false] }],
    description: 'The circuit breaker’s settings, or false when off.',
  })
  auto_pause: AutoPause | false;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was first started.',
  })
  started_at: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it became completed or cancelled.',
  })
  completed_at: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The next time the schedule fires (null without schedule, or once completed or cancelled).',
  })
  next_run_at: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description:
      'The agent’s post-call questions as last fetched from the platform (null: not fetched yet).',
  })
  questions: unknown[] | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) questions_fetched_at:
    string | null;
  @ApiProperty({ type: CampaignProgress }) progress: CampaignProgress;
}

export class CampaignPage {
  @ApiProperty({ type: [CampaignView], description: 'Newest first.' }) data: CampaignView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  next_cursor: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function nextRunAt(c: Campaign, now: Date): string | null {
  if (!c.schedule || c.status === 'completed' || c.status === 'cancelled') return null;
  try {
    const from = c.scheduleFrom && c.scheduleFrom > now ? c.scheduleFrom : now;
    return nextFireAfter(c.schedule.cron, c.timezone, from).toISOString();
  } catch {
    return null;
  }
}

export function toCampaignView(
  c: Campaign,
  progress: CampaignProgress,
  now: Date,
  webhookSecret?: string,
): CampaignView {
  const view: CampaignView = {
    id: c.id,
    name: c.name,
    agent_id: c.agentId,
    from_numbers: c.fromNumbers,
    timezone: c.timezone,
    calling_window: c.callingWindow,
    max_concurrent_calls: c.maxConcurrentCalls,
    max_calls_per_minute: c.maxCallsPerMinute,
    retry: c.retry,
    schedule: c.schedule,
    default_country: c.defaultCountry,
    qualification: c.qualification,
    variables: c.variables ?? {},
    webhook_url: c.webhookUrl,
    compliance: complianceOf(c.compliance),
    status: c.status,
    resumes_to: c.status === 'paused' ? c.pausedFrom : null,
    paused_reason: c.status === 'paused' ? c.pausedReason : null,
    paused_detail: c.status === 'paused' ? c.pausedDetail : null,
    ends_at: iso(c.endsAt),
    max_calls_per_day: c.maxCallsPerDay,
    max_cost: c.maxCost === null ? null : Number(c.maxCost),
    auto_pause: c.autoPause,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    started_at: iso(c.startedAt),
    completed_at: iso(c.completedAt),
    next_run_at: nextRunAt(c, now),
    questions: c.questions,
    questions_fetched_at: iso(c.questionsFetchedAt),
    progress,
  };
  if (webhookSecret) view.webhook_secret = webhookSecret;
  return view;
}
