import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../campaign.entity';

export class ListCampaignsQuery extends PageQuery({ max: 200, default: 50, items: 'Campaigns' }) {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, description: 'Only campaigns in this status.' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES, { message: `status must be one of ${CAMPAIGN_STATUSES.join(', ')}` })
  status?: CampaignStatus;
}
