import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadsModule } from '../leads/leads.module';
import { Suppression } from './suppression.entity';
import { SuppressionsService } from './suppressions.service';

/** The do-not-call list: numbers never dialled, in any campaign. */
@Module({
  imports: [TypeOrmModule.forFeature([Suppression]), LeadsModule],
  providers: [SuppressionsService],
  exports: [SuppressionsService],
})
export class SuppressionsModule {}
