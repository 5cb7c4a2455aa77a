import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { CallingWindowDto, QualificationDto, RetryDto, ScheduleDto } from './campaign-parts.dto';
import { ComplianceDto } from './compliance.dto';
import {
  IsCountryCode,
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
