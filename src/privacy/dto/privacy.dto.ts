import { WEBHOOK_EVENT_TYPES } from '../../webhooks/webhook-event.entity';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ATTEMPT_STATES } from '../../common/attempt-states';
import { LEAD_STATUSES } from '../../leads/lead-statuses';

export class ErasePersonDto {
  @ApiProperty({ example: '+33612345678', description: 'The person’s number, E.164.' })
  @IsString()
  @MaxLength(40)
  phone: string;
}

export class ExportPersonQuery {
  @ApiProperty({ example: '+33612345678', description: 'The person’s number, E.164 (+ as %2B).' })
  @IsString()
  @MaxLength(40)
  phone: string;
}

const INT = 'integer' as const;
const WHEN = { type: String, format: 'date-time' } as const;
const WHEN_OR_NULL = { ...WHEN, nullable: true } as const;
const TEXT_OR_NULL = { type: String, nullable: true } as const;
/** The typed answers, by question name, or null. */
const ANSWERS = { type: 'object', additionalProperties: true, nullable: true } as const;
/** The platform's post-call answers as it sent them, or null. */
const PLATFORM_ANSWERS = {
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  nullable: true,
} as const;

export class ErasureResultDto {
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({ type: INT, description: 'Leads whose phone, variables and answers were removed.' })
  leads_erased: number;
  @ApiProperty({
    type: INT,
    description: 'Campaigns those leads belonged to (their totals keep counting them).',
  })
  campaigns: number;
  @ApiProperty({ type: INT, description: 'Call attempts whose number and answers were removed.' })
  call_attempts_erased: number;
  @ApiProperty({
    type: INT,
    description: 'CRM events not yet delivered, removed (they will never be sent).',
  })
  webhook_events_removed: number;
  @ApiProperty({ type: INT, description: 'Delivered CRM events whose stored payload was emptied.' })
  webhook_events_emptied: number;
  @ApiProperty({
    description: 'Test calls to the number whose number, variables and answers were removed.',
  })
  test_calls_erased: number;
  @ApiProperty({
    description: 'Rejected rows of lead imports (kept for errors.csv) holding the number, removed.',
  })
  rejected_rows_removed: number;
  @ApiProperty({
    enum: ['added', 'already_listed'],
    description:
      'The number stays on the do-not-call list (reason `erased`): the one thing kept, so it is never called again.',
  })
  do_not_call: 'added' | 'already_listed';
}

export class ExportedDoNotCallDto {
  @ApiProperty(TEXT_OR_NULL) reason: string | null;
  @ApiProperty(WHEN) created_at: string;
}

export class ExportedCampaignRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class ExportedCallDto {
  @ApiProperty({ type: INT }) attempt_number: number;
  @ApiProperty(TEXT_OR_NULL) call_id: string | null;
  @ApiProperty() from_number: string;
  @ApiProperty({ enum: ATTEMPT_STATES }) state: string;
  @ApiProperty(TEXT_OR_NULL) outcome: string | null;
  @ApiProperty(TEXT_OR_NULL) call_status: string | null;
  @ApiProperty(WHEN) requested_at: string;
  @ApiProperty(WHEN_OR_NULL) started_at: string | null;
  @ApiProperty(WHEN_OR_NULL) ended_at: string | null;
  @ApiProperty({ type: Number, nullable: true }) duration_seconds: number | null;
  @ApiProperty({ type: Number, nullable: true }) cost: number | null;
  @ApiProperty(ANSWERS) answers: Record<string, unknown> | null;
  @ApiProperty(PLATFORM_ANSWERS) post_call_answers: Record<string, unknown>[] | null;
}

export class ExportedLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ExportedCampaignRefDto }) campaign: ExportedCampaignRefDto;
  @ApiProperty({ enum: LEAD_STATUSES }) status: string;
  @ApiProperty(TEXT_OR_NULL) status_reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  variables: Record<string, string>;
  @ApiProperty(TEXT_OR_NULL) timezone: string | null;
  @ApiProperty(ANSWERS) answers: Record<string, unknown> | null;
  @ApiProperty({ type: Boolean, nullable: true }) qualified: boolean | null;
  @ApiProperty({ type: INT }) attempts: number;
  @ApiProperty(TEXT_OR_NULL) last_call_id: string | null;
  @ApiProperty(TEXT_OR_NULL) last_call_status: string | null;
  @ApiProperty(WHEN) created_at: string;
  @ApiProperty(WHEN) updated_at: string;
  @ApiProperty({ type: [ExportedCallDto], description: 'Each call attempt, in order.' })
  calls: ExportedCallDto[];
}

export class ExportedWebhookEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaign_id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) lead_id: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) type: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty(WHEN) created_at: string;
  @ApiProperty(WHEN_OR_NULL) delivered_at: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The payload as stored (emptied once delivered to an erased person).',
  })
  data: Record<string, unknown>;
}

export class PersonExportDto {
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({ format: 'date-time' }) exported_at: string;
  @ApiProperty({
    type: ExportedDoNotCallDto,
    nullable: true,
    description: 'The do-not-call entry, or null.',
  })
  do_not_call: ExportedDoNotCallDto | null;
  @ApiProperty({
    type: [ExportedLeadDto],
    description: 'Every lead with this number, in every campaign, with each call attempt.',
  })
  leads: ExportedLeadDto[];
  @ApiProperty({
    type: [ExportedWebhookEventDto],
    description: 'The CRM events about those leads, with the data they carry.',
  })
  webhook_events: ExportedWebhookEventDto[];
}
