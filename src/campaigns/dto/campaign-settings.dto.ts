import { ApiExtraModels, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AutoPauseDto, toAutoPause } from './campaign-controls.dto';
import { CallingWindowDto, QualificationDto, RetryDto, ScheduleDto } from './campaign-parts.dto';
import { ComplianceDto } from './compliance.dto';
import {
  IsCountryCode,
  IsDateTimeOrNull,
  IsIanaTimeZone,
  IsOptionalNotNull,
  IsVariableMap,
  IsWebhookUrl,
} from './field-rules';

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/**
 * The settings every campaign has, all optional (defaults fill them at creation). Nullable ones
 * (`schedule`, `default_country`, `qualification`, `webhook_url`) accept null to clear them.
 */
@ApiExtraModels(AutoPauseDto)
export class CampaignSettingsDto {
  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description:
      'IANA zone of the schedule, and of leads whose number gives no zone. Default: the zone of the first from-number when it has exactly one, else UTC.',
  })
  @IsOptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({
    type: CallingWindowDto,
    description:
      'When leads may be called, in each lead’s own time zone. Default: mon–fri 10:00–13:00 and 14:00–18:00. Keys left out keep their current (or default) value.',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => CallingWindowDto)
  calling_window?: CallingWindowDto;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    example: 10,
    description: 'Calls in progress at once, across every instance. Default 10.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1000)
  max_concurrent_calls?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 6000,
    example: 60,
    description: 'Call starts in any 60-second window, across every instance. Default 60.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(6000)
  max_calls_per_minute?: number;

  @ApiPropertyOptional({
    type: RetryDto,
    description:
      'Retry policy. Default {"max_attempts": 3, "delay_minutes": 60, "on": ["missed", "failed"]}. Keys left out keep their current (or default) value.',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryDto)
  retry?: RetryDto;

  @ApiPropertyOptional({
    type: ScheduleDto,
    nullable: true,
    description:
      'Runs started by the clock once the campaign is started; null (default): only by hand.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto | null;

  @ApiPropertyOptional({
    type: String,
    example: 'FR',
    nullable: true,
    description:
      'ISO 3166-1 alpha-2 country of lead numbers written without a country code. Default null.',
  })
  @IsOptional()
  @Transform(upperCase)
  @IsCountryCode()
  default_country?: string | null;

  @ApiPropertyOptional({
    type: QualificationDto,
    nullable: true,
    description:
      'Rules on post-call answers that make a lead qualified; checked against the agent’s questions. Default null.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QualificationDto)
  qualification?: QualificationDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { offer: 'Black Friday -20%' },
    description:
      'Dynamic variables sent with every call of the campaign; a lead’s own columns win. Default {}.',
  })
  @IsOptionalNotNull()
  @IsVariableMap()
  variables?: Record<string, string>;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    example: 'https://crm.example.com/hooks/calls',
    nullable: true,
    description:
      'Where qualified leads and the campaign’s completion are POSTed, signed with the campaign’s webhook secret. Setting it (at creation or by PATCH when there was none) answers a new `webhook_secret`, shown only then.',
  })
  @IsOptional()
  @IsWebhookUrl()
  webhook_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-12-24T18:00:00+01:00',
    description:
      'No call starts at or after this instant; the leads still waiting then become `expired` and the campaign completes. Must be in the future when set. Default null: no end.',
  })
  @IsOptional()
  @IsDateTimeOrNull()
  ends_at?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1000000,
    nullable: true,
    example: 500,
    description:
      'Calls started per calendar day in the campaign’s time zone, across every instance; starts wait for the next local midnight once it is reached. Default null: no cap.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  max_calls_per_day?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 250,
    description:
      'Budget, in the platform’s cost unit: no call starts once the cost of finished calls plus the expected cost of live ones (their number × the mean cost per finished call) reaches it; the campaign then pauses with `paused_reason: budget_reached`. Default null: no budget.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'max_cost must be above 0' })
  @Max(1e9)
  max_cost?: number | null;

  @ApiPropertyOptional({
    oneOf: [{ $ref: getSchemaPath(AutoPauseDto) }, { type: 'boolean', enum: [false] }],
    example: { failure_rate: 0.5, window_minutes: 2, min_calls: 10 },
    description:
      'The circuit breaker: the campaign pauses (`paused_reason: failure_rate`) when at least `min_calls` calls started in the last `window_minutes` and `failure_rate` of them failed at the platform (5xx, 4xx other than 429, outcome failed). `false` turns it off. Default on, {"failure_rate": 0.5, "window_minutes": 2, "min_calls": 10}; keys left out keep their current (or default) value.',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== false)
  @Transform(toAutoPause)
  @IsObject({
    message: 'auto_pause must be an object {failure_rate, window_minutes, min_calls} or false',
  })
  @ValidateNested()
  auto_pause?: AutoPauseDto | false;

  @ApiPropertyOptional({
    type: ComplianceDto,
    description:
      'Which calling laws apply (docs/COMPLIANCE.md). Default {"rules": "auto", "contact_type": "consumer", "refusal_question": null, "opt_out_question": null, "max_contacts": null, "conservative_holidays": true}. Keys left out keep their current (or default) value.',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ComplianceDto)
  compliance?: ComplianceDto;
}
