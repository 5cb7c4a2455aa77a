import { Module } from '@nestjs/common';
import { ComplianceService } from './compliance.service';

/** Calling laws as data (rules/), checked at claim and before each POST. */
@Module({ providers: [ComplianceService], exports: [ComplianceService] })
export class ComplianceModule {}
