import { Global, Module } from '@nestjs/common';
import { AuditEventsService } from './audit-events.service';
import { AuditTrail } from './audit-trail.service';

/** The audit trail: every module that changes state writes through AuditTrail (global). */
@Global()
@Module({
  providers: [AuditTrail, AuditEventsService],
  exports: [AuditTrail, AuditEventsService],
})
export class AuditModule {}
