import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { WEEKDAYS, type Weekday } from '../../windows/calling-window';
import { RetryByOutcomeDto, RetryRuleDto, toRuleMap } from './campaign-controls.dto';
import {
  HasStatusKeys,
  HoursDoNotOverlap,
  IsCronExpression,
  IsOptionalNotNull,
} from './field-rules';

export const RETRY_OUTCOMES = ['missed', 'failed', 'unknown'] as const;

export class HoursIntervalDto {
  @ApiProperty({ example: '10:00', description: 'Local start time, HH:MM (00:00 to 23:59).' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'start must be a time of day HH:MM such as 09:30',
  })
  start: string;

  @ApiProperty({
    example: '13:00',
    description: 'Local end time, HH:MM, after start (exclusive); 24:00 is the end of the day.',
  })
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    message: 'end must be a time of day HH:MM such as 18:00 (or 24:00)',
  })
  end: string;
}

export class CallingWindowDto {
  @ApiPropertyOptional({
    enum: WEEKDAYS,
    isArray: true,
    example: ['mon', 'tue', 'wed', 'thu', 'fri'],
    description:
      'Days on which calls may be placed, in the lead’s local time. Default: mon to fri.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique({ message: 'days must not repeat a day' })
  @IsIn(WEEKDAYS, { each: true, message: `days must list days among ${WEEKDAYS.join(', ')}` })
  days?: Weekday[];

  @ApiPropertyOptional({
    type: [HoursIntervalDto],
    example: [
      { start: '10:00', end: '13:00' },
      { start: '14:00', end: '18:00' },
    ],
    description:
      'Local time intervals of each allowed day, not overlapping. Default: 10:00–13:00 and 14:00–18:00. A span over midnight is two intervals.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => HoursIntervalDto)
  @HoursDoNotOverlap()
  hours?: HoursIntervalDto[];
}

@ApiExtraModels(RetryRuleDto)
export class RetryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 10,
    example: 3,
    description: 'Calls per lead at most, the first included. Default 3.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10)
  max_attempts?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10080,
    example: 60,
    description: 'Minutes between a failed attempt and the next one. Default 60.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(10080)
  delay_minutes?: number;

  @ApiPropertyOptional({
    enum: RETRY_OUTCOMES,
    isArray: true,
    example: ['missed', 'failed'],
    description: 'Outcomes that are tried again (others end the lead). Default: missed and failed.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique({ message: 'on must not repeat an outcome' })
  @IsIn(RETRY_OUTCOMES, {
    each: true,
    message: `on must list outcomes among ${RETRY_OUTCOMES.join(', ')}`,
  })
  on?: (typeof RETRY_OUTCOMES)[number][];

  @ApiPropertyOptional({
    type: RetryByOutcomeDto,
    example: { missed: { max_attempts: 4, delay_minutes: 120 } },
    description:
      'Rules by outcome, ahead of the fields above: an outcome given a rule is retried by it (whatever `on` says). Platform statuses reach the rule of the outcome CALLROUNDED_TERMINAL_STATUSES maps them to (voicemail=missed → missed). Given, it replaces the current rules; {} removes them.',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryByOutcomeDto)
  by_outcome?: RetryByOutcomeDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(RetryRuleDto) },
    example: { voicemail: { max_attempts: 2, delay_minutes: 1440 } },
    description:
      'Rules by platform status (missed, failed, or a status of CALLROUNDED_TERMINAL_STATUSES), ahead of `by_outcome`. Given, it replaces the current rules; {} removes them.',
  })
  @IsOptionalNotNull()
  @Transform(toRuleMap)
  @HasStatusKeys()
  @ValidateNested({ each: true })
  by_status?: Map<string, RetryRuleDto>;
}

export class ScheduleDto {
  @ApiProperty({
    example: '0 19 * * 1-5',
    description:
      'When runs start, read in the campaign’s time zone: 5 fields (minute hour day month weekday), 6 with seconds first, or a preset such as @daily.',
  })
  @IsString()
  @IsCronExpression()
  cron: string;
}

/** The plain values an answer is compared with. */
const SCALAR_SCHEMAS = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];

export class QualificationRuleDto {
  @ApiProperty({
    example: 'interested',
    description: 'The name of one of the agent’s post-call questions.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  question: string;

  @ApiPropertyOptional({
    oneOf: [...SCALAR_SCHEMAS, { type: 'array', items: { type: 'string' } }],
    example: true,
    description:
      'Holds when the answer equals this value (text, number or boolean; a list of texts for a multiple choice question).',
  })
  @Allow()
  equals?: unknown;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: SCALAR_SCHEMAS },
    minItems: 1,
    example: ['yes', 'maybe'],
    description: 'Holds when the answer is one of these values (texts, numbers or booleans).',
  })
  @Allow()
  in?: unknown[];

  @ApiPropertyOptional({
    example: 18,
    description: 'Holds when the numeric answer is at least this.',
  })
  @Allow()
  gte?: number;

  @ApiPropertyOptional({
    example: 65,
    description: 'Holds when the numeric answer is at most this.',
  })
  @Allow()
  lte?: number;
}

export class QualificationDto {
  @ApiPropertyOptional({
    enum: ['all', 'any'],
    example: 'all',
    description: 'Whether every rule or any one rule must hold. Default all.',
  })
  @IsOptionalNotNull()
  @IsIn(['all', 'any'], { message: 'match must be "all" or "any"' })
  match?: 'all' | 'any';

  @ApiProperty({ type: [QualificationRuleDto], description: 'One rule or more.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QualificationRuleDto)
  rules: QualificationRuleDto[];
}
