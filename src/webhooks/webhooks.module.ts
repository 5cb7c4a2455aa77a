import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookUrlGuard } from './webhook-url-guard.service';

/** The CRM hand-off: the outbox (written by qualification), its delivery loop and its status API. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEvent])],
  providers: [WebhookOutbox, WebhookDeliveryService, WebhookEventsService, WebhookUrlGuard],
  exports: [WebhookOutbox, WebhookDeliveryService, WebhookUrlGuard, WebhookEventsService],
})
export class WebhooksModule {}
