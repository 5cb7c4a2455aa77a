import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page-query';

/** The filters of the audit listing and of its CSV. */
export class AuditFilterQuery {
  @ApiPropertyOptional({ description: 'Events at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' })
  to?: string;

  @ApiPropertyOptional({
    description: 'The key id or key name that acted (`system` for the purge).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ example: 'campaign.update', description: 'One action, exactly.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({
    description: 'The target: its id (a campaign id, a phone number, a key id…).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  target?: string;
}

export class AuditEventsQuery extends IntersectionType(
  AuditFilterQuery,
  PageQuery({ max: 500, default: 100, items: 'Events' }),
) {}

export class AuditActorDto {
  @ApiProperty({ nullable: true, type: String, description: 'null for the system' })
  key_id: string | null;
  @ApiProperty() key_name: string;
  @ApiProperty({ enum: ['admin', 'manager', 'viewer', 'compliance', 'system'] }) role: string;
}

export class AuditEventDto {
  @ApiProperty({ description: 'Increasing with time of writing' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ example: 'campaign.update' }) action: string;
  @ApiProperty({ example: 'campaign' }) target_type: string;
  @ApiProperty({ nullable: true, type: String }) target_id: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What changed: counts, ids, `{field: {before, after}}` for settings.',
  })
  summary: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) client_address: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) data: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
}
