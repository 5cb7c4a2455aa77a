import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CampaignIdPipe } from '../common/campaign-id.pipe';
import { WebhookEventDto, WebhookEventPageDto, WebhookEventsQuery } from './dto/webhook-events.dto';
import { WebhookEventsService } from './webhook-events.service';
import { Roles } from '../auth/roles.decorator';

@ApiTags('webhooks')
@ApiParam({ name: 'id', format: 'uuid', description: 'Campaign id' })
@ApiNotFoundResponse({ description: 'No such campaign' })
@Controller('v1/campaigns')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get(':id/webhook-events')
  @ApiOperation({
    summary:
      "The campaign's CRM events (lead.qualified, campaign.completed) and their delivery status",
  })
  @ApiOkResponse({ type: WebhookEventPageDto })
  @Roles('manager', 'viewer')
  list(
    @Param('id', CampaignIdPipe) id: string,
    @Query() q: WebhookEventsQuery,
  ): Promise<WebhookEventPageDto> {
    return this.events.list(id, q);
  }

  @Post(':id/webhook-events/:eventId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue a failed event again, due now, with a fresh attempt budget' })
  @ApiParam({ name: 'eventId', format: 'uuid' })
  @ApiOkResponse({ type: WebhookEventDto })
  @ApiConflictResponse({ description: 'The event is not failed (pending or delivered)' })
  @Roles('manager')
  retry(
    @Param('id', CampaignIdPipe) id: string,
    @Param('eventId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) eventId: string,
  ): Promise<WebhookEventDto> {
    return this.events.retry(id, eventId);
  }
}
