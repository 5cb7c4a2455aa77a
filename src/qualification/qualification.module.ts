import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { QualificationService } from './qualification.service';
import { QuestionsService } from './questions.service';

/**
 * Post-call questions (fetched for campaigns), typed answers, rules and the qualification
 * verdict; the dialer calls QualificationService inside its completion transaction.
 */
@Module({
  imports: [WebhooksModule],
  providers: [QualificationService, QuestionsService],
  exports: [QualificationService, QuestionsService],
})
export class QualificationModule {}
