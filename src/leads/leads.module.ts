import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallTranscripts } from './call-transcripts.service';
import { UploadGate } from './csv/upload-gate';
import { ImportErrorsFile } from './import-errors-file';
import { LeadImport } from './lead-import.entity';
import { LeadImportService } from './lead-import.service';
import { Lead } from './lead.entity';
import { LeadsQueryService } from './leads-query.service';
import { LeadsRepository } from './leads.repository';

/** Lead files in (streamed CSV import), leads, their call transcripts and import records out. */
@Module({
  imports: [TypeOrmModule.forFeature([Lead, LeadImport])],
  providers: [
    LeadImportService,
    LeadsQueryService,
    LeadsRepository,
    UploadGate,
    ImportErrorsFile,
    CallTranscripts,
  ],
  exports: [
    LeadImportService,
    LeadsQueryService,
    LeadsRepository,
    UploadGate,
    ImportErrorsFile,
    CallTranscripts,
  ],
})
export class LeadsModule {}
