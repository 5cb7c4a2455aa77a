import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './audit-events.controller';
import { AuditEventsService } from './audit-events.service';
import { AuditTrail } from './audit-trail.service';

/** The audit trail: every module that changes state writes through AuditTrail (global). */
@Global()
@Module({
  controllers: [AuditEventsController],
  providers: [AuditTrail, AuditEventsService],
  exports: [AuditTrail],
})
export class AuditModule {}
