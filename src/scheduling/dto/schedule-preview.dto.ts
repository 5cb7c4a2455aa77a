import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class SchedulePreviewQuery {
  @ApiProperty({ example: '0 19 * * 1-5', description: 'A campaign schedule’s cron expression.' })
  @IsString({ message: 'cron must be a cron expression such as "0 19 * * 1-5"' })
  @MaxLength(200, { message: 'cron must be at most 200 characters' })
  cron: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'The IANA zone the cron is read in.' })
  @IsString({ message: 'timezone must be an IANA time zone such as Europe/Paris' })
  @MaxLength(100, { message: 'timezone must be at most 100 characters' })
  timezone: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 3, description: 'How many runs.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'count must be a whole number from 1 to 10' })
  @Min(1, { message: 'count must be a whole number from 1 to 10' })
  @Max(10, { message: 'count must be a whole number from 1 to 10' })
  count?: number;
}

export class SchedulePreviewDto {
  @ApiProperty({ example: '0 19 * * 1-5' }) cron: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'Canonical spelling of the zone.' })
  timezone: string;
  @ApiProperty({
    type: [String],
    format: 'date-time',
    example: ['2026-12-07T18:00:00.000Z', '2026-12-08T18:00:00.000Z', '2026-12-09T18:00:00.000Z'],
    description: 'The next runs after now (UTC instants; the cron read in `timezone`).',
  })
  next_runs: string[];
}
