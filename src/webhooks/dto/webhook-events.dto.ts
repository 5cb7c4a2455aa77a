import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-event.entity';

export class WebhookEventsQuery extends PageQuery({ max: 500, default: 100, items: 'Events' }) {
  @ApiPropertyOptional({
    enum: ['pending', 'delivered', 'failed'],
    description: 'Only events in this delivery status.',
  })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed'], {
    message: 'status must be pending, delivered or failed',
  })
  status?: 'pending' | 'delivered' | 'failed';

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    description: 'Only events of this type.',
  })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES, {
    message: `type must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  type?: WebhookEventType;
}

export class WebhookEventDto {
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Webhook-Id: the same on every retry.' })
  id: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) type: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) lead_id: string | null;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty({ type: 'integer', description: 'Delivery attempts so far.' }) attempts: number;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the next attempt is due (pending events).',
  })
  next_attempt_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_attempt_at:
    string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: "The receiver's last HTTP status." })
  last_status_code: number | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) delivered_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's `data`, as POSTed.",
  })
  data: Record<string, unknown>;
}

export class WebhookEventPageDto {
  @ApiProperty({ type: [WebhookEventDto], description: 'Oldest first.' }) data: WebhookEventDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  next_cursor: string | null;
}
