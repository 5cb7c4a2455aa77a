import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CampaignIdPipe } from '../common/campaign-id.pipe';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignPage, CampaignView } from './campaign.view';
import { CampaignsService } from './campaigns.service';
import { CreateCampaignDto, UpdateCampaignDto } from './dto/create-campaign.dto';
import { ListCampaignsQuery } from './dto/list-campaigns.query';
import { Roles } from '../auth/roles.decorator';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: CampaignLifecycle,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a campaign (draft)',
    description:
      'Only name, agent_id and from_numbers are required. The agent’s post-call questions are fetched and the rules checked against them ' +
      '(when the platform cannot be reached, the rules are checked at start). A webhook_url answers its signing secret once.',
  })
  @ApiCreatedResponse({ type: CampaignView })
  @ApiBadRequestResponse({
    description: 'A field is missing, unknown or invalid; `details` names each.',
  })
  @Roles('manager')
  create(@Body() dto: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns, newest first' })
  @ApiOkResponse({ type: CampaignPage })
  @Roles('manager', 'viewer')
  list(@Query() query: ListCampaignsQuery): Promise<CampaignPage> {
    return this.campaigns.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign, with its progress' })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @Roles('manager', 'viewer')
  get(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    return this.campaigns.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a campaign',
    description:
      'Any subset of the creation fields, validated the same way. While scheduled, running or paused every field may change except ' +
      'agent_id (a scheduled campaign also keeps a schedule); completed and cancelled campaigns no longer change.',
  })
  @ApiOkResponse({ type: CampaignView })
  @ApiBadRequestResponse({ description: 'A field is unknown or invalid; `details` names each.' })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({ description: 'The change is not allowed in the campaign’s status.' })
  @Roles('manager')
  update(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignView> {
    return this.campaigns.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a campaign, its leads and its history' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({
    description: 'The campaign is running, or calls of it are still in progress.',
  })
  @Roles('manager')
  async remove(@Param('id', CampaignIdPipe) id: string): Promise<void> {
    await this.campaigns.remove(id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start a draft',
    description:
      'Becomes running, or scheduled when it has a schedule. Without a schedule it needs a lead to call.',
  })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({
    description: 'Not a draft, no lead to call, or rules naming questions the agent lacks.',
  })
  @ApiServiceUnavailableResponse({
    description: 'The agent’s questions could not be fetched to check the rules.',
  })
  @Roles('manager')
  start(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    return this.lifecycle.start(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause: no new call starts; calls in progress are still followed to their end',
  })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({ description: 'Neither running nor scheduled.' })
  @Roles('manager')
  pause(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    return this.lifecycle.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused campaign to the status it was paused from' })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({ description: 'Not paused.' })
  @Roles('manager')
  resume(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    return this.lifecycle.resume(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel for good',
    description:
      'Leads waiting for a call become cancelled; live calls are terminated on the platform and recorded as they end.',
  })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({ description: 'Already completed or cancelled.' })
  @Roles('manager')
  cancel(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    return this.lifecycle.cancel(id);
  }
}
