import { Module } from '@nestjs/common';
import { QualificationModule } from '../qualification/qualification.module';
import { AgentsController } from './agents.controller';

/** Reading a platform agent for the dashboard (HTTP roles). */
@Module({ imports: [QualificationModule], controllers: [AgentsController] })
export class AgentsModule {}
