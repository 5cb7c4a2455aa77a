import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from './field-rules';

export const MAX_ATTEMPTS_LIMIT = 10;
export const MAX_DELAY_MINUTES = 10080;

/** One retry rule (per outcome or per status): both fields are required. */
export class RetryRuleDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ATTEMPTS_LIMIT,
    example: 4,
    description: 'Calls per lead at most, the first included, when its last call ended this way.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  max_attempts: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DELAY_MINUTES,
    example: 120,
    description: 'Minutes between such a call and the next one.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_DELAY_MINUTES)
  delay_minutes: number;
}

/** Rules by outcome: an outcome given a rule is retried by it, whatever `retry.on` says. */
export class RetryByOutcomeDto {
  @ApiPropertyOptional({
    type: RetryRuleDto,
    description: 'Calls not answered (and statuses mapped to missed, e.g. voicemail=missed).',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryRuleDto)
  missed?: RetryRuleDto;

  @ApiPropertyOptional({ type: RetryRuleDto, description: 'Calls the platform failed.' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryRuleDto)
  failed?: RetryRuleDto;

  @ApiPropertyOptional({ type: RetryRuleDto, description: 'Calls whose end is unknown.' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryRuleDto)
  unknown?: RetryRuleDto;
}

export class AutoPauseDto {
  @ApiPropertyOptional({
    maximum: 1,
    example: 0.5,
    description:
      'Share of the calls started in the window that failed at the platform (0 < x ≤ 1). Default 0.5.',
  })
  @IsOptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'failure_rate must be above 0' })
  @Max(1)
  failure_rate?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1440,
    example: 2,
    description: 'Minutes looked back. Default 2.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1440)
  window_minutes?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    example: 10,
    description: 'Calls started in the window before the share is judged. Default 10.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(100000)
  min_calls?: number;
}

/** `{status: rule}` as a Map of RetryRuleDto, so that each rule is validated with its own path (retry.by_status.voicemail.max_attempts). */
export function toRuleMap({ value }: { value: unknown }): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return new Map(
    Object.entries(value).map(([status, rule]) => [
      status,
      typeof rule === 'object' && rule !== null && !Array.isArray(rule)
        ? plainToInstance(RetryRuleDto, rule)
        : rule,
    ]),
  );
}

/** `false` stays false (the breaker is off); an object becomes an AutoPauseDto. */
export function toAutoPause({ value }: { value: unknown }): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return plainToInstance(AutoPauseDto, value);
}
