import { Module } from '@nestjs/common';
import { RetentionService } from './retention.service';

/** The DATA_RETENTION_DAYS purge (its loop runs in the worker role only). */
@Module({ providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
