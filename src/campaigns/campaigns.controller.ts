import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiBadGatewayResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CampaignIdPipe } from '../common/campaign-id.pipe';
import { LeadIdPipe } from '../common/lead-id.pipe';
import { CampaignCloner } from './campaign-clone.service';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignRequeue } from './campaign-requeue.service';
import { CampaignPage, CampaignView } from './campaign.view';
import { CampaignsService } from './campaigns.service';
import { CloneCampaignDto } from './dto/clone-campaign.dto';
import { LeadRequeueDto, RequeueDto, RequeueResult } from './dto/requeue.dto';
import { TestCallDto, TestCallListView, TestCallView } from './dto/test-call.dto';
import { TestCallsService } from './test-calls.service';
import { CreateCampaignDto, UpdateCampaignDto } from './dto/create-campaign.dto';
import { ListCampaignsQuery } from './dto/list-campaigns.query';
import { Roles } from '../auth/roles.decorator';
import { EligibilityDto } from './dto/eligibility.dto';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: CampaignLifecycle,
    private readonly cloner: CampaignCloner,
    private readonly testCalls: TestCallsService,
    private readonly requeuer: CampaignRequeue,
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

  @Get(':id/eligibility')
  @ApiOperation({
    summary:
      'Dry run: who may be called now, who waits and why, who never will, and the next 7 days',
    description:
      'Calls nobody. Applies the campaign’s window and calling laws (hours, holidays, caps across campaigns, refusal cool-down, consent) ' +
      'to the waiting leads as the dialler would now. Up to 2,000 waiting leads are evaluated one by one; beyond, every k-th lead (`sampled`) and the counts are scaled.',
  })
  @ApiOkResponse({ type: EligibilityDto })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @Roles('manager', 'viewer')
  eligibility(@Param('id', CampaignIdPipe) id: string): Promise<EligibilityDto> {
    return this.campaigns.eligibility(id);
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

  @Post(':id/clone')
  @Roles('manager')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Clone a campaign into a new draft, optionally with copies of its leads',
    description:
      'Same settings (agent, from_numbers, window, caps, retries, schedule, default_country, rules, variables, webhook_url with a new secret, answered once). ' +
      '`leads`: `none` (default), `all`, or a list of statuses (e.g. `["exhausted", "failed"]` for the ones never reached): copied as fresh `pending` leads ' +
      '(attempts, answers and verdicts reset; `suppressed` when the number is now on the do-not-call list), recorded as one import of the clone.',
  })
  @ApiCreatedResponse({ type: CampaignView })
  @ApiBadRequestResponse({ description: 'name missing, or leads not none/all/statuses.' })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  clone(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: CloneCampaignDto,
  ): Promise<CampaignView> {
    return this.cloner.clone(id, dto);
  }

  @Post(':id/test-call')
  @Roles('manager')
  @HttpCode(201)
  @ApiOperation({
    summary: 'One real call with the campaign’s agent to your own phone, before the batch goes out',
    description:
      'The campaign’s agent and first from_number, with a lead’s variables (`lead_id`) and/or given `variables` (over the campaign’s). ' +
      'Refused (409) for a number on the do-not-call list or outside the campaign’s calling window in the number’s zones. ' +
      'Never counts in the campaign’s progress, report or caps. At most 10 per campaign per hour (429 with Retry-After). ' +
      'Status and post-call answers: GET /v1/campaigns/{id}/test-calls.',
  })
  @ApiCreatedResponse({ type: TestCallView })
  @ApiBadRequestResponse({ description: 'to_number is not a valid number, or a field is invalid.' })
  @ApiNotFoundResponse({ description: 'No such campaign, or no such lead in it.' })
  @ApiConflictResponse({
    description:
      'On the do-not-call list, outside the calling window, or the campaign is cancelled.',
  })
  @ApiTooManyRequestsResponse({
    description: '10 test calls in the last hour; Retry-After says when.',
  })
  @ApiBadGatewayResponse({ description: 'The platform refused to start the call.' })
  testCall(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: TestCallDto,
  ): Promise<TestCallView> {
    return this.testCalls.place(id, dto);
  }

  @Get(':id/test-calls')
  @Roles('manager', 'viewer')
  @ApiOperation({
    summary: 'The campaign’s test calls, newest first, with their status and post-call answers',
  })
  @ApiOkResponse({ type: TestCallListView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  async listTestCalls(@Param('id', CampaignIdPipe) id: string): Promise<TestCallListView> {
    return { data: await this.testCalls.list(id) };
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

  @Post(':id/requeue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call again the leads not reached: put leads in final statuses back in the queue',
    description:
      'Leads in `statuses` (failed, exhausted, expired) go back to the queue with `extra_attempts` more calls each (their attempt limit becomes attempts + extra_attempts). ' +
      'They pass through the normal claim: the do-not-call list, calling windows and caps apply as always. ' +
      'A completed campaign runs again (running, or scheduled with a schedule); a paused one stays paused until resumed. ' +
      '`ends_at` sets a new end date (needed when the current one has passed).',
  })
  @ApiOkResponse({ type: RequeueResult })
  @ApiBadRequestResponse({ description: 'statuses, extra_attempts or ends_at invalid.' })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({
    description:
      'A draft or cancelled campaign, or its end date has passed and no later one is given.',
  })
  @Roles('manager')
  requeue(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: RequeueDto,
  ): Promise<RequeueResult> {
    return this.requeuer.requeue(id, dto);
  }

  @Post(':id/leads/:leadId/requeue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call one lead again: a failed, exhausted or expired lead back in the queue',
    description:
      'The same as the campaign’s requeue for this lead alone: `extra_attempts` more calls, the normal claim with the do-not-call list, windows and caps; a completed campaign runs again.',
  })
  @ApiOkResponse({ type: RequeueResult })
  @ApiBadRequestResponse({ description: 'extra_attempts invalid, or lead_id not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such campaign, or no such lead in it.' })
  @ApiConflictResponse({
    description:
      'The lead is not failed, exhausted or expired; or the campaign is a draft, cancelled, or past its end date.',
  })
  @Roles('manager')
  requeueLead(
    @Param('id', CampaignIdPipe) id: string,
    @Param('leadId', LeadIdPipe) leadId: string,
    @Body() dto: LeadRequeueDto,
  ): Promise<RequeueResult> {
    return this.requeuer.requeueLead(id, leadId, dto.extra_attempts);
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
