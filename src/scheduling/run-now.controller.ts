import { ConflictException, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditTrail } from '../audit/audit-trail.service';
import { Roles } from '../auth/roles.decorator';
import { CampaignsService } from '../campaigns/campaigns.service';
import { CampaignView } from '../campaigns/campaign.view';
import { CampaignIdPipe } from '../common/campaign-id.pipe';
import { ScheduleRunner } from './schedule-runner.service';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class RunNowController {
  constructor(
    private readonly runner: ScheduleRunner,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditTrail,
  ) {}

  @Post(':id/run-now')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a scheduled campaign now instead of at its next scheduled time',
    description:
      'A campaign waiting for its next run (`scheduled`) becomes `running` at once, as if its schedule had fired now; the later runs stay as scheduled. Audited as `campaign.run_now`.',
  })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({ description: 'Not waiting for a scheduled run.' })
  @Roles('manager')
  async runNow(@Param('id', CampaignIdPipe) id: string): Promise<CampaignView> {
    const before = await this.campaigns.get(id);
    const started = await this.runner.runNow(id, (tx) =>
      this.audit.record(tx, {
        action: 'campaign.run_now',
        targetType: 'campaign',
        targetId: id,
        summary: {},
      }),
    );
    if (!started) {
      throw new ConflictException(
        before.status === 'running'
          ? 'campaign is already running'
          : `campaign is ${before.status}: only a scheduled campaign waiting for its next run can run now`,
      );
    }
    return this.campaigns.get(id);
  }
}
